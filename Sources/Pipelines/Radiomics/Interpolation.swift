import Foundation

extension RadiomicsImage {
    /// The image and mask on a grid of `spacing` (mm) as IBSI aligns it: the same centre, `ceil(n s / s')`
    /// voxels per axis. Intensities by trilinear interpolation (edge values held beyond the grid), rounded
    /// to integers when `roundToInteger` (CT); the mask by trilinear interpolation of 0/1 kept where >= 0.5.
    /// With `inPlaneOnly` the slices stay as they are (2D configurations).
    /// - Throws: `RadiomicsError.invalid` for a non-positive spacing or an ROI lost to the threshold.
    public func resampled(to spacing: SIMD3<Double>, inPlaneOnly: Bool = false, roundToInteger: Bool = true) throws -> RadiomicsImage {
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
                    let value = sample(self.values)
                    values[v] = roundToInteger ? value.rounded() : value
                    mask[v] = sample(m) >= 0.5
                }
            }
        }
        return try RadiomicsImage(nx: mx, ny: my, nz: mz, spacing: target, values: values, mask: mask)
    }
}
