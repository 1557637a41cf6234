import Foundation

extension RadiomicsImage {
    /// The image and mask on a grid of `spacing` (mm) as IBSI aligns it: the same centre, `ceil(n s / s')`
    /// voxels per axis. Intensities by trilinear interpolation (edge values held beyond the grid), rounded
    /// to integers when `roundToInteger` (CT); the mask by trilinear interpolation of 0/1 kept where >= 0.5.
    /// With `inPlaneOnly` the slices stay as they are (2D configurations). With `cubicSpline` intensities
    /// use cubic B-spline interpolation (coefficients by Unser's recursive prefilter, mirror boundaries)
    /// instead of trilinear; the mask stays trilinear.
    /// - Throws: `RadiomicsError.invalid` for a non-positive spacing or an ROI lost to the threshold.
    public func resampled(to spacing: SIMD3<Double>, inPlaneOnly: Bool = false, roundToInteger: Bool = true,
                          cubicSpline: Bool = false) throws -> RadiomicsImage {
        let target = inPlaneOnly ? SIMD3(spacing.x, spacing.y, self.spacing.z) : spacing
        guard target.x > 0, target.y > 0, target.z > 0 else { throw RadiomicsError.invalid("interpolation spacing must be positive") }
        let old = SIMD3(Double(nx), Double(ny), Double(nz))
        let size = SIMD3((old.x * self.spacing.x / target.x).rounded(.up), (old.y * self.spacing.y / target.y).rounded(.up),
                         (old.z * self.spacing.z / target.z).rounded(.up))
        let (mx, my, mz) = (Int(size.x), Int(size.y), Int(size.z))
        // Old index of new index j: j * s'/s + ((n - 1) - (n' - 1) s'/s) / 2 (centres aligned).
        let ratio = target / self.spacing
        let offset = ((old - 1) - (size - 1) * ratio) / 2
        func axis(_ j: Int, _ a: Int, _ n: Int) -> (Int, Int, Double) {
            let p = min(max(Double(j) * ratio[a] + offset[a], 0), Double(n - 1))
            let i = min(Int(p.rounded(.down)), max(n - 2, 0))
            return (i, min(i + 1, n - 1), p - Double(i))
        }
        let xs = (0..<mx).map { axis($0, 0, nx) }, ys = (0..<my).map { axis($0, 1, ny) }, zs = (0..<mz).map { axis($0, 2, nz) }
        var values = [Double](repeating: 0, count: mx * my * mz), mask = [Bool](repeating: false, count: values.count)
        let m = self.mask.map { $0 ? 1.0 : 0.0 }
        let coefficients = cubicSpline ? splineCoefficients(self.values) : []
        func position(_ j: Int, _ a: Int, _ n: Int) -> Double { min(max(Double(j) * ratio[a] + offset[a], 0), Double(n - 1)) }
        for k in 0..<mz {
            let (z0, z1, wz) = zs[k]
            for j in 0..<my {
                let (y0, y1, wy) = ys[j]
                for i in 0..<mx {
                    let (x0, x1, wx) = xs[i]
                    func sample(_ a: [Double]) -> Double {
                        func at(_ x: Int, _ y: Int, _ z: Int) -> Double { a[(z * ny + y) * nx + x] }
                        let c00 = at(x0, y0, z0) * (1 - wx) + at(x1, y0, z0) * wx, c10 = at(x0, y1, z0) * (1 - wx) + at(x1, y1, z0) * wx
                        let c01 = at(x0, y0, z1) * (1 - wx) + at(x1, y0, z1) * wx, c11 = at(x0, y1, z1) * (1 - wx) + at(x1, y1, z1) * wx
                        return (c00 * (1 - wy) + c10 * wy) * (1 - wz) + (c01 * (1 - wy) + c11 * wy) * wz
                    }
                    let v = (k * my + j) * mx + i
                    let value = cubicSpline
                        ? splineSample(coefficients, position(i, 0, nx), position(j, 1, ny), position(k, 2, nz))
                        : sample(self.values)
                    values[v] = roundToInteger ? value.rounded() : value
                    mask[v] = sample(m) >= 0.5
                }
            }
        }
        return try RadiomicsImage(nx: mx, ny: my, nz: mz, spacing: target, values: values, mask: mask)
    }

    /// Cubic B-spline coefficients of `a` along each axis in turn (pole √3 − 2, gain 6, mirror start).
    private func splineCoefficients(_ a: [Double]) -> [Double] {
        var c = a
        let z = 3.0.squareRoot() - 2
        func filter(_ line: inout [Double]) {
            let n = line.count
            guard n > 1 else { return }
            // Causal initialisation on the mirrored signal, truncated where z^k < 1e-12.
            var sum = line[0], zk = z
            for k in 1..<min(n, 30) { sum += zk * line[k]; zk *= z }
            line[0] = sum * 6
            for k in 1..<n { line[k] = line[k] * 6 + z * line[k - 1] }
            line[n - 1] = z / (z * z - 1) * (line[n - 1] + z * line[n - 2])
            for k in stride(from: n - 2, through: 0, by: -1) { line[k] = z * (line[k + 1] - line[k]) }
        }
        let dims = [nx, ny, nz], strides = [1, nx, nx * ny]
        for axis in 0..<3 where dims[axis] > 1 {
            let n = dims[axis], s = strides[axis]
            var line = [Double](repeating: 0, count: n)
            for start in 0..<c.count where (start / s) % n == 0 {
                for k in 0..<n { line[k] = c[start + k * s] }
                filter(&line)
                for k in 0..<n { c[start + k * s] = line[k] }
            }
        }
        return c
    }

    /// The cubic B-spline through coefficients `c` at index position (x, y, z); indices past the edges
    /// are clamped.
    private func splineSample(_ c: [Double], _ x: Double, _ y: Double, _ z: Double) -> Double {
        func weights(_ p: Double) -> (Int, [Double]) {
            let i = Int(p.rounded(.down)), t = p - Double(i)
            let t2 = t * t, t3 = t2 * t
            return (i, [(1 - t) * (1 - t) * (1 - t) / 6, (4 - 6 * t2 + 3 * t3) / 6, (1 + 3 * t + 3 * t2 - 3 * t3) / 6, t3 / 6])
        }
        let (ix, wx) = weights(x), (iy, wy) = weights(y), (iz, wz) = weights(z)
        var sum = 0.0
        for dz in 0..<4 {
            let zz = min(max(iz + dz - 1, 0), nz - 1)
            for dy in 0..<4 {
                let yy = min(max(iy + dy - 1, 0), ny - 1)
                var row = 0.0
                for dx in 0..<4 { row += wx[dx] * c[(zz * ny + yy) * nx + min(max(ix + dx - 1, 0), nx - 1)] }
                sum += wz[dz] * wy[dy] * row
            }
        }
        return sum
    }
}
