/* Direct convolution microkernels on channel-blocked activations (16 channels per block, "NC16HW"): the
 * FP32 AVX-512 and AVX2+FMA tiers of the CNN engine. Compiled with __attribute__((target)) so the package itself stays
 * portable; callers check hxk_detect_tier() first. Not public API. */
#ifndef HEPATIX_HXK_CONV_H
#define HEPATIX_HXK_CONV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** `mode` bits of the float32 kernels. */
#define HXK_CONV_ACCUMULATE 1
#define HXK_CONV_STREAM 2

/** Pixels one microkernel call computes (times 32 output channels), kept in 28 zmm accumulators. */
#define HXK_CONV_TILE 14

/** One call computes `pixels` (1..HXK_CONV_TILE) consecutive output pixels of a row for two 16-channel
 *  output blocks (`out` and `out + out_block_stride`).
 *  - `in`: the input element (channel block 0, channel 0) under tap offset 0 of the first pixel;
 *    `in_block_stride` floats between input channel blocks; `pixel_step` floats between consecutive
 *    output pixels' inputs (16 * stride); `taps[t]` the offset of tap t (floats) from the pixel's origin.
 *  - `weights`: [input block][tap][16 input channels][32 output channels].
 *  - `bias`: 32 values (NULL: zero). `activation`: 0 none, 1 ReLU, 2 LeakyReLU with `alpha`.
 *  - `out_pixel_step`: floats between consecutive output pixels (16, or 32 for a stride-2 transposed conv).
 *  - `mode`: HXK_CONV_ACCUMULATE adds to `out` instead of overwriting (for splitting long input-channel
 *    loops); HXK_CONV_STREAM writes `out` with non-temporal stores (64-byte aligned pixels; for outputs whose
 *    cache lines would be fetched only to be overwritten, like a transposed convolution's spread-out sub-grids).
 *  - `out` may be NULL (no float32 stores); a non-NULL `out_bf16` (AVX512_BF16 CPUs only) also receives the
 *    results in bfloat16 at the same element offsets, for a bf16 layer reading them. */
void hxk_conv_tile_avx512(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                          int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                          size_t out_pixel_step, int pixels, int activation, float alpha, int mode, uint16_t *out_bf16);

/** hxk_conv_tile_avx512 without its MXCSR save / flush-to-zero / restore: for kernels of this module that
 *  call it many times inside one such bracket of their own. */
void hxk_conv_tile_avx512_raw(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                              int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                              size_t out_pixel_step, int pixels, int activation, float alpha, int mode, uint16_t *out_bf16);

/** The same contract for AVX2+FMA CPUs (sub-tiles of 6 pixels x 16 channels inside), without the bfloat16
 *  output (`out` must not be NULL); HXK_CONV_STREAM is ignored (ordinary stores). */
void hxk_conv_tile_avx2(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                        int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                        size_t out_pixel_step, int pixels, int activation, float alpha, int mode);

/** The bfloat16 kernel (AVX512_BF16): the same contract with `in` and `weights` in bfloat16 (offsets, strides
 *  and taps counted in elements, as for floats), weights packed [input block][tap][8 channel pairs][32 output
 *  channels][2], float32 accumulation, no `mode`, and the output options of hxk_conv_tile_avx512.
 *  Callers check hxk_cpu_has_avx512_bf16(). */
void hxk_conv_tile_avx512_bf16(const uint16_t *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                               int in_blocks, const uint16_t *weights, const float *bias, float *out, size_t out_block_stride,
                               size_t out_pixel_step, int pixels, int activation, float alpha, uint16_t *out_bf16);

/** `count` floats to bfloat16, rounded to nearest even (vcvtneps2bf16). */
void hxk_f32_to_bf16_avx512(const float *source, uint16_t *target, size_t count);

/** y = activation(x * factor[c] + shift[c]) for `pixels` consecutive 16-channel pixels (activation 0 none,
 *  1 ReLU, 2 LeakyReLU with alpha), stored to `out` and/or, on AVX512_BF16 CPUs, to `out_bf16` (either may be
 *  NULL; `out` may equal `in`). `streaming`: non-temporal stores (`out` 64-byte, `out_bf16` 32-byte aligned), for
 *  outputs larger than the caches. AVX-512 only. */
void hxk_affine_activate_avx512(const float *in, size_t pixels, const float *factor, const float *shift, int activation,
                                float alpha, float *out, uint16_t *out_bf16, int streaming);

/** A convolution with 1 to 3 output channels (a network's last layer), where the 32-channel kernel would
 *  waste 90-97% of its multiplications: each pixel's output is a dot product over input channels and taps,
 *  computed 16 input channels per FMA and reduced across lanes at the end. `in`, strides and `taps` as in
 *  hxk_conv_tile_avx512; `weights` [input block][tap][outs][16 input channels]; `bias` `outs` values; output
 *  channel o of pixel p goes to out[p * out_pixel_step + o] (other lanes untouched); any pixel count. AVX-512. */
void hxk_conv_few_outputs_avx512(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                 int in_blocks, const float *weights, const float *bias, int outs, float *out,
                                 size_t out_pixel_step, int pixels, int activation, float alpha);

/** Adds each of the 16 channels' values and squares over `pixels` consecutive 16-channel pixels to sums[c] and
 *  squares[c], in double precision, pixel by pixel (the same order whatever the caller's threading). AVX-512. */
void hxk_channel_sums_avx512(const float *in, size_t pixels, double *sums, double *squares);

/** One output row of max pooling with a wd x wh x ww window equal to its stride: output pixel x (16 channels at
 *  out + 16 x) is the maximum over the window whose first input pixel is in + x * ww * in_pixel_step; the
 *  strides are in floats. AVX-512. */
void hxk_max_pool_row_avx512(const float *in, size_t in_pixel_step, size_t in_row_stride, size_t in_plane_stride,
                             int wd, int wh, int ww, float *out, int pixels);

/** Copies `count` floats with non-temporal stores (`target` 64-byte aligned): for large activations that
 *  would only evict useful cache lines on their way to memory. AVX-512. */
void hxk_copy_streaming_avx512(const float *source, float *target, size_t count);

/** 1 when the CPU has AVX512_BF16 with AVX-512F/BW/VL/DQ. */
int hxk_cpu_has_avx512_bf16(void);

#ifdef __cplusplus
}
#endif
#endif
