/* AVX2+FMA tier of the direct convolution microkernel (same contract as hxk_conv_tile_avx512, see
 * hxk_conv.h). With 16 ymm registers a tile is at most 6 pixels x 16 channels (12 accumulators, 2 weight
 * registers, 1 broadcast), so a call walks the two output blocks and the pixels in such sub-tiles. */
#include "hxk_conv.h"

#include <immintrin.h>

#define HXK_TARGET __attribute__((target("avx2,fma")))

static inline HXK_TARGET __attribute__((always_inline)) void tile(const float *in, size_t in_block_stride, size_t pixel_step,
                                                                  const int64_t *taps, int ntaps, int in_blocks, const float *weights,
                                                                  const float *bias, float *out, size_t out_pixel_step, const int pixels,
                                                                  int activation, float alpha, int mode) {
    __m256 lo[6], hi[6];
    __m256 b0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps(), b1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++) {
        lo[p] = (mode & HXK_CONV_ACCUMULATE) ? _mm256_loadu_ps(out + out_pixel_step * p) : b0;
        hi[p] = (mode & HXK_CONV_ACCUMULATE) ? _mm256_loadu_ps(out + out_pixel_step * p + 8) : b1;
    }
    const float *w = weights;
    for (int cb = 0; cb < in_blocks; cb++) {
        const float *block = in + (size_t)cb * in_block_stride;
        for (int t = 0; t < ntaps; t++) {
            const float *origin = block + taps[t];
            for (int c = 0; c < 16; c++, w += 32) {
                __m256 w0 = _mm256_loadu_ps(w), w1 = _mm256_loadu_ps(w + 8);
                _Pragma("clang loop unroll(full)")
                for (int p = 0; p < pixels; p++) {
                    __m256 x = _mm256_broadcast_ss(origin + p * pixel_step + c);
                    lo[p] = _mm256_fmadd_ps(x, w0, lo[p]);
                    hi[p] = _mm256_fmadd_ps(x, w1, hi[p]);
                }
            }
        }
    }
    __m256 zero = _mm256_setzero_ps(), slope = _mm256_set1_ps(alpha);
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++) {
        __m256 y0 = lo[p], y1 = hi[p];
        if (activation == 1) {
            y0 = _mm256_max_ps(y0, zero);
            y1 = _mm256_max_ps(y1, zero);
        } else if (activation == 2) {
            y0 = _mm256_blendv_ps(y0, _mm256_mul_ps(y0, slope), _mm256_cmp_ps(y0, zero, _CMP_LT_OQ));
            y1 = _mm256_blendv_ps(y1, _mm256_mul_ps(y1, slope), _mm256_cmp_ps(y1, zero, _CMP_LT_OQ));
        }
        _mm256_storeu_ps(out + out_pixel_step * p, y0);
        _mm256_storeu_ps(out + out_pixel_step * p + 8, y1);
    }
}

#define HXK_AVX2_CASE(n) case n: tile(in + x * pixel_step, in_block_stride, pixel_step, taps, ntaps, in_blocks, w, b, \
                                      o + x * out_pixel_step, out_pixel_step, n, activation, alpha, mode); break;

HXK_TARGET void hxk_conv_tile_avx2(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                   int in_blocks, const float *weights, const float *bias, float *out, size_t out_block_stride,
                                   size_t out_pixel_step, int pixels, int activation, float alpha, int mode) {
    unsigned int mxcsr = _mm_getcsr();
    _mm_setcsr(mxcsr | 0x8040); /* FTZ | DAZ for this call, as in the AVX-512 tier */
    for (int half = 0; half < 2; half++) {
        /* Output block `half` uses columns 16*half .. 16*half+15 of each 32-wide weight row. */
        const float *w = weights + 16 * half, *b = bias ? bias + 16 * half : 0;
        float *o = out + (size_t)half * out_block_stride;
        for (int x = 0; x < pixels; x += 6) {
            switch (pixels - x < 6 ? pixels - x : 6) {
                HXK_AVX2_CASE(6) HXK_AVX2_CASE(5) HXK_AVX2_CASE(4) HXK_AVX2_CASE(3) HXK_AVX2_CASE(2) HXK_AVX2_CASE(1)
                default: break;
            }
        }
    }
    _mm_setcsr(mxcsr);
}
