import CKernels
import HepatixKernelsAVX2

/// The FBP/FDK voxel-driven weighted backprojector (not the adjoint of any projector: iterative
/// methods must not use it). For every voxel it sums over views `q_v(u, v) / w²`, where `(u, v)` is
/// where the voxel projects on the detector, `w` its normalised depth (1 for parallel beams) and `q_v`
/// the filtered projection, linearly (2D) or bilinearly (3D) interpolated and zero off the detector.
///
/// Plan once: the constructor computes every view's projective map and allocates the filtered
/// projection store; `execute` allocates nothing but one scratch block per worker (3D).
public final class WeightedBackprojector: @unchecked Sendable {
    /// The scan and the output grid.
    public let geometry: ProjectionGeometry
    public let grid: VolumeGrid
    /// Kernel family used by `execute`.
    public let tier: KernelTier
    /// Filtered projections; fill them (through `ProjectionStore.offset`) before `execute`.
    public let store: ProjectionStore

    private let views2D: UnsafeMutableBufferPointer<hxk_view2d>
    private let views3D: UnsafeMutableBufferPointer<hxk_view3d>
    /// Voxel-column blocks (3D) handed out to workers, each with its slab of slices.
    private let blocks: [(columns: [SIMD2<Int32>], slices: Range<Int>)]
    /// 2D tiles: `tileRows` × `tileColumns` pixels; a tile touches a few cache lines of each view's
    /// row, so all views' lines fit in L2 while the tile's accumulators stay in L1.
    private static let tileRows = 4
    private static let tileColumns = 1 << 16
    /// 3D blocks: 16 × 16 voxel columns × up to 256 slices (256 KiB of scratch per worker, half a Zen 3
    /// L2). Measured on W3: 16 × 16, 24 × 24 and 32 × 32 ran within noise of each other; thinner z-slabs
    /// were slower (per-column set-up is paid once per slab).
    private static let blockSide = 16
    private static let blockSlices = 256
    private let scratch: UnsafeMutableBufferPointer<Float>
    private let scratchPerWorker: Int
    private let maxWorkers: Int

    /// Plans a backprojection of `geometry` onto `grid`.
    /// - Throws: `GeometryError` when a 2D geometry meets a multi-slice grid, the volume reaches behind a
    ///   source, or (3D) the detector column depends on z (tilted detectors are not supported yet).
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, tier: KernelTier = .detected, maxThreads: Int) throws {
        if geometry.is2D {
            try require(grid.nz == 1, "a 2D geometry reconstructs a single slice, got nz = \(grid.nz)")
        }
        self.geometry = geometry
        self.grid = grid
        self.tier = tier
        store = try ProjectionStore(views: geometry.views.count, rows: geometry.rows, columns: geometry.columns)
        let pad = Double(ProjectionStore.padding)
        let maps = try (0..<geometry.views.count).map { try geometry.mapping(view: $0, grid: grid) }
        try Self.checkDepths(maps, grid: grid)
        views2D = .allocate(capacity: geometry.is2D ? maps.count : 0)
        views3D = .allocate(capacity: geometry.is2D ? 0 : maps.count)
        if geometry.is2D {
            for (k, m) in maps.enumerated() {
                let u = m.u + m.w * pad
                views2D[k] = hxk_view2d(u0: u.w, uj: u.x, ui: u.y, w0: m.w.w, wj: m.w.x, wi: m.w.y)
            }
            blocks = []
            scratchPerWorker = 0
        } else {
            for (k, m) in maps.enumerated() {
                let scale = max(abs(m.w.w), 1)
                guard abs(m.u.z) <= 1e-9 * scale && abs(m.w.z) <= 1e-12 * scale else {
                    throw GeometryError.unsupported("view \(k): the detector column depends on z (tilted detector); not supported yet")
                }
                let v = m.v + m.w * pad
                views3D[k] = hxk_view3d(u0: m.u.w, uj: m.u.x, ui: m.u.y, v0: v.w, vj: v.x, vi: v.y, vk: v.z,
                                        w0: m.w.w, wj: m.w.x, wi: m.w.y)
            }
            let slabs = stride(from: 0, to: grid.nz, by: Self.blockSlices).map { $0..<min($0 + Self.blockSlices, grid.nz) }
            blocks = Self.columnBlocks(grid: grid, side: Self.blockSide).flatMap { cols in slabs.map { (cols, $0) } }
            scratchPerWorker = Self.blockSide * Self.blockSide * min(grid.nz, Self.blockSlices)
        }
        maxWorkers = WorkerPool(threads: maxThreads).threads
        scratch = .allocate(capacity: scratchPerWorker * maxWorkers)
    }

    deinit {
        views2D.deallocate()
        views3D.deallocate()
        scratch.deallocate()
    }

    /// Every voxel corner must lie in front of every source (positive depth).
    private static func checkDepths(_ maps: [DetectorMapping], grid: VolumeGrid) throws {
        let corners = [(-0.5, -0.5), (Double(grid.nx) - 0.5, -0.5), (-0.5, Double(grid.ny) - 0.5),
                       (Double(grid.nx) - 0.5, Double(grid.ny) - 0.5)]
        for (k, m) in maps.enumerated() {
            for (j, i) in corners {
                for kz in [-0.5, Double(grid.nz) - 0.5] where (m.w * SIMD4(j, i, kz, 1)).sum() <= 1e-3 {
                    throw GeometryError.unsupported("view \(k): the volume reaches behind the X-ray source; shrink or move it")
                }
            }
        }
    }

    /// Square blocks of voxel columns (i, j), row-major.
    private static func columnBlocks(grid: VolumeGrid, side: Int) -> [[SIMD2<Int32>]] {
        var out: [[SIMD2<Int32>]] = []
        for bi in stride(from: 0, to: grid.ny, by: side) {
            for bj in stride(from: 0, to: grid.nx, by: side) {
                var block: [SIMD2<Int32>] = []
                for i in bi..<min(bi + side, grid.ny) {
                    for j in bj..<min(bj + side, grid.nx) { block.append(SIMD2(Int32(i), Int32(j))) }
                }
                out.append(block)
            }
        }
        return out
    }

    private var tilesDown: Int { (grid.ny + Self.tileRows - 1) / Self.tileRows }
    private var tilesAcross: Int { (grid.nx + Self.tileColumns - 1) / Self.tileColumns }

    /// Number of independent work items `execute(into:items:pool:)` expects.
    public var workItems: Int {
        geometry.is2D ? tilesDown * tilesAcross : blocks.count
    }

    /// Backprojects every work item into `out` (`grid.count` floats, layout `[k][i][j]`), overwriting it.
    /// `progress(itemsDone)` runs on the calling thread between items; returning false stops early.
    /// - Returns: false if cancelled (then `out` is partly written).
    public func execute(into out: UnsafeMutablePointer<Float>, pool: WorkerPool, progress: (Int) -> Bool = { _ in true }) -> Bool {
        let box = SendableMutablePointer(out)  // items cover disjoint voxels
        let pool = WorkerPool(threads: min(pool.threads, maxWorkers))
        if geometry.is2D {
            return pool.forEach(items: workItems, progress: progress) { _, n in self.tile2D(n, out: box.pointer) }
        }
        return pool.forEach(items: workItems, progress: progress) { worker, n in self.block3D(n, worker: worker, out: box.pointer) }
    }

    private func tile2D(_ tile: Int, out: UnsafeMutablePointer<Float>) {
        let (ti, tj) = tile.quotientAndRemainder(dividingBy: tilesAcross)
        let rows = ti * Self.tileRows..<min((ti + 1) * Self.tileRows, grid.ny)
        let columns = tj * Self.tileColumns..<min((tj + 1) * Self.tileColumns, grid.nx)
        for i in rows { (out + i * grid.nx + columns.lowerBound).update(repeating: 0, count: columns.count) }
        var args = hxk_bp2d_args(projections: UnsafePointer(store.storage.baseAddress! + store.origin - ProjectionStore.padding),
                                 stride: Int64(store.viewStride), views: UnsafePointer(views2D.baseAddress!),
                                 nviews: Int32(views2D.count), parallel: geometry.beam == .parallel ? 1 : 0,
                                 u_lo: Double(ProjectionStore.padding) - 1,
                                 u_hi: Double(ProjectionStore.padding + geometry.columns))
        switch tier {
        case .avx2: backprojectTile2DAVX2(&args, rows: rows, columns: columns, out: out, outStride: grid.nx)
        case .scalar: ScalarBackprojection.tile2D(&args, rows: rows, columns: columns, out: out, outStride: grid.nx)
        }
    }

    private func block3D(_ index: Int, worker: Int, out: UnsafeMutablePointer<Float>) {
        let acc = scratch.baseAddress! + worker * scratchPerWorker
        let (block, slices) = blocks[index]
        let nz = slices.count
        acc.update(repeating: 0, count: block.count * nz)
        let pad = ProjectionStore.padding
        var args = hxk_bp3d_args(projections: UnsafePointer(store.storage.baseAddress! + store.origin - store.columnStride - pad),
                                 view_stride: Int64(store.viewStride), column_stride: Int64(store.columnStride),
                                 views: UnsafePointer(views3D.baseAddress!), nviews: Int32(views3D.count),
                                 parallel: geometry.beam == .parallel ? 1 : 0, columns: Int32(geometry.columns),
                                 k_first: Int32(slices.lowerBound), nz: Int32(nz),
                                 v_lo: Double(pad) - 1, v_hi: Double(pad + geometry.rows))
        block.withUnsafeBufferPointer { cols in
            switch tier {
            case .avx2: backprojectColumns3DAVX2(&args, columns: cols, scratch: acc)
            case .scalar: ScalarBackprojection.columns3D(&args, columns: cols, scratch: acc)
            }
        }
        // Write back slice by slice: consecutive block columns are consecutive voxels along x, so each
        // slice is written in short contiguous runs (a column-by-column scatter would touch a new page
        // per voxel).
        let plane = grid.nx * grid.ny
        for k in 0..<nz {
            let slice = out + (slices.lowerBound + k) * plane
            for (c, col) in block.enumerated() { slice[Int(col.x) * grid.nx + Int(col.y)] = acc[c * nz + k] }
        }
    }
}
