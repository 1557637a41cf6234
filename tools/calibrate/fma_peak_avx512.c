/* AVX-512 peaks of one core: 24 independent zmm chains of FMAs (vfmadd, 32 FLOP each) and, when the CPU has
 * AVX512_BF16, of bfloat16 dot products (vdpbf16ps, 64 FLOP each), best of 20 trials. The denominators of the CNN
 * engine's "% of peak" figures (BENCHMARKS.md).  build: clang -O2 fma_peak_avx512.c -o fma_peak_avx512 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

enum { CHAINS = 24, TRIALS = 20 };
static const long STEPS = 20000000;

/* Best GFLOP/s of CHAINS chains of `step` (one instruction doing `flops` FLOP per chain), checksum in *sum. */
#define PEAK(step, flops, sum) do {                                                                      \
        __m512 a[CHAINS];                                                                                \
        for (int i = 0; i < CHAINS; i++) a[i] = _mm512_set1_ps(i * 0.001f);                            \
        for (int trial = 0; trial < TRIALS; trial++) {                                                   \
            double t0 = now();                                                                           \
            for (long k = 0; k < STEPS; k++) {                                                           \
                for (int i = 0; i < CHAINS; i++) a[i] = step;                                            \
                __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5])); \
            }                                                                                            \
            double g = (double)CHAINS * (flops) * STEPS / (now() - t0) * 1e-9;                          \
            if (g > best) best = g;                                                                      \
        }                                                                                                \
        for (int i = 0; i < CHAINS; i++) sum += _mm512_reduce_add_ps(a[i]);                            \
    } while (0)

__attribute__((target("avx512f"))) static double fma_peak(float *checksum) {
    __m512 x = _mm512_set1_ps(0.9999f), y = _mm512_set1_ps(0.00001f);
    double best = 0;
    PEAK(_mm512_fmadd_ps(a[i], x, y), 32, *checksum);
    return best;
}

__attribute__((target("avx512f,avx512bf16"))) static double bf16_peak(float *checksum) {
    __m512bh x = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0.5f), _mm512_set1_ps(0.25f));
    __m512bh y = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-6f), _mm512_set1_ps(-1e-6f));
    double best = 0;
    PEAK(_mm512_dpbf16_ps(a[i], x, y), 64, *checksum);
    return best;
}

int main(void) {
    float sum = 0;
    printf("AVX-512 FMA peak, 1 thread: %.1f GFLOP/s\n", fma_peak(&sum));
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512bf16")) printf("AVX512_BF16 dot-product peak, 1 thread: %.1f GFLOP/s\n", bf16_peak(&sum));
    printf("(checksum %g)\n", sum);
    return 0;
}
