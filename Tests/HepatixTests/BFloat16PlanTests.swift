import Foundation
import Testing
import HepatixKernels
@testable import Hepatix

/// The bf16 precision (AVX512_BF16): the kernels compute exactly the bfloat16-rounded problem with float32
/// accumulation, and the bfloat16 copies that flow between layers (written by convolutions, instance norms,
/// transposed convolutions and concatenations instead of float32 where only bf16 layers read) are current.
@Suite struct BFloat16PlanTests {
    typealias Layer = InferencePlanTests.Layer

    /// `x` rounded to the nearest bfloat16 (ties to even), as a float.
    static func rounded(_ x: Float) -> Float { Float(bitPattern: UInt32(DirectConvolution.bfloat16(x)) << 16) }

    /// The model with every weight (not bias) rounded to bfloat16.
    static func roundedWeights(_ m: ONNXModel) throws -> ONNXModel {
        var initializers = m.initializers
        for (name, t) in m.initializers where name.hasPrefix("w") { initializers[name] = try Tensor(shape: t.shape, floats: t.floats.map(rounded)) }
        return ONNXModel(nodes: m.nodes, initializers: initializers, inputs: m.inputs, outputs: m.outputs, opset: m.opset, producer: m.producer)
    }

    /// One layer on bfloat16-representable input and weights: the only rounding left is float32 accumulation
    /// (the products of two bfloat16 values are exact in float32), so the double reference must agree to the
    /// direct path's 1e-5 of the output's magnitude. 2D and 3D, stride 1 and 2, channel counts that leave
    /// half-used pairs and blocks.
    @Test(.enabled(if: DirectConvolution.bfloat16Available), arguments: [
        (Layer(inC: 24, outC: 40, kernel: [3, 3], stride: 1, dilation: 1, pad: 1, bn: false, act: "Relu"), [1, 24, 19, 33]),
        (Layer(inC: 40, outC: 16, kernel: [3, 3], stride: 2, dilation: 1, pad: 1, bn: true, act: "LeakyRelu"), [1, 40, 21, 18]),
        (Layer(inC: 20, outC: 33, kernel: [3, 3, 3], stride: 1, dilation: 1, pad: 1, bn: false, act: nil), [1, 20, 7, 9, 11]),
        (Layer(inC: 32, outC: 5, kernel: [1, 1, 1], stride: 1, dilation: 1, pad: 0, bn: false, act: nil), [1, 32, 5, 6, 7]),
    ])
    func oneLayerEqualsTheRoundedProblem(layer: Layer, shape: [Int]) throws {
        // BN would change the weights after rounding; fold it first by leaving it out of the rounded model.
        let m = try Self.roundedWeights(InferencePlanTests.model([Layer(inC: layer.inC, outC: layer.outC, kernel: layer.kernel,
                                                                        stride: layer.stride, dilation: 1, pad: layer.pad, bn: false, act: layer.act)], seed: 21))
        let x = try Tensor(shape: shape, floats: InferencePlanTests.values(shape.reduce(1, *), seed: 22).map(Self.rounded))
        let expected = try #require(try ReferenceInterpreter(m).run(["x": x])["y"])
        let plan = try InferencePlan(m, threads: 2, precision: .bf16)
        #expect(plan.steps.contains { if case .convolution(let c, _, _, _) = $0 { return c.usesBFloat16 } else { return false } })
        let got = try #require(try plan.run(["x": x])["y"])
        let scale = expected.floats.map { abs(Double($0)) }.max() ?? 1
        let error = zip(got.floats, expected.floats).map { abs(Double($0) - Double($1)) }.max()! / scale
        print("bf16 layer \(layer.kernel) s\(layer.stride) vs rounded reference: \(error)")
        #expect(error < InferencePlanTests.tolerance, "relative error \(error)")
    }

    /// A mini U-Net (instance norm, max pool, transposed convolution, concatenation, softmax) in bf16 against
    /// the float64 reference. Every layer's input and weights are rounded to 8 significant bits (relative error
    /// up to 2^-9 = 0.2% each); through the net's 5 convolutions, with errors adding in quadrature, that is
    /// about 0.1-0.5% on probabilities (measured: 9e-4). 0.01 absolute keeps a 10x margin over the measured
    /// error, while a stale bfloat16 copy moves them further (0.07 with one concatenated input left unwritten,
    /// checked by mutating the concatenation).
    @Test(.enabled(if: DirectConvolution.bfloat16Available), arguments: [2, 3]) func miniUNetInBFloat16(rank: Int) throws {
        let m = try InferencePlanTests.unet(rank: rank, seed: UInt64(30 + rank))
        let shape = rank == 2 ? [1, 2, 22, 18] : [1, 2, 8, 10, 6]
        let expected = try #require(try ReferenceInterpreter(m).run(["x": try Tensor(shape: shape, floats: InferencePlanTests.values(shape.reduce(1, *), seed: 78))])["y"])
        let plan = try InferencePlan(m, threads: 2, precision: .bf16)
        #expect(!plan.outputForms.isEmpty, "bfloat16 copies flow between layers")
        var error = 0.0
        // Two runs with different inputs in between: buffers (and their bfloat16 copies) are recycled.
        for seed: UInt64 in [78, 79, 78] {
            let x = try Tensor(shape: shape, floats: InferencePlanTests.values(shape.reduce(1, *), seed: seed))
            let got = try #require(try plan.run(["x": x])["y"])
            if seed == 78 { error = max(error, zip(got.floats, expected.floats).map { abs(Double($0) - Double($1)) }.max()!) }
        }
        print("mini U-Net \(rank)D bf16 vs reference: \(error)")
        #expect(error < 0.01, "max abs error \(error) on probabilities")
    }
}
