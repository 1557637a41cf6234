/// Trilinear sampling of a source volume at `offset + i·columnI + j·columnJ + k·columnK` (continuous source
/// indices) for every voxel (i, j, k) of a target grid: one affine map from target indices to source indices,
/// so a row costs one multiply-add per axis and voxel instead of three matrix products. Target voxels whose
/// source point falls beyond the source's outer voxel faces (−0.5 … n − 0.5) are "outside"; inside ones
/// interpolate with the edge value continued to the faces. Both entry points are parallel over target slices
/// and give the same bits for every thread count.
public struct IndexAffineSampler: Sendable {
    /// Source volume size (x fastest).
    public let source: SIMD3<Int>
    /// Target grid size.
    public let target: SIMD3<Int>
    /// Source index of target voxel (0, 0, 0).
    public let offset: SIMD3<Double>
    /// Source index steps per target index along i, j and k.
    public let columnI: SIMD3<Double>, columnJ: SIMD3<Double>, columnK: SIMD3<Double>

    /// A sampler for the map `(i, j, k) ↦ offset + i·columnI + j·columnJ + k·columnK`. An empty source (sizes ≤ 0) makes
    /// every target voxel outside; an empty target samples nothing (no trap either way).
    public init(source: SIMD3<Int>, target: SIMD3<Int>, offset: SIMD3<Double>,
                columnI: SIMD3<Double>, columnJ: SIMD3<Double>, columnK: SIMD3<Double>) {
        (self.source, self.target, self.offset) = (pointwiseMax(source, .zero), pointwiseMax(target, .zero), offset)
        (self.columnI, self.columnJ, self.columnK) = (columnI, columnJ, columnK)
    }

    /// Writes the sampled volume into `output` (target size), `outside` where the source point is beyond the source.
    public func resample(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, outside: Float, threads: Int) {
        let (from, to) = (SendablePointer(input), SendableMutablePointer(output))
        WorkerPool(threads: threads).forEach(items: target.z) { _, k in
            let slice = to.pointer + k * target.x * target.y
            for j in 0..<target.y {
                forEachSample(from.pointer, row: j, slice: k) { i, value in slice[j * target.x + i] = value ?? outside }
            }
        }
    }

    /// Sums for the Pearson correlation between `reference` (target size, already clamped) and the sampled
    /// source clamped to `low…high`, over target voxels whose source point is inside the source.
    /// Accumulated in double per slice, then over slices in order.
    public func correlationSums(_ input: UnsafePointer<Float>, reference: UnsafePointer<Float>, low: Float, high: Float,
                                threads: Int) -> CorrelationSums {
        var perSlice = [CorrelationSums](repeating: CorrelationSums(), count: target.z)
        perSlice.withUnsafeMutableBufferPointer { slots in
            let (from, ref, out) = (SendablePointer(input), SendablePointer(reference), SendableMutablePointer(slots.baseAddress!))
            WorkerPool(threads: threads).forEach(items: target.z) { _, k in
                var sums = CorrelationSums()
                let slice = ref.pointer + k * target.x * target.y
                for j in 0..<target.y {
                    let row = slice + j * target.x
                    forEachSample(from.pointer, row: j, slice: k) { i, value in
                        guard let value else { return }
                        let moving = value < low ? low : (value > high ? high : value)
                        sums.add(Double(row[i]), Double(moving))
                    }
                }
                out.pointer[k] = sums
            }
        }
        return perSlice.reduce(into: CorrelationSums()) { $0.merge($1) }
    }

    /// Calls `body(i, value)` for every voxel of target row (j, k) in order; `value` is nil outside the source.
    @inline(__always)
    private func forEachSample(_ volume: UnsafePointer<Float>, row j: Int, slice k: Int, _ body: (Int, Float?) -> Void) {
        let start = offset + Double(j) * columnJ + Double(k) * columnK
        let (nx, ny, nz) = (source.x, source.y, source.z)
        let (upperX, upperY, upperZ) = (Double(nx) - 0.5, Double(ny) - 0.5, Double(nz) - 0.5)
        let plane = nx * ny
        for i in 0..<target.x {
            let u = start + Double(i) * columnI
            guard u.x > -0.5, u.y > -0.5, u.z > -0.5, u.x < upperX, u.y < upperY, u.z < upperZ else { body(i, nil); continue }
            // Inside the faces: clamp to the outer voxel centres (edge value continued), then split into cell and weight.
            let cx = u.x < 0 ? 0 : (u.x > Double(nx - 1) ? Double(nx - 1) : u.x)
            let cy = u.y < 0 ? 0 : (u.y > Double(ny - 1) ? Double(ny - 1) : u.y)
            let cz = u.z < 0 ? 0 : (u.z > Double(nz - 1) ? Double(nz - 1) : u.z)
            let (x0, y0, z0) = (Int(cx), Int(cy), Int(cz))
            let (tx, ty, tz) = (Float(cx - Double(x0)), Float(cy - Double(y0)), Float(cz - Double(z0)))
            let dx = x0 < nx - 1 ? 1 : 0, dy = y0 < ny - 1 ? nx : 0, dz = z0 < nz - 1 ? plane : 0
            let p = volume + z0 * plane + y0 * nx + x0
            let front = (p[0] * (1 - tx) + p[dx] * tx) * (1 - ty) + (p[dy] * (1 - tx) + p[dy + dx] * tx) * ty
            let q = p + dz
            let back = (q[0] * (1 - tx) + q[dx] * tx) * (1 - ty) + (q[dy] * (1 - tx) + q[dy + dx] * tx) * ty
            body(i, front * (1 - tz) + back * tz)
        }
    }
}

/// Running sums for a Pearson correlation of pairs (a, b).
public struct CorrelationSums: Sendable, Equatable {
    /// Pair count and the sums of a, b, a², b², ab.
    public var n = 0.0, a = 0.0, b = 0.0, aa = 0.0, bb = 0.0, ab = 0.0

    /// No pairs yet.
    public init() {}

    /// Adds one pair.
    @inline(__always)
    public mutating func add(_ x: Double, _ y: Double) {
        n += 1; a += x; b += y; aa += x * x; bb += y * y; ab += x * y
    }

    /// Adds another set of sums.
    public mutating func merge(_ other: CorrelationSums) {
        n += other.n; a += other.a; b += other.b; aa += other.aa; bb += other.bb; ab += other.ab
    }

    /// The correlation coefficient; −1 when fewer than two pairs or either side is constant.
    public var correlation: Double {
        guard n > 1 else { return -1 }
        let cov = ab - a * b / n, va = aa - a * a / n, vb = bb - b * b / n
        return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : -1
    }
}
