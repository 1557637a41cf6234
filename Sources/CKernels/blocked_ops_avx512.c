/* Memory-bound passes over channel-blocked activations on AVX-512 (see hxk_conv.h). */
#include "hxk_conv.h"

#include <immintrin.h>

#define HXK_TARGET_BF16 __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx512bf16")))

HXK_TARGET_BF16 void hxk_affine_activate_avx512(const float *in, size_t pixels, const float *factor, const float *shift, int activation,
                                                float alpha, float *out, uint16_t *out_bf16, int streaming) {
    const __m512 f = _mm512_loadu_ps(factor), s = _mm512_loadu_ps(shift), zero = _mm512_setzero_ps(), slope = _mm512_set1_ps(alpha);
    for (size_t p = 0; p < pixels; p++) {
        __m512 v = _mm512_fmadd_ps(_mm512_loadu_ps(in + 16 * p), f, s);
        if (activation == 1) v = _mm512_max_ps(v, zero);
        else if (activation == 2) v = _mm512_mask_mul_ps(v, _mm512_cmp_ps_mask(v, zero, _CMP_LT_OQ), v, slope);
        if (streaming) {
            if (out) _mm512_stream_ps(out + 16 * p, v);
            if (out_bf16) _mm256_stream_si256((__m256i *)(out_bf16 + 16 * p), (__m256i)_mm512_cvtneps_pbh(v));
        } else {
            if (out) _mm512_storeu_ps(out + 16 * p, v);
            if (out_bf16) _mm256_storeu_si256((__m256i *)(out_bf16 + 16 * p), (__m256i)_mm512_cvtneps_pbh(v));
        }
    }
    if (streaming) _mm_sfence();
}

#define HXK_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))

/* Pixels per call of the few-outputs kernel: 8 x 3 accumulators + 3 weights + 1 input stay in registers. */
enum { FEW_PIXELS = 8 };

static inline HXK_TARGET __attribute__((always_inline)) void few_outputs(const float *in, size_t in_block_stride, size_t pixel_step,
                                                                         const int64_t *taps, int ntaps, int in_blocks, const float *weights,
                                                                         const float *bias, const int outs, float *out, size_t out_pixel_step,
                                                                         const int pixels, int activation, float alpha) {
    __m512 acc[FEW_PIXELS][3];
    _Pragma("clang loop unroll(full)")
    for (int p = 0; p < pixels; p++)
        _Pragma("clang loop unroll(full)")
        for (int o = 0; o < outs; o++) acc[p][o] = _mm512_setzero_ps();
    const float *w = weights;
    for (int cb = 0; cb < in_blocks; cb++) {
        const float *block = in + (size_t)cb * in_block_stride;
        for (int t = 0; t < ntaps; t++, w += 16 * outs) {
            const float *origin = block + taps[t];
            __m512 wv[3];
            _Pragma("clang loop unroll(full)")
            for (int o = 0; o < outs; o++) wv[o] = _mm512_loadu_ps(w + 16 * o);
            _Pragma("clang loop unroll(full)")
            for (int p = 0; p < pixels; p++) {
                __m512 x = _mm512_loadu_ps(origin + p * pixel_step);
                _Pragma("clang loop unroll(full)")
                for (int o = 0; o < outs; o++) acc[p][o] = _mm512_fmadd_ps(x, wv[o], acc[p][o]);
            }
        }
    }
    for (int p = 0; p < pixels; p++) {
        for (int o = 0; o < outs; o++) {
            float v = _mm512_reduce_add_ps(acc[p][o]) + bias[o];
            if (activation == 1) v = v > 0 ? v : 0;
            else if (activation == 2 && v < 0) v *= alpha;
            out[p * out_pixel_step + o] = v;
        }
    }
}

#define HXK_FEW_CASE(o, n) case (o) * 16 + (n): few_outputs(from, in_block_stride, pixel_step, taps, ntaps, in_blocks, weights, bias, \
                                                     o, to, out_pixel_step, n, activation, alpha); break;
#define HXK_FEW_CASES(o) HXK_FEW_CASE(o, 8) HXK_FEW_CASE(o, 7) HXK_FEW_CASE(o, 6) HXK_FEW_CASE(o, 5) HXK_FEW_CASE(o, 4) \
                         HXK_FEW_CASE(o, 3) HXK_FEW_CASE(o, 2) HXK_FEW_CASE(o, 1)

HXK_TARGET void hxk_conv_few_outputs_avx512(const float *in, size_t in_block_stride, size_t pixel_step, const int64_t *taps, int ntaps,
                                            int in_blocks, const float *weights, const float *bias, int outs, float *out,
                                            size_t out_pixel_step, int pixels, int activation, float alpha) {
    unsigned int mxcsr = _mm_getcsr();
    _mm_setcsr(mxcsr | 0x8040); /* FTZ | DAZ, as in the direct kernel */
    for (int done = 0; done < pixels; done += FEW_PIXELS) {
        int n = pixels - done < FEW_PIXELS ? pixels - done : FEW_PIXELS;
        const float *from = in + (size_t)done * pixel_step;
        float *to = out + (size_t)done * out_pixel_step;
        switch (outs * 16 + n) {
            HXK_FEW_CASES(1) HXK_FEW_CASES(2) HXK_FEW_CASES(3)
            default: break;
        }
    }
    _mm_setcsr(mxcsr);
}

HXK_TARGET void hxk_max_pool_row_avx512(const float *in, size_t in_pixel_step, size_t in_row_stride, size_t in_plane_stride,
                                        int wd, int wh, int ww, float *out, int pixels) {
    for (int x = 0; x < pixels; x++) {
        const float *origin = in + (size_t)x * ww * in_pixel_step;
        __m512 m = _mm512_set1_ps(-__builtin_inff());
        for (int dz = 0; dz < wd; dz++)
            for (int dy = 0; dy < wh; dy++)
                for (int dx = 0; dx < ww; dx++)
                    m = _mm512_max_ps(m, _mm512_loadu_ps(origin + dz * in_plane_stride + dy * in_row_stride + dx * in_pixel_step));
        _mm512_storeu_ps(out + 16 * x, m);
    }
}

HXK_TARGET void hxk_copy_streaming_avx512(const float *source, float *target, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_stream_ps(target + i, _mm512_loadu_ps(source + i));
    for (; i < count; i++) target[i] = source[i];
    _mm_sfence();
}

HXK_TARGET void hxk_channel_sums_avx512(const float *in, size_t pixels, double *sums, double *squares) {
    __m512d s0 = _mm512_loadu_pd(sums), s1 = _mm512_loadu_pd(sums + 8);
    __m512d q0 = _mm512_loadu_pd(squares), q1 = _mm512_loadu_pd(squares + 8);
    for (size_t p = 0; p < pixels; p++) {
        __m512 v = _mm512_loadu_ps(in + 16 * p);
        __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(v));
        __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
        s0 = _mm512_add_pd(s0, lo);
        s1 = _mm512_add_pd(s1, hi);
        q0 = _mm512_fmadd_pd(lo, lo, q0);
        q1 = _mm512_fmadd_pd(hi, hi, q1);
    }
    _mm512_storeu_pd(sums, s0);
    _mm512_storeu_pd(sums + 8, s1);
    _mm512_storeu_pd(squares, q0);
    _mm512_storeu_pd(squares + 8, q1);
}
