/* The file this code was loaded from (the shared library or the executable), for finding shipped data
 * (models) beside it. dladdr needs _GNU_SOURCE on glibc, which Swift's Glibc module does not expose. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include "CKernels.h"

int hxk_loaded_image_path(char *buf, int cap) {
    Dl_info info;
    if (cap <= 0 || dladdr((void *)&hxk_loaded_image_path, &info) == 0 || info.dli_fname == NULL) return 0;
    size_t n = strlen(info.dli_fname);
    if (n + 1 > (size_t)cap) return 0;
    memcpy(buf, info.dli_fname, n + 1);
    return 1;
}
