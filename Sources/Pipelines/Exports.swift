// The Hepatix module is the Swift API: geometry, grids, filters and kernel tiers from the kernels
// layer are part of it.
@_exported import HepatixKernels
