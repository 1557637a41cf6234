/* bfloat16 direct convolution microkernel for AVX512_BF16 CPUs (see hxk_conv.h). The layout and blocking are
 * those of the float32 AVX-512 kernel, with inputs and weights in bfloat16: one vdpbf16ps multiplies a
 * broadcast pair of adjacent input channels by 16 output channels' weight pairs and adds both products to
 * float32 accumulators, so each instruction does the work of two FMAs. */
#include "hxk_conv.h"
#include "conv_epilogue_avx512.h"

#include <immintrin.h>

#define HXK_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512bf16,fma")))

/** A 32-bit load from 2-byte aligned bf16 data (two adjacent channels). */
typedef int32_t hxk_channel_pair __attribute__((may_alias, aligned(2)));

static inline HXK_TARGET __attribute__((always_inline)) void tile(const uint16_t *in, size_t in_block_stride, size_t pixel_step,
                                                                  const int64_t *taps, int ntaps, int in_blocks, const uint16_t *weights,
                                                                  const float *bias, float *out, size_t out_block_stride,
                                                                  size_t out_pixel_step, const int pixels, int activation, float alpha,
                                                                  uint16_t *out_bf16) {
    __m512 a0[HXK_CONV_TILE], a1[HXK_CONV_TILE];
    __m512 b0 = bias ? _mm512_loadu_ps(bias) : _mm512_setzero_ps(), b1 = bias ? _mm512_loadu_ps(bias + 16) : _mm512_setzero_ps();
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++) { a0[p] = b0; a1[p] = b1; }
    const uint16_t *w = weights;
    for (int cb = 0; cb < in_blocks; cb++) {
        const uint16_t *block = in + (size_t)cb * in_block_stride;
        for (int t = 0; t < ntaps; t++) {
            const uint16_t *origin = block + taps[t];
            for (int k = 0; k < 8; k++, w += 64) {
                __m512bh w0 = (__m512bh)_mm512_loadu_si512(w), w1 = (__m512bh)_mm512_loadu_si512(w + 32);
                _Pragma("clang loop unroll(full)")
                for (int p = 0; p < pixels; p++) {
                    __m512bh x = (__m512bh)_mm512_set1_epi32(*(const hxk_channel_pair *)(origin + p * pixel_step + 2 * k));
                    a0[p] = _mm512_dpbf16_ps(a0[p], x, w0);
                    a1[p] = _mm512_dpbf16_ps(a1[p], x, w1);
                }
            }
        }
    }
    __m512 slope = _mm512_set1_ps(alpha);
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++)
        hxk_conv_store_pixel(a0[p], a1[p], activation, slope, out ? out + out_pixel_step * p : NULL,
                             out_bf16 ? out_bf16 + out_pixel_step * p : NULL, out_block_stride, 0);
}

#define HXK_TILE_CASE(n) case n: tile(in, in_block_stride, pixel_step, taps, ntaps, in_blocks, weights, bias, out, \
                                      out_block_stride, out_pixel_step, n, activation, alpha, out_bf16); break;

HXK_TARGET void hxk_conv_tile_avx512_bf16(const uint16_t *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                          int in_blocks, const uint16_t *weights, const float *bias, float *out, size_t out_block_stride,
                                          size_t out_pixel_step, int pixels, int activation, float alpha, uint16_t *out_bf16) {
    switch (pixels) {
        HXK_TILE_CASE(14) HXK_TILE_CASE(13) HXK_TILE_CASE(12) HXK_TILE_CASE(11) HXK_TILE_CASE(10) HXK_TILE_CASE(9)
        HXK_TILE_CASE(8) HXK_TILE_CASE(7) HXK_TILE_CASE(6) HXK_TILE_CASE(5) HXK_TILE_CASE(4) HXK_TILE_CASE(3)
        HXK_TILE_CASE(2) HXK_TILE_CASE(1)
        default: break;
    }
}

HXK_TARGET void hxk_f32_to_bf16_avx512(const float *source, uint16_t *target, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256bh v = _mm512_cvtneps_pbh(_mm512_loadu_ps(source + i));
        _mm256_storeu_si256((__m256i *)(target + i), (__m256i)v);
    }
    if (i < count) {
        __mmask16 m = (__mmask16)((1u << (count - i)) - 1);
        __m256bh v = _mm512_cvtneps_pbh(_mm512_maskz_loadu_ps(m, source + i));
        _mm256_mask_storeu_epi16(target + i, m, (__m256i)v);
    }
}

int hxk_cpu_has_avx512_bf16(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512bf16") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
}
