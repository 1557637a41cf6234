import Foundation
/// A second, more accurate matched pair: each detector pixel measures the mean of Joseph line
/// integrals along `k` sub-rays per column (and `k` per row in 3D) through the centres of equal parts
/// of the pixel — a midpoint-rule strip (2D) or area (3D) integral over the detector aperture, rather
/// than one pencil ray through the pixel centre. It models what a real detector element measures, and
/// removes the aliasing a single ray per pixel shows when the image pitch is finer than the detector's.
///
/// `A_strip = M A_fine` with `A_fine` the fast Joseph pair on the sub-ray geometry and `M` the mean
/// over each pixel's sub-rays, so `A_stripᵀ = A_fineᵀ Mᵀ` (spread each value / k over its sub-rays) is
/// its exact adjoint, with the same speed per sub-ray and the same determinism.
public final class StripJoseph: ProjectorPair, @unchecked Sendable {
    public let geometry: ProjectionGeometry
    public let grid: VolumeGrid
    /// Serialises calls: the pair owns its scratch memory.
    private let lock = NSLock()
    /// Sub-rays per detector column and per detector row (1 for 2D).
    public let columnRays: Int, rowRays: Int
    private let fine: any ProjectorPair
    private let fineProjections: ScratchBuffer<Float>
    /// Every view, in order (the default subset, kept so that calls allocate nothing).
    private let allViews: [Int]

    /// Plans the pair with `subRays` sub-rays per pixel side (default 3 in 2D, 2 in 3D).
    /// - Throws: `GeometryError` for `subRays` outside 1...8 or a geometry the fine pair refuses.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, subRays: Int? = nil, tier: KernelTier = .detected,
                maxThreads: Int) throws {
        let k = subRays ?? (geometry.is2D ? 3 : 2)
        try require(k >= 1 && k <= 8, "sub-rays per detector pixel side must be 1...8, got \(k)")
        self.geometry = geometry
        self.grid = grid
        allViews = Array(geometry.views.indices)
        columnRays = k
        rowRays = geometry.is2D ? 1 : k
        let (cr, rr) = (columnRays, rowRays)
        let views = geometry.views.map { v -> ProjectionView in
            var sub = v
            sub.detectorU = v.detectorU / Double(cr)
            if rr > 1 { sub.detectorV = v.detectorV / Double(rr) }
            return sub
        }
        var detector = geometry.detector
        if case .equiangular(let pitch) = detector { detector = .equiangular(angularPitch: pitch / Double(cr)) }
        let fineGeometry = try ProjectionGeometry(beam: geometry.beam, detector: detector, columns: geometry.columns * cr,
                                                  rows: geometry.rows * rr, views: views)
        fine = try makeProjector(.joseph, geometry: fineGeometry, grid: grid, tier: tier, maxThreads: maxThreads)
        fineProjections = ScratchBuffer(count: fine.projectionCount)
    }

    public func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        precondition(projections.count == projectionCount)
        fine.forward(volume, into: UnsafeMutableBufferPointer(start: fineProjections.pointer, count: fineProjections.count), pool: pool,
                     views: subset)
        let list = subset ?? allViews
        let out = SendableMutablePointer(projections.baseAddress!)   // each view writes its own rows
        let (rows, columns, cr, rr) = (geometry.rows, geometry.columns, columnRays, rowRays)
        let scale = 1 / Float(cr * rr)
        pool.forEach(items: list.count) { _, item in
            let v = list[item]
            let source = self.fineProjections.pointer + v * rows * rr * columns * cr
            for r in 0..<rows {
                for c in 0..<columns {
                    var sum: Float = 0
                    for sr in 0..<rr { for sc in 0..<cr { sum += source[(r * rr + sr) * columns * cr + c * cr + sc] } }
                    out.pointer[(v * rows + r) * columns + c] = sum * scale
                }
            }
        }
    }

    public func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        precondition(projections.count == projectionCount)
        let list = subset ?? allViews
        let input = SendablePointer(projections.baseAddress!)
        let (rows, columns, cr, rr) = (geometry.rows, geometry.columns, columnRays, rowRays)
        let scale = 1 / Float(cr * rr)
        pool.forEach(items: list.count) { _, item in   // each view writes its own fine rows
            let v = list[item]
            let target = self.fineProjections.pointer + v * rows * rr * columns * cr
            for fr in 0..<(rows * rr) {
                for fc in 0..<(columns * cr) {
                    target[fr * columns * cr + fc] = input.pointer[(v * rows + fr / rr) * columns + fc / cr] * scale
                }
            }
        }
        fine.adjoint(UnsafeBufferPointer(start: fineProjections.pointer, count: fineProjections.count), into: volume, pool: pool,
                     views: subset)
    }
}
