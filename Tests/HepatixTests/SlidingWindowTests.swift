import Foundation
import Testing
@testable import Hepatix

/// Sliding-window inference: with a pointwise network (1x1x1 convolution + softmax, receptive field one voxel)
/// the Gaussian-weighted average of overlapping windows must equal whole-volume inference; windows cover the
/// volume edge to edge; progress can cancel; a volume smaller than the patch is refused.
@Suite struct SlidingWindowTests {
    static func pointwiseModel() throws -> ONNXModel {
        let w = try Tensor(shape: [3, 2, 1, 1, 1], floats: [0.5, -0.3, 0.2, 0.8, -0.6, 0.1])
        let b = try Tensor(shape: [3], floats: [0.1, 0, -0.1])
        let nodes = [ONNXNode(name: "c", op: "Conv", domain: "", inputs: ["x", "w", "b"], outputs: ["c"], attributes: [:]),
                     ONNXNode(name: "s", op: "Softmax", domain: "", inputs: ["c"], outputs: ["y"], attributes: ["axis": .int(1)])]
        return ONNXModel(nodes: nodes, initializers: ["w": w, "b": b], inputs: [ONNXValueInfo(name: "x", elementType: .float32, shape: nil)],
                         outputs: [ONNXValueInfo(name: "y", elementType: .float32, shape: nil)], opset: 17, producer: "test")
    }

    @Test func windowsAverageToTheWholeVolumeResult() throws {
        let model = try Self.pointwiseModel()
        let shape = [1, 2, 11, 20, 17]
        let x = try Tensor(shape: shape, floats: InferencePlanTests.values(shape.reduce(1, *), seed: 5))
        let whole = try #require(try ReferenceInterpreter(model).run(["x": x])["y"])
        var calls = 0
        let windowed = try SlidingWindowInference(plan: try InferencePlan(model, threads: 2), patch: [8, 8, 8]).run(x) { _, _ in calls += 1; return true }
        #expect(windowed.shape == whole.shape)
        let error = zip(windowed.floats, whole.floats).map { abs($0 - $1) }.max()!
        // A weighted mean of equal float values: rounding only (a few ulps of values below 1).
        #expect(error < 1e-6, "max difference \(error)")
        #expect(calls == 2 * 4 * 4, "windows: \(calls)")   // depth 11: starts 0, 3; height 20: 0, 4, 8, 12; width 17: 0, 3, 6, 9
        #expect(SlidingWindowInference.starts(size: 20, length: 8, overlap: 0.5) == [0, 4, 8, 12])
        #expect(SlidingWindowInference.starts(size: 8, length: 8, overlap: 0.5) == [0])
    }

    @Test func cancellationAndSmallVolumesAreReported() throws {
        let plan = try InferencePlan(try Self.pointwiseModel(), threads: 1)
        let x = try Tensor(shape: [1, 2, 9, 9, 9], floats: [Float](repeating: 0.5, count: 2 * 729))
        let sliding = try SlidingWindowInference(plan: plan, patch: [8, 8, 8])
        #expect(throws: InferenceError.self) { try sliding.run(x) { done, _ in done < 2 } }
        let small = try Tensor(shape: [1, 2, 4, 9, 9], floats: [Float](repeating: 0.5, count: 2 * 324))
        #expect(throws: InferenceError.self) { try sliding.run(small) }
        #expect(throws: InferenceError.self) { try SlidingWindowInference(plan: plan, patch: [8, 8, 8], overlap: 1) }
    }
}
