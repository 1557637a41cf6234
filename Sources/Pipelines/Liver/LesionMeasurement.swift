/// Axial diameters of a lesion mask, RECIST style: the long axis is the longest outer-edge-to-outer-edge
/// in-plane distance on any axial slice (voxel-centre distance plus one pixel), the short axis the
/// longest extent perpendicular to it on that slice.
public enum LesionMeasurement {
    /// Long and short axis (mm) and the slice of the long axis.
    public static func axialDiameters(_ voxels: [Int], grid: VolumeGrid) -> (long: Double, short: Double, slice: Int) {
        let (nx, plane) = (grid.nx, grid.nx * grid.ny)
        var bySlice: [Int: [SIMD2<Double>]] = [:]
        for n in voxels {
            bySlice[n / plane, default: []].append(SIMD2(Double(n % nx) * grid.spacing.x, Double((n % plane) / nx) * grid.spacing.y))
        }
        var best = (long: 0.0, short: 0.0, slice: 0)
        let pixel = (grid.spacing.x + grid.spacing.y) / 2
        for (k, points) in bySlice.sorted(by: { $0.key < $1.key }) {
            var longest = 0.0, direction = SIMD2<Double>(1, 0)
            for a in 0..<points.count { for b in (a + 1)..<max(a + 1, points.count) {
                let d = points[b] - points[a], length = (d * d).sum().squareRoot()
                if length > longest { (longest, direction) = (length, d / length) }
            } }
            if longest + pixel > best.long {
                let normal = SIMD2(-direction.y, direction.x)
                let projections = points.map { ($0 * normal).sum() }
                let short = (projections.max() ?? 0) - (projections.min() ?? 0) + pixel
                best = (longest + pixel, short, k)
            }
        }
        return best
    }
}
