/* Hepatix C helpers: CPU feature detection and a few AVX2 intrinsics that Swift SIMD cannot express
 * without falling off a performance cliff (permutes, blends, gathers, float<->int conversions).
 * The intrinsic helpers only exist when the including module is compiled for AVX2+FMA
 * (-Xcc -march=haswell); callers in the baseline module never see them. Not public API. */
#ifndef HEPATIX_CKERNELS_H
#define HEPATIX_CKERNELS_H

#include <stdint.h>

#include "hxk_conv.h"
#include "hxk_winograd.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Eight floats; imports into Swift as SIMD8<Float>. */
typedef float hxk_f32x8 __attribute__((vector_size(32)));
/** Eight 32-bit integers; imports into Swift as SIMD8<Int32>. */
typedef int32_t hxk_i32x8 __attribute__((vector_size(32)));

/** CPU kernel tiers, best first. */
typedef enum hxk_tier {
    HXK_TIER_SCALAR = 0,   /**< portable scalar reference code */
    HXK_TIER_AVX2 = 1,     /**< AVX2 + FMA (x86-64-v3) */
    HXK_TIER_AVX512 = 2    /**< AVX-512F/BW/VL/DQ (reported, no kernels yet) */
} hxk_tier;

/** Best tier this CPU supports (CPUID, checked once). */
hxk_tier hxk_detect_tier(void);

/** A short CPU model string (CPUID brand), written into buf (NUL-terminated, truncated to cap). */
void hxk_cpu_brand(char *buf, int cap);

/** Copies the path of the binary (shared library or executable) holding this code into buf (cap bytes,
 *  NUL-terminated); returns 1, or 0 when it is unknown or does not fit. */
int hxk_loaded_image_path(char *buf, int cap);

/** One view of a 2D weighted backprojection, in voxel-index coordinates (j column, i row):
 *  depth w = w0 + wj*j + wi*i (1 for parallel beams), detector column u = (u0 + uj*j + ui*i) / w,
 *  already shifted into the padded projection row. */
typedef struct hxk_view2d {
    double u0, uj, ui;
    double w0, wj, wi;
} hxk_view2d;

/** Arguments of a 2D weighted backprojection tile. Contributions are sum_v weight * q_v(u), with
 *  weight = 1/w^2 (divergent) or 1 (parallel) and q_v linearly interpolated, zero outside the detector. */
typedef struct hxk_bp2d_args {
    const float *projections;  /**< filtered rows, [view][stride], zero-padded on both sides */
    int64_t stride;            /**< floats from one view's row to the next */
    const hxk_view2d *views;   /**< nviews entries */
    int32_t nviews;
    int32_t parallel;          /**< 1: w == 1 for every voxel (no division, no weight) */
    double u_lo, u_hi;         /**< padded columns [u_lo, u_hi] can be non-zero; outside, q == 0 */
} hxk_bp2d_args;

/** One view of a 3D weighted backprojection whose column and depth do not depend on the slice k
 *  (circular orbit about z, untilted detector): w = w0 + wj*j + wi*i, u = (u0 + uj*j + ui*i)/w,
 *  v = (v0 + vj*j + vi*i + vk*k)/w, v already shifted into the padded projection column. */
typedef struct hxk_view3d {
    double u0, uj, ui;
    double v0, vj, vi, vk;
    double w0, wj, wi;
} hxk_view3d;

/** Arguments of a 3D weighted backprojection tile (voxel columns along z). Projections are stored
 *  transposed, [view][column + 1][padded row], with one zero column on each side. */
typedef struct hxk_bp3d_args {
    const float *projections;
    int64_t view_stride;       /**< floats between views */
    int64_t column_stride;     /**< floats between detector columns */
    const hxk_view3d *views;
    int32_t nviews;
    int32_t parallel;
    int32_t columns;           /**< detector columns; u outside [-1, columns] contributes nothing */
    int32_t k_first;           /**< first slice of the block */
    int32_t nz;                /**< slices in the block (scratch holds nz floats per voxel column) */
    double v_lo, v_hi;         /**< padded rows [v_lo, v_hi] can be non-zero */
} hxk_bp3d_args;

/** Clips the index range [*first, *last) to the indices t with lo <= (a + b t) / (c + d t) <= hi,
 *  assuming c + d t > 0 over the range (the voxel is in front of the source). Leaves an empty range
 *  (*first == *last) when no index qualifies. */
static inline void hxk_clip_projective(double a, double b, double c, double d, double lo, double hi,
                                       int64_t *first, int64_t *last) {
    double t0 = (double)*first, t1 = (double)(*last - 1);
    /* p t >= q for (p, q) = (b - lo d, lo c - a) and (hi d - b, a - hi c) */
    double p[2] = {b - lo * d, hi * d - b}, q[2] = {lo * c - a, a - hi * c};
    for (int n = 0; n < 2; n++) {
        if (p[n] > 1e-12 || p[n] < -1e-12) {
            double t = q[n] / p[n];
            if (p[n] > 0) { if (t > t0) t0 = t; } else { if (t < t1) t1 = t; }
        } else if (q[n] > 0) {
            *last = *first; return;
        }
    }
    if (!(t0 <= t1)) { *last = *first; return; }
    int64_t f = (int64_t)__builtin_ceil(t0), l = (int64_t)__builtin_floor(t1) + 1;
    if (f < *first) f = *first;
    if (l > *last) l = *last;
    if (l < f) l = f;
    *first = f; *last = l;
}

/** Truncation toward zero without Swift's range check; the caller guarantees 0 <= x < 2^31. */
static inline __attribute__((always_inline)) int32_t hxk_truncate_scalar(float x) { return (int32_t)x; }

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>

/** table[idx[l] & 7] per lane (vpermps). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_permute(hxk_f32x8 table, hxk_i32x8 idx) {
    return (hxk_f32x8)_mm256_permutevar8x32_ps((__m256)table, (__m256i)idx);
}

/** Lane l takes hi[l] where bit 3 of idx[l] is set, else lo[l] (vblendvps on idx << 28). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_select_bit3(hxk_f32x8 lo, hxk_f32x8 hi, hxk_i32x8 idx) {
    __m256 mask = _mm256_castsi256_ps(_mm256_slli_epi32((__m256i)idx, 28));
    return (hxk_f32x8)_mm256_blendv_ps((__m256)lo, (__m256)hi, mask);
}

/** Sixteen-entry table lookup: (t0 ++ t1)[idx[l]] for idx in [0, 15]. */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_lookup16(hxk_f32x8 t0, hxk_f32x8 t1, hxk_i32x8 idx) {
    return hxk_select_bit3(hxk_permute(t0, idx), hxk_permute(t1, idx), idx);
}

/** base[idx[l]] per lane (vgatherdps). The caller guarantees every index is in bounds. */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_gather(const float *base, hxk_i32x8 idx) {
    return (hxk_f32x8)_mm256_i32gather_ps(base, (__m256i)idx, 4);
}

/** Hints the cache line holding p into L2 (prefetcht1). */
static inline __attribute__((always_inline)) void hxk_prefetch_l2(const void *p) {
    _mm_prefetch((const char *)p, _MM_HINT_T1);
}

/** Eight unaligned floats from p. */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_load(const float *p) {
    return (hxk_f32x8)_mm256_loadu_ps(p);
}

/** Eight floats stored unaligned at p. */
static inline __attribute__((always_inline)) void hxk_store(float *p, hxk_f32x8 v) {
    _mm256_storeu_ps(p, (__m256)v);
}

/** Truncation toward zero (vcvttps2dq); equals floor for non-negative lanes. */
static inline __attribute__((always_inline)) hxk_i32x8 hxk_truncate(hxk_f32x8 x) {
    return (hxk_i32x8)_mm256_cvttps_epi32((__m256)x);
}

/** Integer to float (vcvtdq2ps). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_to_float(hxk_i32x8 x) {
    return (hxk_f32x8)_mm256_cvtepi32_ps((__m256i)x);
}

/** a * b + c, fused (vfmadd). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_fma(hxk_f32x8 a, hxk_f32x8 b, hxk_f32x8 c) {
    return (hxk_f32x8)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
}

/** a + b, a - b and a * b per lane (Swift's SIMD8 operators sometimes split lanes; these never do). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_add(hxk_f32x8 a, hxk_f32x8 b) {
    return (hxk_f32x8)_mm256_add_ps((__m256)a, (__m256)b);
}
static inline __attribute__((always_inline)) hxk_f32x8 hxk_sub(hxk_f32x8 a, hxk_f32x8 b) {
    return (hxk_f32x8)_mm256_sub_ps((__m256)a, (__m256)b);
}
static inline __attribute__((always_inline)) hxk_f32x8 hxk_mul(hxk_f32x8 a, hxk_f32x8 b) {
    return (hxk_f32x8)_mm256_mul_ps((__m256)a, (__m256)b);
}

/** Lane-wise minimum and maximum (vminps / vmaxps). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_min(hxk_f32x8 a, hxk_f32x8 b) {
    return (hxk_f32x8)_mm256_min_ps((__m256)a, (__m256)b);
}
static inline __attribute__((always_inline)) hxk_f32x8 hxk_max(hxk_f32x8 a, hxk_f32x8 b) {
    return (hxk_f32x8)_mm256_max_ps((__m256)a, (__m256)b);
}

/** |x| per lane (clears the sign bit). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_abs(hxk_f32x8 x) {
    return (hxk_f32x8)_mm256_andnot_ps(_mm256_set1_ps(-0.0f), (__m256)x);
}

/** floor(x) per lane, as integers (vroundps + vcvttps2dq); |x| < 2^31. */
static inline __attribute__((always_inline)) hxk_i32x8 hxk_floor_int(hxk_f32x8 x) {
    return (hxk_i32x8)_mm256_cvttps_epi32(_mm256_floor_ps((__m256)x));
}

/** Integer lanes clamped to [lo, hi] (vpmaxsd / vpminsd). */
static inline __attribute__((always_inline)) hxk_i32x8 hxk_clamp_int(hxk_i32x8 x, int32_t lo, int32_t hi) {
    return (hxk_i32x8)_mm256_min_epi32(_mm256_max_epi32((__m256i)x, _mm256_set1_epi32(lo)), _mm256_set1_epi32(hi));
}

/** Lanes l < count keep v, the others become 0 (for the ragged end of a range). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_keep_first(hxk_f32x8 v, int32_t count) {
    __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    __m256i keep = _mm256_cmpgt_epi32(_mm256_set1_epi32(count), lanes);
    return (hxk_f32x8)_mm256_and_ps((__m256)v, _mm256_castsi256_ps(keep));
}

/** Eight unaligned 32-bit integers from p. */
static inline __attribute__((always_inline)) hxk_i32x8 hxk_load_int(const int32_t *p) {
    return (hxk_i32x8)_mm256_loadu_si256((const __m256i *)p);
}

/** Lanes l >= count take the value of lane count - 1 (1 <= count <= 8), keeping a monotone vector monotone. */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_extend_last(hxk_f32x8 v, int32_t count) {
    __m256i lanes = _mm256_min_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_epi32(count - 1));
    return (hxk_f32x8)_mm256_permutevar8x32_ps((__m256)v, lanes);
}

/** The lane numbers 0, 1, ..., 7 as floats (a constant load). */
static inline __attribute__((always_inline)) hxk_f32x8 hxk_lane_numbers(void) {
    return (hxk_f32x8)_mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7);
}

/** Lane 0 and lane 7 of an integer vector. */
static inline __attribute__((always_inline)) int32_t hxk_first_int(hxk_i32x8 v) {
    return _mm256_cvtsi256_si32((__m256i)v);
}
static inline __attribute__((always_inline)) int32_t hxk_last_int(hxk_i32x8 v) {
    return _mm256_extract_epi32((__m256i)v, 7);
}

/** Lane 0 and lane 7 of v, as scalars (for a monotone vector, its two ends). */
static inline __attribute__((always_inline)) float hxk_first(hxk_f32x8 v) {
    return _mm256_cvtss_f32((__m256)v);
}
static inline __attribute__((always_inline)) float hxk_last(hxk_f32x8 v) {
    __m128 h = _mm256_extractf128_ps((__m256)v, 1);
    return _mm_cvtss_f32(_mm_permute_ps(h, 0xFF));
}
#endif

#ifdef __cplusplus
}
#endif
#endif
