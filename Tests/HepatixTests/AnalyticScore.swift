import Hepatix

/// Scores a 2D/3D reconstruction of an `EllipsoidPhantom` like the benchmark does: RMSE and mean
/// bias over "interior" voxels — inside `radius` of the axis and with a constant point truth over the
/// 5×5 in-plane neighbourhood (edges excluded, so the score measures streaks, noise and bias, not blur).
struct AnalyticScore {
    let rmse: Double
    let bias: Double
    let count: Int

    init(reconstruction: [Float], phantom: EllipsoidPhantom, grid: VolumeGrid, radius: Double, slices: Range<Int>? = nil) {
        let truth = phantom.rasterize(grid)
        var sum = 0.0, sumSq = 0.0, n = 0
        let plane = grid.nx * grid.ny
        for k in slices ?? 0..<grid.nz {
            for i in 2..<(grid.ny - 2) {
                for j in 2..<(grid.nx - 2) {
                    let p = grid.position(i: Double(i), j: Double(j), k: Double(k))
                    guard (p.x * p.x + p.y * p.y).squareRoot() <= radius else { continue }
                    let t = truth[k * plane + i * grid.nx + j]
                    var flat = true
                    for di in -2...2 { for dj in -2...2 where truth[k * plane + (i + di) * grid.nx + j + dj] != t { flat = false } }
                    guard flat else { continue }
                    let d = Double(reconstruction[k * plane + i * grid.nx + j]) - Double(t)
                    sum += d
                    sumSq += d * d
                    n += 1
                }
            }
        }
        rmse = (sumSq / Double(max(n, 1))).squareRoot()
        bias = sum / Double(max(n, 1))
        count = n
    }
}
