/// Anything that turns a full set of projections into a volume: FBP/FDK and the iterative plans.
/// The C ABI's `hx_recon_plan` wraps one of these.
public protocol VolumeReconstructor: AnyObject, Sendable {
    /// Input floats (views × rows × columns) and the output grid.
    var inputCount: Int { get }
    var grid: VolumeGrid { get }

    /// Reconstructs `projections` into `output` (`grid.count` floats, `[k][i][j]`).
    /// - Throws: `ReconstructionError` (sizes, non-finite input, cancellation).
    func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
                 progress: ProgressHandler?) throws
}

extension FBPPlan: VolumeReconstructor {}

/// The iterative plans (SIRT/OS-SART, CGLS, PWLS): array-based execution from any start image, with a
/// per-iteration observer; the buffer-based `VolumeReconstructor` entry starts from zero.
public protocol IterativeReconstructor: VolumeReconstructor {
    /// The matched projector pair the plan iterates with.
    var projector: any ProjectorPair { get }
    /// Reconstructs `projections` from `initial` (zeros if nil).
    func execute(projections: [Float], initial: [Float]?, progress: ProgressHandler?, observe: IterationObserver?) throws -> IterativeResult
}

extension IterativeReconstructor {
    public var inputCount: Int { projector.projectionCount }
    public var grid: VolumeGrid { projector.grid }

    public func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
                        progress: ProgressHandler?) throws {
        guard output.count == grid.count else {
            throw ReconstructionError.sizeMismatch("output holds \(output.count) floats, the grid needs \(grid.count)")
        }
        let result = try execute(projections: Array(projections), initial: nil, progress: progress, observe: nil)
        _ = output.initialize(from: result.image)
    }
}

extension SIRTPlan: IterativeReconstructor {}
extension CGLSPlan: IterativeReconstructor {}
extension PWLSPlan: IterativeReconstructor {}
