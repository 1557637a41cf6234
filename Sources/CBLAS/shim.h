/* OpenBLAS's CBLAS interface (kept apart from FFTW: openblas_config.h pulls in <complex.h>). */
#ifndef HEPATIX_CBLAS_SHIM_H
#define HEPATIX_CBLAS_SHIM_H
#include <cblas.h>
#endif
