/* The shared end of the AVX-512 convolution microkernels (float32 and bfloat16): activation, then the stores of one
 * pixel's two 16-channel output blocks in the forms asked for. Private to this module. */
#ifndef HEPATIX_CONV_EPILOGUE_AVX512_H
#define HEPATIX_CONV_EPILOGUE_AVX512_H

#include "hxk_conv.h"

#include <immintrin.h>

/** Applies `activation` (0 none, 1 ReLU, 2 LeakyReLU with slope) to y0 and y1 and stores them at `out` and
 *  `out + out_block_stride` (non-temporal with HXK_CONV_STREAM in `mode`; none when `out` is NULL) and, when
 *  `out_bf16` is set, in bfloat16 at the same offsets there. */
static inline __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512bf16,fma"), always_inline))
void hxk_conv_store_pixel(__m512 y0, __m512 y1, int activation, __m512 slope, float *out, uint16_t *out_bf16,
                          size_t out_block_stride, int mode) {
    const __m512 zero = _mm512_setzero_ps();
    if (activation == 1) {
        y0 = _mm512_max_ps(y0, zero);
        y1 = _mm512_max_ps(y1, zero);
    } else if (activation == 2) {
        y0 = _mm512_mask_mul_ps(y0, _mm512_cmp_ps_mask(y0, zero, _CMP_LT_OQ), y0, slope);
        y1 = _mm512_mask_mul_ps(y1, _mm512_cmp_ps_mask(y1, zero, _CMP_LT_OQ), y1, slope);
    }
    if (out && (mode & HXK_CONV_STREAM)) {
        _mm512_stream_ps(out, y0);
        _mm512_stream_ps(out + out_block_stride, y1);
    } else if (out) {
        _mm512_storeu_ps(out, y0);
        _mm512_storeu_ps(out + out_block_stride, y1);
    }
    if (out_bf16) {
        _mm256_storeu_si256((__m256i *)out_bf16, (__m256i)_mm512_cvtneps_pbh(y0));
        _mm256_storeu_si256((__m256i *)(out_bf16 + out_block_stride), (__m256i)_mm512_cvtneps_pbh(y1));
    }
}

#endif
