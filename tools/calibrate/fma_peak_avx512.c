/* AVX-512 FMA peak of one core: 24 independent zmm FMA chains, best of 20 trials. The denominator of the
 * CNN engine's "% of peak" figures (BENCHMARKS.md).  build: clang -O2 fma_peak_avx512.c -o fma_peak_avx512 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f"))) int main(void) {
    __m512 a[24];
    for (int i = 0; i < 24; i++) a[i] = _mm512_set1_ps(i * 0.001f);
    __m512 x = _mm512_set1_ps(0.9999f), y = _mm512_set1_ps(0.00001f);
    double best = 0;
    for (int trial = 0; trial < 20; trial++) {
        double t0 = now();
        long n = 20000000;
        for (long k = 0; k < n; k++) {
            for (int i = 0; i < 24; i++) a[i] = _mm512_fmadd_ps(a[i], x, y);
            __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5]));
        }
        double g = 24.0 * 16 * 2 * n / (now() - t0) * 1e-9;
        if (g > best) best = g;
    }
    float sum = 0;
    for (int i = 0; i < 24; i++) sum += _mm512_reduce_add_ps(a[i]);
    printf("AVX-512 FMA peak, 1 thread: %.1f GFLOP/s (checksum %g)\n", best, sum);
    return 0;
}
