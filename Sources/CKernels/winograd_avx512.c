/* Winograd F(4x4, 3x3) on AVX-512 (see hxk_winograd.h). The transforms work on whole 16-channel vectors;
 * the matrices are the usual ones for the points 0, +-1, +-2 and infinity:
 *   B^T x = (4x0 - 5x2 + x4, -4x1 - 4x2 + x3 + x4, 4x1 - 4x2 - x3 + x4, -2x1 - x2 + 2x3 + x4,
 *            2x1 - x2 - 2x3 + x4, 4x1 - 5x3 + x5)
 *   A^T m = (m0 + m1 + m2 + m3 + m4, m1 - m2 + 2m3 - 2m4, m1 + m2 + 4m3 + 4m4, m1 - m2 + 8m3 - 8m4 + m5) */
#include "hxk_winograd.h"
#include "hxk_conv.h"

#include <immintrin.h>

#define HXK_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))
#define HXK_INLINE static inline HXK_TARGET __attribute__((always_inline))

/** B^T applied to six vectors x[0], x[s], ..., x[5s] into r[0], r[t], ..., r[5t]. */
HXK_INLINE void input_1d(const __m512 *x, int s, __m512 *r, int t) {
    const __m512 two = _mm512_set1_ps(2), four = _mm512_set1_ps(4), five = _mm512_set1_ps(5);
    __m512 x0 = x[0], x1 = x[s], x2 = x[2 * s], x3 = x[3 * s], x4 = x[4 * s], x5 = x[5 * s];
    __m512 s34 = _mm512_add_ps(x3, x4), s12 = _mm512_add_ps(x1, x2);
    __m512 d43 = _mm512_sub_ps(x4, x3), d12 = _mm512_sub_ps(x1, x2);
    __m512 d42 = _mm512_sub_ps(x4, x2), d31 = _mm512_sub_ps(x3, x1);
    r[0] = _mm512_fmadd_ps(four, x0, _mm512_fnmadd_ps(five, x2, x4));
    r[t] = _mm512_fnmadd_ps(four, s12, s34);
    r[2 * t] = _mm512_fmadd_ps(four, d12, d43);
    r[3 * t] = _mm512_fmadd_ps(two, d31, d42);
    r[4 * t] = _mm512_fnmadd_ps(two, d31, d42);
    r[5 * t] = _mm512_fmadd_ps(four, x1, _mm512_fnmadd_ps(five, x3, x5));
}

/** A^T applied to six vectors m[0], m[s], ..., m[5s] into r[0], r[t], r[2t], r[3t]. */
HXK_INLINE void output_1d(const __m512 *m, int s, __m512 *r, int t) {
    const __m512 two = _mm512_set1_ps(2), four = _mm512_set1_ps(4), eight = _mm512_set1_ps(8);
    __m512 s12 = _mm512_add_ps(m[s], m[2 * s]), d12 = _mm512_sub_ps(m[s], m[2 * s]);
    __m512 s34 = _mm512_add_ps(m[3 * s], m[4 * s]), d34 = _mm512_sub_ps(m[3 * s], m[4 * s]);
    r[0] = _mm512_add_ps(_mm512_add_ps(m[0], s12), s34);
    r[t] = _mm512_fmadd_ps(two, d34, d12);
    r[2 * t] = _mm512_fmadd_ps(four, s34, s12);
    r[3 * t] = _mm512_add_ps(_mm512_fmadd_ps(eight, d34, d12), m[5 * s]);
}

/** V[position][block][tile][16] for every input block and tile of the chunk. */
static HXK_TARGET void transform_input(const hxk_winograd_chunk *c, float *v, size_t position_stride) {
    for (int b = 0; b < c->in_blocks; b++) {
        const float *block = c->in + (size_t)b * c->in_block_stride;
        for (int t = 0; t < c->tiles; t++) {
            const float *origin = block + (size_t)(4 * t) * 16;
            int inside = c->rows_available >= 6 && c->cols_available >= 4 * t + 6;
            __m512 d[36], rows[36], out[36];
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++)
                    d[6 * i + j] = inside || (i < c->rows_available && 4 * t + j < c->cols_available)
                        ? _mm512_loadu_ps(origin + i * c->in_row_stride + 16 * j) : _mm512_setzero_ps();
            for (int i = 0; i < 6; i++) input_1d(d + 6 * i, 1, rows + 6 * i, 1);    /* along each row */
            for (int j = 0; j < 6; j++) input_1d(rows + j, 6, out + j, 6);          /* then along each column */
            float *target = v + ((size_t)b * c->tiles + t) * 16;
            for (int p = 0; p < HXK_WINOGRAD_POSITIONS; p++) _mm512_storeu_ps(target + p * position_stride, out[p]);
        }
    }
}

/** Y = A^T M A for every output block and tile, plus bias and activation, stored where valid. */
static HXK_TARGET void transform_output(const hxk_winograd_chunk *c, const float *m, size_t position_stride) {
    const __m512 zero = _mm512_setzero_ps(), slope = _mm512_set1_ps(c->alpha);
    for (int b = 0; b < c->out_blocks; b++) {
        __m512 bias = _mm512_loadu_ps(c->bias + 16 * b);
        for (int t = 0; t < c->tiles; t++) {
            const float *source = m + ((size_t)b * c->tiles + t) * 16;
            __m512 x[36], rows[24], y[16];
            for (int p = 0; p < HXK_WINOGRAD_POSITIONS; p++) x[p] = _mm512_loadu_ps(source + p * position_stride);
            for (int i = 0; i < 6; i++) output_1d(x + 6 * i, 1, rows + 4 * i, 1);  /* rows: 6 x 4 */
            for (int j = 0; j < 4; j++) output_1d(rows + j, 4, y + j, 4);          /* columns: 4 x 4 */
            float *target = c->out + (size_t)b * c->out_block_stride + (size_t)(4 * t) * 16;
            int cols = c->cols_valid - 4 * t < 4 ? c->cols_valid - 4 * t : 4;
            for (int i = 0; i < c->rows_valid; i++) {
                for (int j = 0; j < cols; j++) {
                    __m512 value = _mm512_add_ps(y[4 * i + j], bias);
                    if (c->activation == 1) value = _mm512_max_ps(value, zero);
                    else if (c->activation == 2) value = _mm512_mask_mul_ps(value, _mm512_cmp_ps_mask(value, zero, _CMP_LT_OQ), value, slope);
                    _mm512_storeu_ps(target + i * c->out_row_stride + 16 * j, value);
                }
            }
        }
    }
}

HXK_TARGET void hxk_winograd43_chunk_avx512(const hxk_winograd_chunk *c) {
    unsigned int mxcsr = _mm_getcsr();
    _mm_setcsr(mxcsr | 0x8040); /* FTZ | DAZ, as in the direct kernel */
    size_t tile_floats = (size_t)c->tiles * 16;
    size_t v_stride = (size_t)c->in_blocks * tile_floats, m_stride = (size_t)(2 * c->out_pairs) * tile_floats;
    float *v = c->scratch, *m = c->scratch + HXK_WINOGRAD_POSITIONS * v_stride;
    transform_input(c, v, v_stride);
    const int64_t origin = 0;
    size_t pair_weights = (size_t)c->in_blocks * 16 * 32;
    for (int p = 0; p < HXK_WINOGRAD_POSITIONS; p++) {
        for (int pair = 0; pair < c->out_pairs; pair++) {
            hxk_conv_tile_avx512_raw(v + p * v_stride, tile_floats, 16, &origin, 1, c->in_blocks,
                                     c->weights + ((size_t)p * c->out_pairs + pair) * pair_weights, NULL,
                                     m + p * m_stride + (size_t)(2 * pair) * tile_floats, tile_floats, 16, c->tiles, 0, 0, 0, NULL);
        }
    }
    transform_output(c, m, m_stride);
    _mm_setcsr(mxcsr);
}
