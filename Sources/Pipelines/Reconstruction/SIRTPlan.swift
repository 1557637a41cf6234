import HepatixKernels

/// SIRT and OS-SART: `x ← max(0, x + λ C_S A_Sᵀ R (b − A_S x))` for each subset S of views in turn, with
/// `R = 1 / (A 1)` (per ray) and `C_S = 1 / (A_Sᵀ 1)` (per voxel), on the matched Joseph pair. With one
/// subset (SIRT) and no clamp this is a preconditioned Landweber iteration whose weighted residual
/// `Σ R_i (b − Ax)_i²` never increases for 0 < λ < 2; more subsets converge faster per sweep.
public final class SIRTPlan: @unchecked Sendable {
    /// The projector pair, options and precomputed weights.
    public let projector: any ProjectorPair
    public let options: IterativeOptions
    let rayWeights: [Float]
    /// `1 / (A_Sᵀ 1)` per subset.
    let voxelWeights: [[Float]]
    let subsetViews: [[Int]]
    let pool: WorkerPool

    /// Plans SIRT for `geometry` onto `grid` (computes `A 1` and `Aᵀ 1` once).
    /// - Throws: `ReconstructionError` for bad geometry or options.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, options: IterativeOptions = IterativeOptions()) throws {
        guard options.iterations >= 0, options.iterations <= 100_000, options.relaxation > 0, options.relaxation < 2,
              options.subsets >= 1, options.subsets <= geometry.views.count else {
            throw ReconstructionError.geometry("SIRT needs 0...100000 iterations, a relaxation in (0, 2) and 1...\(geometry.views.count) subsets")
        }
        let (pool, p) = try options.poolAndProjector(geometry: geometry, grid: grid)
        (self.pool, projector) = (pool, p)
        self.options = options
        let subsetViews = (0..<options.subsets).map { Array(stride(from: $0, to: geometry.views.count, by: options.subsets)) }
        self.subsetViews = subsetViews
        let ones = [Float](repeating: 1, count: max(grid.count, p.projectionCount))
        var rows = [Float](repeating: 0, count: p.projectionCount), cols = [Float](repeating: 0, count: grid.count)
        ones.withUnsafeBufferPointer { one in
            rows.withUnsafeMutableBufferPointer { p.forward(UnsafeBufferPointer(rebasing: one[0..<grid.count]), into: $0, pool: pool) }
        }
        // Rays and voxels the other side never reaches get weight 0 (they cannot change).
        rayWeights = rows.map { $0 > 1e-6 ? 1 / $0 : 0 }
        voxelWeights = subsetViews.map { views in
            ones.withUnsafeBufferPointer { one in
                cols.withUnsafeMutableBufferPointer {
                    p.adjoint(UnsafeBufferPointer(rebasing: one[0..<p.projectionCount]), into: $0, pool: pool, views: views)
                }
            }
            return cols.map { $0 > 1e-6 ? 1 / $0 : 0 }
        }
    }

    /// Reconstructs `projections` (`[view][row][column]`), starting from `initial` (zeros if nil).
    /// - Throws: `ReconstructionError.sizeMismatch`, `.nonFiniteInput`, `.cancelled`.
    public func execute(projections b: [Float], initial: [Float]? = nil, progress: ProgressHandler? = nil,
                        observe: IterationObserver? = nil) throws -> IterativeResult {
        let grid = projector.grid
        try checkInputs(b, count: projector.projectionCount, initial: initial, voxels: grid.count)
        var x = initial ?? [Float](repeating: 0, count: grid.count)
        var ax = [Float](repeating: 0, count: b.count), update = [Float](repeating: 0, count: grid.count)
        var residuals: [Double] = []
        let lambda = Float(options.relaxation)
        let perView = projector.geometry.rows * projector.geometry.columns
        for iteration in 0...options.iterations {
            var weighted = 0.0
            for (s, views) in subsetViews.enumerated() {
                x.withUnsafeBufferPointer { xs in ax.withUnsafeMutableBufferPointer { projector.forward(xs, into: $0, pool: pool, views: views) } }
                for view in views {
                    for i in (view * perView)..<((view + 1) * perView) {
                        let r = b[i] - ax[i]
                        weighted += Double(rayWeights[i]) * Double(r) * Double(r)
                        ax[i] = r * rayWeights[i]
                    }
                }
                if iteration == options.iterations { continue }
                ax.withUnsafeBufferPointer { rs in update.withUnsafeMutableBufferPointer { projector.adjoint(rs, into: $0, pool: pool, views: views) } }
                let c = voxelWeights[s]
                for v in x.indices {
                    let next = x[v] + lambda * c[v] * update[v]
                    x[v] = options.nonNegative ? max(next, 0) : next
                }
            }
            residuals.append(weighted)
            if iteration == options.iterations || options.converged(residuals) { break }
            observe?(iteration + 1, x)
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
