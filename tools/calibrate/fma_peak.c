/* Measures one core's peak AVX2 FMA throughput (GFLOP/s) and the implied clock, for the "% of peak"
 * figures in BENCHMARKS.md. Ten independent 8-lane FMA chains hide the 4-cycle latency, so the
 * loop runs at the FMA ports' throughput. Build: cc -O2 -mavx2 -mfma fma_peak.c -o fma_peak */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

int main(void) {
    __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    __m256 c0 = _mm256_set1_ps(0), c1 = _mm256_set1_ps(1), c2 = _mm256_set1_ps(2), c3 = _mm256_set1_ps(3),
           c4 = _mm256_set1_ps(4), c5 = _mm256_set1_ps(5), c6 = _mm256_set1_ps(6), c7 = _mm256_set1_ps(7),
           c8 = _mm256_set1_ps(8), c9 = _mm256_set1_ps(9);
    const long iters = 100000000;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long n = 0; n < iters; n++) {
            c0 = _mm256_fmadd_ps(c0, a, b); c1 = _mm256_fmadd_ps(c1, a, b); c2 = _mm256_fmadd_ps(c2, a, b);
            c3 = _mm256_fmadd_ps(c3, a, b); c4 = _mm256_fmadd_ps(c4, a, b); c5 = _mm256_fmadd_ps(c5, a, b);
            c6 = _mm256_fmadd_ps(c6, a, b); c7 = _mm256_fmadd_ps(c7, a, b); c8 = _mm256_fmadd_ps(c8, a, b);
            c9 = _mm256_fmadd_ps(c9, a, b);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
        if (s < best) best = s;
    }
    float sink = 0;
    __m256 all = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)),
                               _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7)), _mm256_add_ps(c8, c9)));
    sink = all[0];
    double fmas = (double)iters * 10;
    printf("%.1f GFLOP/s per core (%.2f G FMA instr/s; at 2 FMA/cycle = %.2f GHz) [%g]\n",
           fmas * 16 / best / 1e9, fmas / best / 1e9, fmas / best / 2e9, sink);
    return 0;
}
