import Dispatch
import HepatixKernels

/// Filtered backprojection: 2D parallel FBP, 2D fan-beam FBP (flat or equiangular detector, full or
/// short scan with Parker weights) and 3D FDK for cone beams.
///
/// `f(x) = Σ_k Δβ_k ρ_k / w_k(x)² · (h ∗ (c · p_k))(u_k(x), v_k(x))`: cosine pre-weight `c`, ramp
/// filter `h` (with window) along detector rows, redundancy `ρ` (1/2 for a full divergent scan,
/// Parker for short scans), voxel-driven linear (2D) / bilinear (3D) backprojection with depth weight.
///
/// Plan once — FFTW plans, weights, the backprojector's maps and all workspaces are made here —
/// then `execute` as often as needed, from one thread at a time.
///
/// ```swift
/// let g = try ProjectionGeometry.parallel2D(views: 720, bins: 729, binPitch: 1)
/// let plan = try FBPPlan(geometry: g, grid: .image(size: 512, pixel: 1), options: FBPOptions(window: .hann))
/// let image = try plan.reconstruct(sinogram)   // 512 × 512, 1/mm
/// ```
public final class FBPPlan: @unchecked Sendable {
    /// The geometry as given (its detector layout is what `execute` expects).
    public let geometry: ProjectionGeometry
    /// The output grid.
    public let grid: VolumeGrid
    /// The settings.
    public let options: FBPOptions
    /// Seconds spent in the last `execute`: weighting + ramp filtering, and backprojection.
    public private(set) var lastStageSeconds: (filter: Double, backprojection: Double) = (0, 0)
    /// Worker threads `execute` uses.
    public var threadCount: Int { pool.threads }
    /// Input floats `execute` expects: views × rows × columns, `[view][row][column]`.
    public var inputCount: Int { geometry.views.count * geometry.rows * geometry.columns }

    let resampler: EquiangularResampler?
    let preweighting: DetectorPreweighting
    let filter: RampFilter
    let backprojector: WeightedBackprojector
    let pool: WorkerPool
    let workspaces: [FilterWorkspace]
    let flatRows: [UnsafeMutableBufferPointer<Float>]
    /// First batch with non-finite input in the current `execute` (reset by each call).
    let failure = FirstFailure()

    /// Plans the reconstruction of `geometry` onto `grid`.
    /// - Throws: `ReconstructionError.geometry` when the set-up cannot be reconstructed.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, options: FBPOptions = FBPOptions()) throws {
        self.geometry = geometry
        self.grid = grid
        self.options = options
        pool = WorkerPool(threads: options.threads)
        resampler = try ReconstructionError.wrap {
            if case .equiangular = geometry.detector { return try EquiangularResampler(geometry: geometry) }
            return nil
        }
        let flat = resampler?.flatGeometry ?? geometry
        if !options.allowTruncation { try ReconstructionError.wrap { try geometry.checkCoverage(of: grid) } }
        preweighting = try ReconstructionError.wrap { try DetectorPreweighting(geometry: flat) }
        filter = try ReconstructionError.wrap { try RampFilter(columns: flat.columns, window: options.window, cutoff: options.cutoff) }
        backprojector = try ReconstructionError.wrap {
            try WeightedBackprojector(geometry: flat, grid: grid, tier: options.tier, maxThreads: options.threads)
        }
        let filter = self.filter
        workspaces = (0..<pool.threads).map { _ in FilterWorkspace(filter: filter) }
        flatRows = (0..<pool.threads).map { _ in .allocate(capacity: flat.columns) }
    }

    deinit { flatRows.forEach { $0.deallocate() } }

    /// Reconstructs `projections` (`[view][row][column]`, `inputCount` floats, line integrals) into
    /// `output` (`grid.count` floats, `[k][i][j]`).
    /// - Parameter progress: called on this thread with the fraction done; return `false` to cancel.
    /// - Throws: `ReconstructionError.sizeMismatch` (output untouched), `.nonFiniteInput` (output
    ///   untouched), `.cancelled` (output zeroed).
    public func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
                        progress: ProgressHandler? = nil) throws {
        guard projections.count == inputCount else {
            throw ReconstructionError.sizeMismatch("projections hold \(projections.count) floats, the geometry needs \(geometry.views.count) x \(geometry.rows) x \(geometry.columns) = \(inputCount)")
        }
        guard output.count == grid.count else {
            throw ReconstructionError.sizeMismatch("output holds \(output.count) floats, the grid needs \(grid.nz) x \(grid.ny) x \(grid.nx) = \(grid.count)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        try filterAll(projections.baseAddress!, progress: progress)
        let filtered = DispatchTime.now().uptimeNanoseconds
        defer {
            let end = DispatchTime.now().uptimeNanoseconds
            lastStageSeconds = (Double(filtered - start) / 1e9, Double(end - filtered) / 1e9)
        }
        let items = Double(backprojector.workItems)
        let completed = backprojector.execute(into: output.baseAddress!, pool: pool) { done in
            progress?(0.1 + 0.9 * Double(done) / items) ?? true
        }
        if !completed {
            output.update(repeating: 0)
            throw ReconstructionError.cancelled
        }
    }

    /// Filters every detector row into the backprojector's store.
    private func filterAll(_ input: UnsafePointer<Float>, progress: ProgressHandler?) throws {
        let rows = geometry.views.count * geometry.rows
        let batches = (rows + filter.batch - 1) / filter.batch
        let bad = failure
        bad.reset()
        let inputBox = SendablePointer(input)
        let completed = pool.forEach(items: batches, progress: { done in
            bad.first == nil && (progress?(0.1 * Double(done) / Double(batches)) ?? true)
        }) { worker, batch in
            if !self.filterBatch(batch, input: inputBox.pointer, worker: worker) { bad.set(batch) }
        }
        if let batch = bad.first {
            let view = batch * filter.batch / geometry.rows
            throw ReconstructionError.nonFiniteInput("projections contain NaN or infinity (near view \(view))")
        }
        if !completed { throw ReconstructionError.cancelled }
    }

    /// Weights, filters and stores rows `batch * filter.batch ..< +filter.batch`; false on non-finite input.
    private func filterBatch(_ batch: Int, input: UnsafePointer<Float>, worker: Int) -> Bool {
        let ws = workspaces[worker]
        ws.clearPadding(after: resampler?.flatGeometry.columns ?? geometry.columns)
        let rows = geometry.views.count * geometry.rows
        let first = batch * filter.batch
        let count = min(filter.batch, rows - first)
        let store = backprojector.store
        var finite = true
        for r in 0..<count {
            let index = first + r
            let (view, row) = index.quotientAndRemainder(dividingBy: geometry.rows)
            var source = input + index * geometry.columns
            if let resampler {
                finite = finite && (0..<geometry.columns).allSatisfy { source[$0].isFinite }
                resampler.resample(arc: source, flat: flatRows[worker].baseAddress!)
                source = UnsafePointer(flatRows[worker].baseAddress!)
            }
            finite = preweighting.weightRow(view: view, row: row, source: source, target: ws.row(r)) && finite
        }
        filter.filter(ws)
        let columns = store.columns
        let (firstView, firstRow) = first.quotientAndRemainder(dividingBy: geometry.rows)
        if store.columnStride != 1 && store.rowStride == 1 && firstRow + count <= geometry.rows {
            // Transposed 3D layout and all rows of this batch in one view: write each detector column's
            // `count` consecutive rows at once instead of one float per cache line.
            let base = store.storage.baseAddress! + store.offset(view: firstView, row: firstRow, column: 0)
            let rowsIn = ws.row(0), stride = ws.paddedLength
            for c in 0..<columns {
                let out = base + c * store.columnStride
                for r in 0..<count { out[r] = rowsIn[r * stride + c] }
            }
            return finite
        }
        for r in 0..<count {
            let (view, row) = (first + r).quotientAndRemainder(dividingBy: geometry.rows)
            let out = store.storage.baseAddress! + store.offset(view: view, row: row, column: 0)
            let filtered = ws.row(r)
            if store.columnStride == 1 {
                out.update(from: filtered, count: columns)
            } else {
                for c in 0..<columns { out[c * store.columnStride] = filtered[c] }
            }
        }
        return finite
    }

    /// Convenience: reconstructs an array of projections into a new array.
    public func reconstruct(_ projections: [Float], progress: ProgressHandler? = nil) throws -> [Float] {
        var out = [Float](repeating: 0, count: grid.count)
        try projections.withUnsafeBufferPointer { p in
            try out.withUnsafeMutableBufferPointer { try execute(projections: p, output: $0, progress: progress) }
        }
        return out
    }
}
