import HepatixKernels

/// CGLS: conjugate gradients on the normal equations `AᵀA x = Aᵀ b` with the matched Joseph pair,
/// never forming `AᵀA`. The residual norm `||b − A x||` never increases from one iteration to the next.
public final class CGLSPlan: @unchecked Sendable {
    /// The projector pair and options.
    public let projector: any ProjectorPair
    public let options: IterativeOptions
    let pool: WorkerPool

    /// Plans CGLS for `geometry` onto `grid`.
    /// - Throws: `ReconstructionError` for bad geometry or options.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, options: IterativeOptions = IterativeOptions()) throws {
        guard options.iterations >= 0, options.iterations <= 100_000 else {
            throw ReconstructionError.geometry("CGLS needs 0...100000 iterations")
        }
        (pool, projector) = try options.poolAndProjector(geometry: geometry, grid: grid)
        self.options = options
    }

    private func forward(_ x: [Float], _ out: inout [Float]) {
        x.withUnsafeBufferPointer { xs in out.withUnsafeMutableBufferPointer { projector.forward(xs, into: $0, pool: pool) } }
    }

    private func adjoint(_ y: [Float], _ out: inout [Float]) {
        y.withUnsafeBufferPointer { ys in out.withUnsafeMutableBufferPointer { projector.adjoint(ys, into: $0, pool: pool) } }
    }

    private static func norm2(_ v: [Float]) -> Double { v.reduce(0.0) { $0 + Double($1) * Double($1) } }

    /// Reconstructs `projections`, starting from `initial` (zeros if nil).
    /// - Throws: `ReconstructionError.sizeMismatch`, `.nonFiniteInput`, `.cancelled`.
    public func execute(projections b: [Float], initial: [Float]? = nil, progress: ProgressHandler? = nil,
                        observe: IterationObserver? = nil) throws -> IterativeResult {
        let n = projector.grid.count
        try checkInputs(b, count: projector.projectionCount, initial: initial, voxels: n)
        var x = initial ?? [Float](repeating: 0, count: n)
        var r = [Float](repeating: 0, count: b.count), q = r
        forward(x, &r)
        for i in r.indices { r[i] = b[i] - r[i] }
        var s = [Float](repeating: 0, count: n)
        adjoint(r, &s)
        var p = s
        var gamma = Self.norm2(s)
        var residuals = [Self.norm2(r)]
        for iteration in 0..<options.iterations where gamma > 0 {
            forward(p, &q)
            let alpha = Float(gamma / max(Self.norm2(q), .leastNormalMagnitude))
            for v in 0..<n { x[v] += alpha * p[v] }
            for i in r.indices { r[i] -= alpha * q[i] }
            residuals.append(Self.norm2(r))
            adjoint(r, &s)
            let next = Self.norm2(s)
            let beta = Float(next / gamma)
            gamma = next
            for v in 0..<n { p[v] = s[v] + beta * p[v] }
            observe?(iteration + 1, x)
            if let progress, !progress(Double(iteration + 1) / Double(options.iterations)) { throw ReconstructionError.cancelled }
            if options.converged(residuals) { break }
        }
        return IterativeResult(image: x, residuals: residuals)
    }
}
