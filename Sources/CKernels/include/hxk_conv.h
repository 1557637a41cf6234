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
 *  - `accumulate`: add to `out` instead of overwriting (for splitting long input-channel loops). */
void hxk_conv_tile_avx512(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                          int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                          size_t out_pixel_step, int pixels, int activation, float alpha, int accumulate);

/** hxk_conv_tile_avx512 without its MXCSR save / flush-to-zero / restore: for kernels of this module that
 *  call it many times inside one such bracket of their own. */
void hxk_conv_tile_avx512_raw(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                              int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                              size_t out_pixel_step, int pixels, int activation, float alpha, int accumulate);

/** The same contract for AVX2+FMA CPUs (sub-tiles of 6 pixels x 16 channels inside). */
void hxk_conv_tile_avx2(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                        int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                        size_t out_pixel_step, int pixels, int activation, float alpha, int accumulate);

#ifdef __cplusplus
}
#endif
#endif
