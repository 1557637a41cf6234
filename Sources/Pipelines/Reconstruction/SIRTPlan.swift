import HepatixKernels

/// SIRT: `x ← max(0, x + λ C Aᵀ R (b − A x))` with `R = 1 / (A 1)` (per ray) and `C = 1 / (Aᵀ 1)`
/// (per voxel), on the matched Joseph pair. Without the clamp this is a preconditioned Landweber
/// iteration whose weighted residual `Σ R_i (b − Ax)_i²` never increases for 0 < λ < 2.
public final class SIRTPlan: @unchecked Sendable {
    /// The projector pair, options and precomputed weights.
    public let projector: JosephProjector
    public let options: IterativeOptions
    let rayWeights: [Float]
    let voxelWeights: [Float]
    let pool: WorkerPool

    /// Plans SIRT for `geometry` onto `grid` (computes `A 1` and `Aᵀ 1` once).
    /// - Throws: `ReconstructionError` for bad geometry or options.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, options: IterativeOptions = IterativeOptions()) throws {
        guard options.iterations >= 0, options.iterations <= 100_000, options.relaxation > 0, options.relaxation < 2 else {
            throw ReconstructionError.geometry("SIRT needs 0...100000 iterations and a relaxation in (0, 2)")
        }
        projector = try ReconstructionError.wrap { try JosephProjector(geometry: geometry, grid: grid) }
        self.options = options
        pool = WorkerPool(threads: options.threads)
        let ones = [Float](repeating: 1, count: max(grid.count, projector.projectionCount))
        var rows = [Float](repeating: 0, count: projector.projectionCount), cols = [Float](repeating: 0, count: grid.count)
        let (p, pool) = (projector, pool)
        ones.withUnsafeBufferPointer { one in
            rows.withUnsafeMutableBufferPointer { p.forward(UnsafeBufferPointer(rebasing: one[0..<grid.count]), into: $0, pool: pool) }
            cols.withUnsafeMutableBufferPointer { p.adjoint(UnsafeBufferPointer(rebasing: one[0..<p.projectionCount]), into: $0, pool: pool) }
        }
        // Rays and voxels the other side never reaches get weight 0 (they cannot change).
        rayWeights = rows.map { $0 > 1e-6 ? 1 / $0 : 0 }
        voxelWeights = cols.map { $0 > 1e-6 ? 1 / $0 : 0 }
    }

    /// Reconstructs `projections` (`[view][row][column]`), starting from `initial` (zeros if nil).
    /// - Throws: `ReconstructionError.sizeMismatch`, `.nonFiniteInput`, `.cancelled`.
    public func execute(projections b: [Float], initial: [Float]? = nil, progress: ProgressHandler? = nil) throws -> IterativeResult {
        let grid = projector.grid
        try checkInputs(b, count: projector.projectionCount, initial: initial, voxels: grid.count)
        var x = initial ?? [Float](repeating: 0, count: grid.count)
        var ax = [Float](repeating: 0, count: b.count), update = [Float](repeating: 0, count: grid.count)
        var residuals: [Double] = []
        let lambda = Float(options.relaxation)
        for iteration in 0...options.iterations {
            x.withUnsafeBufferPointer { xs in ax.withUnsafeMutableBufferPointer { projector.forward(xs, into: $0, pool: pool) } }
            var weighted = 0.0
            for i in ax.indices {
                let r = b[i] - ax[i]
                weighted += Double(rayWeights[i]) * Double(r) * Double(r)
                ax[i] = r * rayWeights[i]
            }
            residuals.append(weighted)
            if iteration == options.iterations { break }
            ax.withUnsafeBufferPointer { rs in update.withUnsafeMutableBufferPointer { projector.adjoint(rs, into: $0, pool: pool) } }
            for v in x.indices {
                let next = x[v] + lambda * voxelWeights[v] * update[v]
                x[v] = options.nonNegative ? max(next, 0) : next
            }
            if let progress, !progress(Double(iteration + 1) / Double(options.iterations)) { throw ReconstructionError.cancelled }
        }
        return IterativeResult(image: x, residuals: residuals)
    }
}

/// Size and finiteness checks shared by the iterative plans.
func checkInputs(_ b: [Float], count: Int, initial: [Float]?, voxels: Int) throws {
    guard b.count == count else {
        throw ReconstructionError.sizeMismatch("projections hold \(b.count) floats, the geometry needs \(count)")
    }
    guard initial.map({ $0.count == voxels }) ?? true else {
        throw ReconstructionError.sizeMismatch("the initial image holds \(initial!.count) floats, the grid needs \(voxels)")
    }
    guard b.allSatisfy(\.isFinite), initial?.allSatisfy(\.isFinite) ?? true else {
        throw ReconstructionError.nonFiniteInput("projections or initial image contain NaN or infinity")
    }
}
