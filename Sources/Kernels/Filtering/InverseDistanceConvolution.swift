import CFFTW
import Foundation

/// Convolution of a 3D grid with the inverse-distance kernel `K(d) = 1 / |d|` (mm; `K(0) = 0`), by FFT
/// on a grid zero-padded to twice each size so nothing wraps around: `(K * b)_i = Σ_{j≠i} b_j / |r_i - r_j|`
/// for every voxel at once, in O(N log N) instead of O(N²). Spatial autocorrelation (Moran's I,
/// Geary's C) is built from a few such sums. Double precision throughout.
public enum InverseDistanceConvolution {
    /// `K * b` for `b` on an `nx × ny × nz` grid (x fastest) with voxel `spacing` (mm).
    /// - Throws: `GeometryError` for empty or oversized grids or when FFTW cannot plan.
    public static func convolve(_ b: [Double], nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>) throws -> [Double] {
        try require(nx >= 1 && ny >= 1 && nz >= 1 && b.count == nx * ny * nz, "grid and data sizes disagree")
        let (px, py, pz) = (2 * nx, 2 * ny, 2 * nz)
        try require(px * py * pz <= 1 << 28, "grid too large for the inverse-distance convolution")
        let real = px * py * pz, complex = pz * py * (px / 2 + 1)
        let kernel = fftw_alloc_real(real)!, data = fftw_alloc_real(real)!
        let kSpectrum = fftw_alloc_complex(complex)!, dSpectrum = fftw_alloc_complex(complex)!
        defer { fftw_free(kernel); fftw_free(data); fftw_free(kSpectrum); fftw_free(dSpectrum) }
        for z in 0..<pz { for y in 0..<py { for x in 0..<px {
            // Offsets wrap: index x stands for dx = x (x < nx) or x - px.
            let d = SIMD3(Double(x < nx ? x : x - px), Double(y < ny ? y : y - py), Double(z < nz ? z : z - pz)) * spacing
            let r = (d * d).sum().squareRoot()
            kernel[(z * py + y) * px + x] = r > 0 ? 1 / r : 0
            data[(z * py + y) * px + x] = x < nx && y < ny && z < nz ? b[(z * ny + y) * nx + x] : 0
        } } }
        let plans: (fftw_plan?, fftw_plan?, fftw_plan?) = fftwPlannerLock.withLock {
            (fftw_plan_dft_r2c_3d(Int32(pz), Int32(py), Int32(px), kernel, kSpectrum, UInt32(FFTW_ESTIMATE)),
             fftw_plan_dft_r2c_3d(Int32(pz), Int32(py), Int32(px), data, dSpectrum, UInt32(FFTW_ESTIMATE)),
             fftw_plan_dft_c2r_3d(Int32(pz), Int32(py), Int32(px), dSpectrum, data, UInt32(FFTW_ESTIMATE)))
        }
        guard let forwardK = plans.0, let forwardD = plans.1, let inverse = plans.2 else {
            throw GeometryError.unsupported("FFTW could not plan a \(px) x \(py) x \(pz) transform")
        }
        defer { fftwPlannerLock.withLock { fftw_destroy_plan(forwardK); fftw_destroy_plan(forwardD); fftw_destroy_plan(inverse) } }
        fftw_execute(forwardK)
        fftw_execute(forwardD)
        let scale = 1 / Double(real)
        for i in 0..<complex {
            let (a, c) = (kSpectrum[i], dSpectrum[i])
            dSpectrum[i] = ((a.0 * c.0 - a.1 * c.1) * scale, (a.0 * c.1 + a.1 * c.0) * scale)
        }
        fftw_execute(inverse)
        var out = [Double](repeating: 0, count: b.count)
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx { out[(z * ny + y) * nx + x] = data[(z * py + y) * px + x] } } }
        return out
    }
}
