/// Accuracy of a reconstruction against an analytic truth, with the benchmark's masks
/// (`../shared/peers/recon/recon_common.py`): 2D — RMSE over the FOV and interior masks;
/// 3D — RMSE over the central slab (|k - c| ≤ N/16 inside a cylinder of radius 0.95 N/2), the FOV
/// (same cylinder, |k - c| ≤ 0.45 N) and the middle slice. Sums in Double, fixed order.
public struct ImageMetrics: Sendable {
    /// Named RMSE values (1/mm), e.g. "rmse_interior".
    public let values: [String: Double]

    /// The values as a JSON-ready dictionary.
    public var dictionary: [String: Any] { values }

    /// Root-mean-square difference over the voxels where `mask` is true.
    public static func rmse(_ a: [Float], _ b: [Float], where mask: (Int) -> Bool) -> Double {
        var sum = 0.0, n = 0
        for i in a.indices where mask(i) {
            let d = Double(a[i]) - Double(b[i])
            sum += d * d
            n += 1
        }
        return n == 0 ? .nan : (sum / Double(n)).squareRoot()
    }

    /// Computes the workload's metrics for `reconstruction`.
    /// - Throws: `RawFloatFile.Failure` when a mask file cannot be read.
    public init(reconstruction: [Float], truth: [Float], workload: Workload) throws {
        let g = workload.grid
        var v: [String: Double] = [:]
        if g.nz == 1 {
            if let p = workload.interiorMaskPath {
                let m = try RawFloatFile.readBytes(p, count: g.count)
                v["rmse_interior"] = Self.rmse(reconstruction, truth) { m[$0] != 0 }
            }
            if let p = workload.fovMaskPath {
                let m = try RawFloatFile.readBytes(p, count: g.count)
                v["rmse_fov"] = Self.rmse(reconstruction, truth) { m[$0] != 0 }
            }
        } else {
            let n = Double(g.nx), c = (n - 1) / 2
            let plane = g.nx * g.ny
            func inCylinder(_ idx: Int) -> Bool {
                let r = idx % plane
                let (i, j) = r.quotientAndRemainder(dividingBy: g.nx)
                let (dx, dy) = (Double(j) - c, Double(i) - c)
                return dx * dx + dy * dy <= (0.95 * n / 2) * (0.95 * n / 2)
            }
            func dz(_ idx: Int) -> Double { abs(Double(idx / plane) - c) }
            v["rmse_central_slab"] = Self.rmse(reconstruction, truth) { dz($0) <= n / 16 && inCylinder($0) }
            v["rmse_fov"] = Self.rmse(reconstruction, truth) { dz($0) <= n * 0.45 && inCylinder($0) }
            let mid = g.nz / 2
            v["rmse_mid_slice"] = Self.rmse(reconstruction, truth) { $0 / plane == mid && inCylinder($0) }
        }
        values = v
    }
}
