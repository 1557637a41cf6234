/* Single-precision FFTW for Hepatix. <complex.h> must never come before fftw3.h here:
   fftwf_complex would then become float _Complex, which Swift cannot import. */
#ifndef HEPATIX_CFFTW_SHIM_H
#define HEPATIX_CFFTW_SHIM_H
#include <fftw3.h>
#endif
