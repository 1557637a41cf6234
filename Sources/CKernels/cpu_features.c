/* CPU feature detection for Hepatix kernel dispatch. */
#include "CKernels.h"
#include <cpuid.h>
#include <string.h>

hxk_tier hxk_detect_tier(void) {
    __builtin_cpu_init();
    int avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                 __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq");
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (avx512 && avx2) return HXK_TIER_AVX512;
    if (avx2) return HXK_TIER_AVX2;
    return HXK_TIER_SCALAR;
}

void hxk_cpu_brand(char *buf, int cap) {
    if (!buf || cap <= 0) return;
    unsigned int regs[12] = {0};
    unsigned int max = __get_cpuid_max(0x80000000u, 0);
    if (max < 0x80000004u) { strncpy(buf, "unknown x86-64", (size_t)cap - 1); buf[cap - 1] = 0; return; }
    for (unsigned int i = 0; i < 3; i++)
        __get_cpuid(0x80000002u + i, &regs[4 * i], &regs[4 * i + 1], &regs[4 * i + 2], &regs[4 * i + 3]);
    char brand[49];
    memcpy(brand, regs, 48); brand[48] = 0;
    const char *p = brand; while (*p == ' ') p++;
    strncpy(buf, p, (size_t)cap - 1); buf[cap - 1] = 0;
}
