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

/// Shared buffer-based entry for the iterative plans (which work on arrays internally).
protocol IterativeReconstructor: VolumeReconstructor {
    var projector: any ProjectorPair { get }
    func execute(projections: [Float], initial: [Float]?, progress: ProgressHandler?) throws -> IterativeResult
}

extension IterativeReconstructor {
    public var inputCount: Int { projector.projectionCount }
    public var grid: VolumeGrid { projector.grid }

    public func execute(projections: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
                        progress: ProgressHandler?) throws {
        guard output.count == grid.count else {
            throw ReconstructionError.sizeMismatch("output holds \(output.count) floats, the grid needs \(grid.count)")
        }
        let result = try execute(projections: Array(projections), initial: nil, progress: progress)
        _ = output.initialize(from: result.image)
    }
}

extension SIRTPlan: IterativeReconstructor {}
extension CGLSPlan: IterativeReconstructor {}
extension PWLSPlan: IterativeReconstructor {}
