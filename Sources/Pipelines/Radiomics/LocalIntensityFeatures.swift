import Foundation

/// IBSI local intensity features (9ST6): the mean intensity in a 1 cm³ sphere (radius 6.2 mm) centred on
/// a voxel, over every image voxel whose centre lies in the sphere (inside or outside the ROI).
///
/// The sphere is a stack of x-runs, one per (dy, dz) offset; with prefix sums along x each run costs
/// one subtraction, so a voxel's sphere sum costs ~170 operations on a 0.7 × 0.7 × 1 mm grid instead of
/// ~2000, and whole ROI row spans are summed at once.
enum LocalIntensityFeatures {
    static let names: FeatureNames = [("loc.peak.local", "VJGA"), ("loc.peak.global", "0F91")]

    /// A row of the sphere: offsets (dy, dz) and half-width in x.
    private struct Run { let dy: Int, dz: Int, halfWidth: Int }

    /// Local peak (at the ROI's maximum-intensity voxel; the highest if several) and global peak
    /// (highest over all ROI voxels).
    static func features(_ image: RadiomicsImage) -> [RadiomicsFeature] {
        let radius = pow(3 / (4 * Double.pi) * 1000, 1.0 / 3)   // mm: a sphere of 1 cm³
        let s = image.spacing, r2 = radius * radius + 1e-9
        let reach = SIMD3(Int(radius / s.x), Int(radius / s.y), Int(radius / s.z))
        var runs: [Run] = []
        for dz in -reach.z...reach.z { for dy in -reach.y...reach.y {
            let rest = r2 - Double(dy * dy) * s.y * s.y - Double(dz * dz) * s.z * s.z
            guard rest >= 0 else { continue }
            var w = Int((rest.squareRoot() / s.x).rounded(.down))
            while Double((w + 1) * (w + 1)) * s.x * s.x <= rest { w += 1 }   // exact membership at the boundary
            while w > 0 && Double(w * w) * s.x * s.x > rest { w -= 1 }
            runs.append(Run(dy: dy, dz: dz, halfWidth: w))
        } }
        let (nx, ny, nz) = (image.nx, image.ny, image.nz)
        // prefix[row * (nx + 1) + x] = sum of the row's first x values.
        var prefix = [Double](repeating: 0, count: ny * nz * (nx + 1))
        prefix.withUnsafeMutableBufferPointer { p in
            for row in 0..<(ny * nz) {
                var sum = 0.0
                for x in 0..<nx { sum += image.values[row * nx + x]; p[row * (nx + 1) + x + 1] = sum }
            }
        }
        var top = -Double.infinity
        for v in image.values.indices where image.mask[v] { top = max(top, image.values[v]) }
        var local = -Double.infinity, global = -Double.infinity
        var sums = [Double](repeating: 0, count: nx), counts = [Int](repeating: 0, count: nx), steps = [Int](repeating: 0, count: nx + 1)
        prefix.withUnsafeBufferPointer { prefix in sums.withUnsafeMutableBufferPointer { sums in counts.withUnsafeMutableBufferPointer { counts in steps.withUnsafeMutableBufferPointer { steps in
            for z in 0..<nz { for y in 0..<ny {
                let row = (z * ny + y) * nx
                guard let first = (0..<nx).first(where: { image.mask[row + $0] }) else { continue }
                let last = (first..<nx).last { image.mask[row + $0] }!
                for x in first...last { sums[x] = 0; counts[x] = 0; steps[x] = 0 }
                steps[last + 1] = 0
                for run in runs {
                    let (py, pz) = (y + run.dy, z + run.dz)
                    guard py >= 0, py < ny, pz >= 0, pz < nz else { continue }
                    let p = prefix.baseAddress! + (pz * ny + py) * (nx + 1), w = run.halfWidth
                    // Clipped by the grid's ends below `inner` and from `outer` on; a plain difference between.
                    let inner = min(max(first, w), last + 1), outer = max(min(last + 1, nx - w), inner)
                    for x in first..<inner { sums[x] += p[min(x + w + 1, nx)] - p[0]; counts[x] += min(x + w + 1, nx) }
                    let (high, low) = (p + w + 1, p - w)
                    for x in inner..<outer { sums[x] += high[x] - low[x] }
                    steps[inner] &+= 2 * w + 1; steps[outer] &-= 2 * w + 1   // counts between, summed below
                    for x in outer..<(last + 1) { sums[x] += p[nx] - p[max(x - w, 0)]; counts[x] += nx - max(x - w, 0) }
                }
                var interior = 0   // the running sum of the steps: voxels counted by unclipped runs
                for x in first...last {
                    interior &+= steps[x]
                    guard image.mask[row + x] else { continue }
                    let mean = sums[x] / Double(counts[x] + interior)
                    global = max(global, mean)
                    if image.values[row + x] == top { local = max(local, mean) }
                }
            } }
        } } } }
        return rows(names, [local, global])
    }
}
