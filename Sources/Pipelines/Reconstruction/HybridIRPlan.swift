import HepatixKernels

/// "Hybrid IR" as vendors ship it: an FBP image warm-starts a few PWLS (Huber prior) iterations, and
/// the result is blended with the FBP image (`blend` = share of the iterative image, in [0, 1]), which
/// keeps FBP's familiar texture while cutting its noise.
public final class HybridIRPlan: @unchecked Sendable {
    /// The two stages and the blend weight.
    public let fbp: FBPPlan
    public let pwls: PWLSPlan
    public let blend: Float

    /// Plans both stages for `geometry` onto `grid`.
    /// - Throws: `ReconstructionError` from either stage, or `.geometry` for a blend outside [0, 1].
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, fbpOptions: FBPOptions = FBPOptions(window: .hann),
                beta: Double, delta: Double, iterations: Int, blend: Double, threads: Int = 0) throws {
        guard blend.isFinite, blend >= 0, blend <= 1 else { throw ReconstructionError.geometry("blend must be in [0, 1], got \(blend)") }
        var fbpOptions = fbpOptions
        fbpOptions.threads = threads
        fbp = try FBPPlan(geometry: geometry, grid: grid, options: fbpOptions)
        pwls = try PWLSPlan(geometry: geometry, grid: grid, beta: beta, delta: delta,
                            options: IterativeOptions(iterations: iterations, threads: threads))
        self.blend = Float(blend)
    }

    /// Reconstructs `projections`.
    /// - Throws: `ReconstructionError` (sizes, non-finite input, cancellation).
    public func execute(projections: [Float], progress: ProgressHandler? = nil) throws -> [Float] {
        let start = try fbp.reconstruct(projections) { progress?(0.1 * $0) ?? true }
        let iterative = try pwls.execute(projections: projections, initial: start.map { max($0, 0) }) {
            progress?(0.1 + 0.9 * $0) ?? true
        }.image
        return zip(start, iterative).map { (1 - blend) * $0 + blend * $1 }
    }
}
