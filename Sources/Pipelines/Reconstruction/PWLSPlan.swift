import Foundation
import HepatixKernels

/// Penalised weighted least squares with an edge-preserving Huber prior, solved with separable
/// quadratic surrogates (SQS; Erdogan & Fessler 1999), on the matched Joseph pair:
///
/// `Φ(x) = ½ Σ_i w_i (A x − b)_i² + β Σ_{j ~ k} ψ_δ(x_j − x_k)`, `x ≥ 0`,
///
/// with statistical weights `w_i = e^(−b_i)` (relative photon counts; uniform on request), ψ_δ the Huber
/// function over the 4 (2D) or 6 (3D) nearest neighbours, and δ the edge threshold (1/mm). Small δ
/// makes the prior a smoothed total variation ("PWLS-TV"); large δ a quadratic smoother.
/// Each iteration `x ← max(0, x − ∇Φ(x) / (D + β P(x)))` with `D = Aᵀ w A 1` and Huber's optimal
/// curvature `P_j = Σ_k 2 ψ'(t)/t`, a majoriser of Φ: the objective never increases.
/// With `options.subsets > 1` it runs OS-SQS with Nesterov momentum instead (much faster from a cold
/// start, not monotone; see `orderedSubsets`).
public final class PWLSPlan: @unchecked Sendable {
    /// The projector pair, settings and the data-term curvature `D`.
    public let projector: any ProjectorPair
    public let options: IterativeOptions
    /// Prior strength β and Huber threshold δ (1/mm).
    public let beta: Double, delta: Double
    /// Use `e^(−b)` statistical weights (true) or uniform weights.
    public let statisticalWeights: Bool
    let pool: WorkerPool

    /// Plans PWLS.
    /// - Throws: `ReconstructionError.geometry` for negative β, non-positive δ or bad iteration counts.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, beta: Double, delta: Double, statisticalWeights: Bool = true,
                options: IterativeOptions = IterativeOptions()) throws {
        guard beta.isFinite, beta >= 0, delta.isFinite, delta > 0, options.iterations >= 0, options.iterations <= 100_000 else {
            throw ReconstructionError.geometry("PWLS needs beta >= 0, delta > 0 and 0...100000 iterations")
        }
        (pool, projector) = try options.poolAndProjector(geometry: geometry, grid: grid)
        self.options = options
        self.beta = beta
        self.delta = delta
        self.statisticalWeights = statisticalWeights
    }

    /// Reconstructs `projections` from `initial` (zeros if nil); residuals are Φ before each iteration
    /// and after the last.
    /// - Throws: `ReconstructionError.sizeMismatch`, `.nonFiniteInput`, `.cancelled`.
    public func execute(projections b: [Float], initial: [Float]? = nil, progress: ProgressHandler? = nil,
                        observe: IterationObserver? = nil) throws -> IterativeResult {
        let grid = projector.grid
        try checkInputs(b, count: projector.projectionCount, initial: initial, voxels: grid.count)
        let w = b.map { statisticalWeights ? Float(exp(-Double($0))) : 1 }
        // D = Aᵀ (w · A 1)
        var ax = [Float](repeating: 0, count: b.count), grad = [Float](repeating: 0, count: grid.count)
        var d = [Float](repeating: 0, count: grid.count)
        forward([Float](repeating: 1, count: grid.count), &ax)
        for i in ax.indices { ax[i] *= w[i] }
        adjoint(ax, &d)
        var x = initial ?? [Float](repeating: 0, count: grid.count)
        if options.subsets > 1 {
            return try orderedSubsets(b, weights: w, curvature: d, start: x, progress: progress, observe: observe)
        }
        var objectives: [Double] = []
        for iteration in 0...options.iterations {
            forward(x, &ax)
            var data = 0.0
            for i in ax.indices {
                let r = ax[i] - b[i]
                data += 0.5 * Double(w[i]) * Double(r) * Double(r)
                ax[i] = w[i] * r
            }
            let prior = HuberPrior(grid: grid, delta: delta)
            objectives.append(data + beta * prior.value(x))
            if iteration == options.iterations || options.converged(objectives) { break }
            adjoint(ax, &grad)
            let curvature = prior.addGradient(x, beta: beta, to: &grad)
            for j in x.indices {
                let denominator = Double(d[j]) + curvature[j]
                if denominator > 0 { x[j] = max(0, x[j] - Float(Double(grad[j]) / denominator)) }
            }
            observe?(iteration + 1, x)
            if let progress, !progress(Double(iteration + 1) / Double(options.iterations)) { throw ReconstructionError.cancelled }
        }
        return IterativeResult(image: x, residuals: objectives)
    }

    /// OS-SQS with Nesterov momentum (Kim, Ramani & Fessler, IEEE TMI 2015): each sub-iteration takes the
    /// SQS step with the data gradient of one subset of views scaled by the subset count, then
    /// extrapolates `x = z + (t_k − 1)/t_(k+1) (z − z_prev)`. Not monotone; the objectives it reports are
    /// the subsets' data terms as the sweep met them plus the prior at the sweep's end.
    private func orderedSubsets(_ b: [Float], weights w: [Float], curvature d: [Float], start: [Float],
                                progress: ProgressHandler?, observe: IterationObserver?) throws -> IterativeResult {
        let grid = projector.grid, nviews = projector.geometry.views.count
        let m = min(options.subsets, nviews)
        let subsets = (0..<m).map { Array(stride(from: $0, to: nviews, by: m)) }
        let perView = projector.geometry.rows * projector.geometry.columns
        var x = start, z = start, t = 1.0
        var ax = [Float](repeating: 0, count: b.count), grad = [Float](repeating: 0, count: grid.count)
        let prior = HuberPrior(grid: grid, delta: delta)
        var objectives: [Double] = []
        for iteration in 0..<options.iterations {
            var data = 0.0
            for views in subsets {
                x.withUnsafeBufferPointer { xs in ax.withUnsafeMutableBufferPointer { projector.forward(xs, into: $0, pool: pool, views: views) } }
                for v in views {
                    for i in (v * perView)..<((v + 1) * perView) {
                        let r = ax[i] - b[i]
                        data += 0.5 * Double(w[i]) * Double(r) * Double(r)
                        ax[i] = w[i] * r * Float(m)
                    }
                }
                ax.withUnsafeBufferPointer { ys in grad.withUnsafeMutableBufferPointer { projector.adjoint(ys, into: $0, pool: pool, views: views) } }
                let curvature = prior.addGradient(x, beta: beta, to: &grad)
                let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
                let momentum = Float((t - 1) / tNext)
                for j in x.indices {
                    let denominator = Double(d[j]) + curvature[j]
                    let zj = denominator > 0 ? max(0, x[j] - Float(Double(grad[j]) / denominator)) : x[j]
                    x[j] = max(0, zj + momentum * (zj - z[j]))
                    z[j] = zj
                }
                t = tNext
            }
            objectives.append(data + beta * prior.value(z))
            observe?(iteration + 1, z)
            if let progress, !progress(Double(iteration + 1) / Double(options.iterations)) { throw ReconstructionError.cancelled }
            if options.converged(objectives) { break }
        }
        return IterativeResult(image: z, residuals: objectives)
    }

    private func forward(_ x: [Float], _ out: inout [Float]) {
        x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { projector.forward(xs, into: $0, pool: pool) } }
    }

    private func adjoint(_ y: [Float], _ out: inout [Float]) {
        y.withUnsafeBufferPointer { ys in out.withUnsafeMutableBufferPointer { projector.adjoint(ys, into: $0, pool: pool) } }
    }
}

/// The Huber roughness penalty `Σ_{j~k} ψ_δ(x_j − x_k)` over nearest neighbours of a grid.
struct HuberPrior {
    let grid: VolumeGrid
    let delta: Double

    /// ψ_δ(t): t²/2 for |t| ≤ δ, δ|t| − δ²/2 beyond.
    func psi(_ t: Double) -> Double { abs(t) <= delta ? t * t / 2 : delta * abs(t) - delta * delta / 2 }

    /// Neighbour offsets in memory, one per axis with more than one voxel.
    var strides: [(stride: Int, axis: Int)] {
        [(1, 0), (grid.nx, 1), (grid.nx * grid.ny, 2)].filter { [grid.nx, grid.ny, grid.nz][$0.1] > 1 }
    }

    func coordinate(_ j: Int, axis: Int) -> Int {
        switch axis {
        case 0: return j % grid.nx
        case 1: return (j / grid.nx) % grid.ny
        default: return j / (grid.nx * grid.ny)
        }
    }

    /// Penalty value (each neighbour pair once).
    func value(_ x: [Float]) -> Double {
        var sum = 0.0
        let sizes = [grid.nx, grid.ny, grid.nz]
        for (s, axis) in strides {
            for j in x.indices where coordinate(j, axis: axis) + 1 < sizes[axis] { sum += psi(Double(x[j + s] - x[j])) }
        }
        return sum
    }

    /// Adds β ∇penalty to `gradient` and returns the surrogate curvature `β Σ_k 2 ω(t_jk)` per voxel,
    /// where ω(t) = ψ'(t)/t is Huber's optimal surrogate curvature (1 inside δ, δ/|t| beyond); the
    /// factor 2 comes from De Pierro's convexity split of each pair.
    func addGradient(_ x: [Float], beta: Double, to gradient: inout [Float]) -> [Double] {
        let sizes = [grid.nx, grid.ny, grid.nz]
        var curvature = [Double](repeating: 0, count: x.count)
        for (s, axis) in strides {
            for j in x.indices where coordinate(j, axis: axis) + 1 < sizes[axis] {
                let t = Double(x[j] - x[j + s])
                let omega = abs(t) <= delta ? 1 : delta / abs(t)
                let g = beta * omega * t   // ψ'(t)
                gradient[j] += Float(g)
                gradient[j + s] -= Float(g)
                curvature[j] += 2 * beta * omega
                curvature[j + s] += 2 * beta * omega
            }
        }
        return curvature
    }
}
