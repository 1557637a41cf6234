/* AVX512_BF16 dot-product peak of one core: 24 independent zmm vdpbf16ps chains (each instruction 32
 * multiply-adds = 64 FLOP), best of 20 trials. The denominator of the bf16 path's "% of peak" figures
 * (BENCHMARKS.md).  build: clang -O2 bf16_peak_avx512.c -o bf16_peak_avx512 */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

__attribute__((target("avx512f,avx512bf16"))) int main(void) {
    __m512 a[24];
    for (int i = 0; i < 24; i++) a[i] = _mm512_set1_ps(i * 0.001f);
    __m512bh x = _mm512_cvtne2ps_pbh(_mm512_set1_ps(0.5f), _mm512_set1_ps(0.25f));
    __m512bh y = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1e-6f), _mm512_set1_ps(-1e-6f));
    double best = 0;
    for (int trial = 0; trial < 20; trial++) {
        double t0 = now();
        long n = 20000000;
        for (long k = 0; k < n; k++) {
            for (int i = 0; i < 24; i++) a[i] = _mm512_dpbf16_ps(a[i], x, y);
            __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]), "+v"(a[5]));
        }
        double g = 24.0 * 32 * 2 * n / (now() - t0) * 1e-9;
        if (g > best) best = g;
    }
    float sum = 0;
    for (int i = 0; i < 24; i++) sum += _mm512_reduce_add_ps(a[i]);
    printf("AVX512_BF16 dot-product peak, 1 thread: %.1f GFLOP/s (checksum %g)\n", best, sum);
    return 0;
}
