import HepatixKernels

/// Settings shared by the iterative reconstructions (SIRT, CGLS).
public struct IterativeOptions: Sendable, Equatable {
    /// Iterations (one forward and one back projection each). Default 50.
    public var iterations = 50
    /// Clamp the image at zero after every SIRT update (attenuation is non-negative). Default true.
    /// CGLS ignores it (a clamp breaks its conjugacy).
    public var nonNegative = true
    /// SIRT relaxation λ in (0, 2). Default 1.
    public var relaxation = 1.0
    /// Ordered subsets of views: OS-SART for SIRT, OS-SQS with Nesterov momentum for PWLS; 1 is the plain
    /// method. Subset s holds views s, s+S, s+2S, … Default 1. CGLS ignores it.
    public var subsets = 1
    /// Worker threads; 0 means one per core.
    public var threads = 0
    /// The projector pair. Default `.joseph` (the fastest Joseph pair this CPU runs).
    public var projector = ProjectorKind.joseph
    /// Stopping rule besides `iterations`: stop once the algorithm's objective (`IterativeResult.residuals`)
    /// fell by less than this fraction over the last iteration. Default 0 (run every iteration).
    public var tolerance = 0.0

    /// True when the last two objective values differ by less than `tolerance` of the earlier one.
    func converged(_ objectives: [Double]) -> Bool {
        guard tolerance > 0, objectives.count >= 2 else { return false }
        let (before, now) = (objectives[objectives.count - 2], objectives[objectives.count - 1])
        return before > 0 && (before - now) / before < tolerance
    }

    /// Defaults.
    public init() {}

    /// Options with `iterations` and default everything else.
    public init(iterations: Int, nonNegative: Bool = true, subsets: Int = 1, threads: Int = 0) {
        self.iterations = iterations
        self.nonNegative = nonNegative
        self.subsets = subsets
        self.threads = threads
    }
}

/// The result of an iterative reconstruction.
public struct IterativeResult: Sendable {
    /// The image, `[k][i][j]`.
    public let image: [Float]
    /// The algorithm's own objective before each iteration and after the last (SIRT: Σ_i r_i² / (A1)_i;
    /// CGLS: ||b − Ax||²), `iterations + 1` values. With ordered subsets each SIRT value sums the
    /// subsets' residuals as the sweep met them (each before its own update).
    public let residuals: [Double]
}

/// Called after every iteration with the iteration number (from 1) and the current image (curves,
/// previews). Runs on the executing thread.
public typealias IterationObserver = (_ iteration: Int, _ image: [Float]) -> Void

extension IterativeOptions {
    /// The worker pool of `threads` and the `projector` pair (scratch sized for that pool) a plan
    /// iterates with.
    /// - Throws: `ReconstructionError` for a geometry the pair cannot project.
    func poolAndProjector(geometry: ProjectionGeometry, grid: VolumeGrid) throws -> (WorkerPool, any ProjectorPair) {
        let pool = WorkerPool(threads: threads)
        let pair = try ReconstructionError.wrap { try makeProjector(projector, geometry: geometry, grid: grid, maxThreads: pool.threads) }
        return (pool, pair)
    }
}
