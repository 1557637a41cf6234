import HepatixKernels

/// The iterative methods by name (as the CLI and the C ABI know them).
public enum IterativeAlgorithm: String, CaseIterable, Sendable {
    /// SIRT (one subset) and OS-SART (ordered subsets; 10 unless `options.subsets` says otherwise).
    case sirt, ossart
    /// Conjugate gradients on the normal equations.
    case cgls
    /// Penalised weighted least squares with a Huber (smoothed-TV) prior (`PWLSPlan`).
    case pwlsTV = "pwls-tv"
    /// FBP start, PWLS iterations, blend (`HybridIRPlan`).
    case hybrid
}

/// Everything needed to plan one iterative reconstruction, with documented defaults.
public struct IterativeRecipe: Sendable {
    /// The method. Default `.sirt`.
    public var algorithm = IterativeAlgorithm.sirt
    /// Iterations, non-negativity, relaxation, subsets, threads and projector pair.
    public var options = IterativeOptions()
    /// Prior strength β and Huber threshold δ (1/mm) of PWLS and hybrid IR. Defaults 60 and 5e-4
    /// (tuned on the 25 %-dose W1 scan; see BENCHMARKS.md).
    public var beta = 60.0, delta = 5e-4
    /// Hybrid IR: share of the iterative image in the blend, in [0, 1]. Default 0.7.
    public var blend = 0.7
    /// PWLS: `e^(-b)` statistical weights (true) or uniform. Default true.
    public var statisticalWeights = true
    /// Start SIRT, OS-SART, CGLS or PWLS from an FBP image instead of zero. Default false (hybrid IR
    /// always starts from FBP).
    public var fbpWarmStart = false
    /// The FBP that starts hybrid IR and warm starts. Default Hann, cut-off 0.5 (the best FBP at
    /// 25 % dose on W1; a low-noise start the iterations then sharpen).
    public var startFBP = FBPOptions(window: .hann, cutoff: 0.5)

    /// Defaults.
    public init() {}

    /// A recipe for `algorithm` with `iterations` and defaults otherwise.
    public init(_ algorithm: IterativeAlgorithm, iterations: Int, threads: Int = 0) {
        self.algorithm = algorithm
        options.iterations = iterations
        options.threads = threads
    }

    /// Plans the reconstruction of `geometry` onto `grid`.
    /// - Throws: `ReconstructionError` for bad settings or geometry.
    public func makePlan(geometry: ProjectionGeometry, grid: VolumeGrid) throws -> any VolumeReconstructor {
        if algorithm == .hybrid {
            return try HybridIRPlan(geometry: geometry, grid: grid, fbpOptions: startFBP, beta: beta, delta: delta,
                                    iterations: options.iterations, blend: blend, threads: options.threads)
        }
        let plan = try makeIterativePlan(geometry: geometry, grid: grid)
        guard fbpWarmStart else { return plan }
        return WarmStartedPlan(start: try makeStartPlan(geometry: geometry, grid: grid), iterative: plan, clampAtZero: clampsStart)
    }
}

extension IterativeRecipe {
    /// The FBP (`startFBP`, on the recipe's threads) that starts hybrid IR and warm starts.
    /// - Throws: `ReconstructionError` for bad geometry or options.
    public func makeStartPlan(geometry: ProjectionGeometry, grid: VolumeGrid) throws -> FBPPlan {
        var fbp = startFBP
        fbp.threads = options.threads
        return try FBPPlan(geometry: geometry, grid: grid, options: fbp)
    }

    /// Whether the start image is clamped at zero (the non-negative methods).
    public var clampsStart: Bool { options.nonNegative || algorithm == .pwlsTV }

    /// The bare iterative plan (SIRT, OS-SART, CGLS or PWLS; not hybrid, no warm start), for callers
    /// that pass their own start image or observe every iteration.
    /// - Throws: `ReconstructionError`, also `.geometry` for `.hybrid`.
    public func makeIterativePlan(geometry: ProjectionGeometry, grid: VolumeGrid) throws -> any IterativeReconstructor {
        var options = options
        if algorithm == .ossart && options.subsets == 1 { options.subsets = min(10, geometry.views.count) }
        if algorithm == .sirt { options.subsets = 1 }
        switch algorithm {
        case .sirt, .ossart: return try SIRTPlan(geometry: geometry, grid: grid, options: options)
        case .cgls: return try CGLSPlan(geometry: geometry, grid: grid, options: options)
        case .pwlsTV:
            return try PWLSPlan(geometry: geometry, grid: grid, beta: beta, delta: delta, statisticalWeights: statisticalWeights,
                                options: options)
        case .hybrid: throw ReconstructionError.geometry("hybrid IR is not a bare iterative plan; use makePlan")
        }
    }
}

/// An iterative plan started from an FBP image (clamped at zero for the constrained methods).
final class WarmStartedPlan: VolumeReconstructor, @unchecked Sendable {
    let start: FBPPlan
    let iterative: any IterativeReconstructor
    let clampAtZero: Bool

    init(start: FBPPlan, iterative: any IterativeReconstructor, clampAtZero: Bool) {
        (self.start, self.iterative, self.clampAtZero) = (start, iterative, clampAtZero)
    }

    var inputCount: Int { iterative.inputCount }
    var grid: VolumeGrid { iterative.grid }

    func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>, progress: ProgressHandler?) throws {
        guard output.count == grid.count else {
            throw ReconstructionError.sizeMismatch("output holds \(output.count) floats, the grid needs \(grid.count)")
        }
        let b = Array(projections)
        var first = try start.reconstruct(b) { progress?(0.05 * $0) ?? true }
        if clampAtZero { first = first.map { max($0, 0) } }
        let result = try iterative.execute(projections: b, initial: first, progress: { progress?(0.05 + 0.95 * $0) ?? true },
                                           observe: nil)
        _ = output.initialize(from: result.image)
    }
}

extension HybridIRPlan: VolumeReconstructor {
    public var inputCount: Int { pwls.projector.projectionCount }
    public var grid: VolumeGrid { pwls.projector.grid }

    public func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
                        progress: ProgressHandler?) throws {
        guard output.count == grid.count else {
            throw ReconstructionError.sizeMismatch("output holds \(output.count) floats, the grid needs \(grid.count)")
        }
        _ = output.initialize(from: try execute(projections: Array(projections), progress: progress))
    }
}
