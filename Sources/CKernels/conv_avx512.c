/* AVX-512 direct convolution microkernel (see hxk_conv.h). Each input value is broadcast from memory into
 * two FMAs (one per 16-channel output block); 28 accumulators stay in registers for the whole reduction
 * over input channels and taps, so the loop is bound by the FMA units, not by loads. The pixel loops must be
 * fully unrolled (pragmas below) for the accumulators to live in registers: without them -O2 (SwiftPM's
 * release level) keeps them in memory and runs 2.5x slower. */
#include "hxk_conv.h"
#include "conv_epilogue_avx512.h"

#include <immintrin.h>

/* The bfloat16 stores (for a bf16 layer reading this output) need AVX512_BF16; callers pass out_bf16 only
 * when the CPU has it. */
#define HXK_TARGET_BF16 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512bf16,fma")))

static inline HXK_TARGET_BF16 __attribute__((always_inline)) void tile(const float *in, size_t in_block_stride, size_t pixel_step,
                                                                  const int64_t *taps, int ntaps, int in_blocks, const float *weights,
                                                                  const float *bias, float *out, size_t out_block_stride,
                                                                  size_t out_pixel_step, const int pixels, int activation, float alpha, int mode,
                                                                  uint16_t *out_bf16) {
    __m512 a0[HXK_CONV_TILE], a1[HXK_CONV_TILE];
    __m512 b0 = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps(), b1 = bias ? _mm512_loadu_ps(bias + 16) : _mm512_setzero_ps();
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++) {
        a0[p] = (mode & HXK_CONV_ACCUMULATE) ? _mm512_loadu_ps(out + out_pixel_step * p) : b0;
        a1[p] = (mode & HXK_CONV_ACCUMULATE) ? _mm512_loadu_ps(out + out_block_stride + out_pixel_step * p) : b1;
    }
    const float *w = weights;
    for (int cb = 0; cb < in_blocks; cb++) {
        const float *block = in + (size_t)cb * in_block_stride;
        for (int t = 0; t < ntaps; t++) {
            const float *origin = block + taps[t];
            for (int c = 0; c < 16; c++, w += 32) {
                __m512 w0 = _mm512_loadu_ps(w), w1 = _mm512_loadu_ps(w + 16);
                _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++) {
                    __m512 x = _mm512_set1_ps(origin[p * pixel_step + c]);
                    a0[p] = _mm512_fmadd_ps(x, w0, a0[p]);
                    a1[p] = _mm512_fmadd_ps(x, w1, a1[p]);
                }
            }
        }
    }
    __m512 slope = _mm512_set1_ps(alpha);
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++)
        hxk_conv_store_pixel(a0[p], a1[p], activation, slope, out ? out + out_pixel_step * p : NULL,
                             out_bf16 ? out_bf16 + out_pixel_step * p : NULL, out_block_stride, mode);
}

#define HXK_TILE_CASE(n) case n: tile(in, in_block_stride, pixel_step, taps, ntaps, in_blocks, weights, bias, out, \
                                      out_block_stride, out_pixel_step, n, activation, alpha, mode, out_bf16); break;

HXK_TARGET_BF16 void hxk_conv_tile_avx512_raw(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                         int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                                         size_t out_pixel_step, int pixels, int activation, float alpha, int mode,
                                         uint16_t *out_bf16) {
    switch (pixels) {
        HXK_TILE_CASE(14) HXK_TILE_CASE(13) HXK_TILE_CASE(12) HXK_TILE_CASE(11) HXK_TILE_CASE(10) HXK_TILE_CASE(9)
        HXK_TILE_CASE(8) HXK_TILE_CASE(7) HXK_TILE_CASE(6) HXK_TILE_CASE(5) HXK_TILE_CASE(4) HXK_TILE_CASE(3)
        HXK_TILE_CASE(2) HXK_TILE_CASE(1)
        default: break;
    }
}

HXK_TARGET_BF16 void hxk_conv_tile_avx512(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                     int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                                     size_t out_pixel_step, int pixels, int activation, float alpha, int mode, uint16_t *out_bf16) {
    /* Denormal operands send FMAs down a slow microcode path on some x86 cores; flush them to zero for this
     * call only (values below 1e-38 in CNN activations carry no information) and restore the caller's MXCSR. */
    unsigned int mxcsr = _mm_getcsr();
    _mm_setcsr(mxcsr | 0x8040); /* FTZ | DAZ */
    hxk_conv_tile_avx512_raw(in, in_block_stride, pixel_step, taps, ntaps, in_blocks, weights, bias, out, out_block_stride,
                             out_pixel_step, pixels, activation, alpha, mode, out_bf16);
    if (mode & HXK_CONV_STREAM) _mm_sfence(); /* the non-temporal stores are visible before the caller publishes them */
    _mm_setcsr(mxcsr);
}
