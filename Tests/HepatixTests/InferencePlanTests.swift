import Foundation
import Testing
import HepatixKernels
@testable import Hepatix

/// The fast plan (direct convolutions of the CPU's tier; run with HEPATIX_TIER=avx2 to test the AVX2 tier on blocked activations, BN folded, activations fused) against
/// the reference interpreter on small graphs that hit the tile and block edges: 2D and 3D, strides,
/// dilations, padding, channel counts that are not multiples of 16 or 32, BN + ReLU/LeakyReLU chains and a
/// reference node (Sub) between fast ones.
@Suite struct InferencePlanTests {
    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(state % 2000) / 1000 - 1
        }
    }

    struct Layer { let inC: Int, outC: Int, kernel: [Int], stride: Int, dilation: Int, pad: Int, bn: Bool, act: String? }

    /// A chain of conv layers (each optionally with BN and an activation), input "x", output "y", plus
    /// "y - x0-conv" through a Sub so a reference node sits in the middle when `residual`.
    static func model(_ layers: [Layer], seed: UInt64) throws -> ONNXModel {
        var nodes: [ONNXNode] = [], initializers: [String: Tensor] = [:]
        var current = "x"
        for (i, l) in layers.enumerated() {
            let w = "w\(i)", b = "b\(i)", out = "c\(i)"
            let taps = l.kernel.reduce(1, *)
            initializers[w] = try Tensor(shape: [l.outC, l.inC] + l.kernel, floats: values(l.outC * l.inC * taps, seed: seed + UInt64(i)).map { $0 / Float(l.inC * taps).squareRoot() })
            initializers[b] = try Tensor(shape: [l.outC], floats: values(l.outC, seed: seed + 100 + UInt64(i)))
            let rank = l.kernel.count
            nodes.append(ONNXNode(name: "conv\(i)", op: "Conv", domain: "", inputs: [current, w, b], outputs: [out], attributes: [
                "strides": .ints(Array(repeating: l.stride, count: rank)), "dilations": .ints(Array(repeating: l.dilation, count: rank)),
                "pads": .ints(Array(repeating: l.pad, count: 2 * rank)), "kernel_shape": .ints(l.kernel)]))
            current = out
            if l.bn {
                let names = ["s", "t", "m", "v"].map { "\($0)\(i)" }
                for (k, name) in names.enumerated() {
                    let v = values(l.outC, seed: seed + 200 + UInt64(10 * i + k))
                    initializers[name] = try Tensor(shape: [l.outC], floats: k == 3 ? v.map { 0.5 + abs($0) } : v)
                }
                nodes.append(ONNXNode(name: "bn\(i)", op: "BatchNormalization", domain: "", inputs: [current] + names, outputs: ["n\(i)"],
                                      attributes: ["epsilon": .float(1e-5)]))
                current = "n\(i)"
            }
            if let act = l.act {
                nodes.append(ONNXNode(name: "a\(i)", op: act, domain: "", inputs: [current], outputs: ["r\(i)"], attributes: act == "LeakyRelu" ? ["alpha": .float(0.01)] : [:]))
                current = "r\(i)"
            }
        }
        nodes.append(ONNXNode(name: "out", op: "Identity", domain: "", inputs: [current], outputs: ["y"], attributes: [:]))
        return ONNXModel(nodes: nodes, initializers: initializers, inputs: [ONNXValueInfo(name: "x", elementType: .float32, shape: nil)],
                         outputs: [ONNXValueInfo(name: "y", elementType: .float32, shape: nil)], opset: 17, producer: "test")
    }

    /// Max |plan - reference| relative to max |reference|.
    static func compare(_ layers: [Layer], input shape: [Int], seed: UInt64) throws -> Double {
        let m = try model(layers, seed: seed)
        let x = try Tensor(shape: shape, floats: values(shape.reduce(1, *), seed: seed + 999))
        let expected = try #require(try ReferenceInterpreter(m).run(["x": x])["y"])
        let scale = expected.floats.map { abs(Double($0)) }.max() ?? 1
        var worst = 0.0
        // The CPU's own tier, and the AVX2+FMA tier when the CPU has AVX-512 too.
        for forceAVX2 in convolutionTier == "avx512" ? [false, true] : [false] {
            let got = try #require(try InferencePlan(m, threads: 2, forceAVX2: forceAVX2).run(["x": x])["y"])
            #expect(got.shape == expected.shape)
            worst = max(worst, zip(got.floats, expected.floats).map { abs(Double($0) - Double($1)) }.max()! / scale)
        }
        return worst
    }

    /// FP32 accumulation over up to ~600 products against the double reference: 1e-5 of the output's
    /// magnitude is about 10x the expected rounding error (sqrt(600) * 2^-24 * a few).
    static let tolerance = 1e-5

    @Test(.enabled(if: convolutionKernelsAvailable)) func twoDimensionalChainsMatchTheReference() throws {
        let error = try Self.compare([
            Layer(inC: 3, outC: 40, kernel: [3, 3], stride: 1, dilation: 1, pad: 1, bn: true, act: "Relu"),
            Layer(inC: 40, outC: 64, kernel: [3, 3], stride: 2, dilation: 1, pad: 1, bn: false, act: "LeakyRelu"),
            Layer(inC: 64, outC: 16, kernel: [3, 3], stride: 1, dilation: 2, pad: 2, bn: true, act: nil),
            Layer(inC: 16, outC: 5, kernel: [1, 1], stride: 1, dilation: 1, pad: 0, bn: false, act: nil),
        ], input: [1, 3, 37, 29], seed: 1)
        print("plan vs reference: \(error)"); #expect(error < Self.tolerance, "relative error \(error)")
    }

    @Test(.enabled(if: convolutionKernelsAvailable)) func threeDimensionalChainsMatchTheReference() throws {
        let error = try Self.compare([
            Layer(inC: 1, outC: 32, kernel: [3, 3, 3], stride: 1, dilation: 1, pad: 1, bn: false, act: "LeakyRelu"),
            Layer(inC: 32, outC: 48, kernel: [3, 3, 3], stride: 2, dilation: 1, pad: 1, bn: true, act: "Relu"),
            Layer(inC: 48, outC: 3, kernel: [1, 1, 1], stride: 1, dilation: 1, pad: 0, bn: false, act: nil),
        ], input: [1, 1, 9, 17, 15], seed: 2)
        print("plan vs reference: \(error)"); #expect(error < Self.tolerance, "relative error \(error)")
    }

    /// Layers with 1-3 outputs (a network's last layer) take the few-outputs kernel on AVX-512: 2D and 3D,
    /// 3x3 with stride and dilation, 1x1, with and without activation.
    @Test(.enabled(if: convolutionKernelsAvailable)) func fewOutputLayersMatchTheReference() throws {
        let error2D = try Self.compare([
            Layer(inC: 20, outC: 2, kernel: [3, 3], stride: 2, dilation: 1, pad: 1, bn: true, act: "Relu"),
            Layer(inC: 2, outC: 3, kernel: [3, 3], stride: 1, dilation: 2, pad: 2, bn: false, act: "LeakyRelu"),
            Layer(inC: 3, outC: 1, kernel: [1, 1], stride: 1, dilation: 1, pad: 0, bn: false, act: nil),
        ], input: [1, 20, 23, 19], seed: 3)
        let error3D = try Self.compare([
            Layer(inC: 40, outC: 1, kernel: [3, 3, 3], stride: 1, dilation: 1, pad: 1, bn: false, act: nil),
        ], input: [1, 40, 5, 7, 9], seed: 4)
        print("few outputs vs reference: \(error2D), \(error3D)")
        #expect(max(error2D, error3D) < Self.tolerance, "relative errors \(error2D), \(error3D)")
    }

    /// A two-level U-Net: conv+IN+LeakyReLU, max pool, conv+ReLU, transposed conv up, concat with the skip,
    /// conv, 1x1 conv to 3 classes, softmax (reference path) - in 2D or 3D.
    static func unet(rank: Int, seed: UInt64) throws -> ONNXModel {
        var initializers: [String: Tensor] = [:]
        func weights(_ name: String, _ shape: [Int], _ k: UInt64) throws {
            let fan = shape.dropFirst().reduce(1, *)
            initializers[name] = try Tensor(shape: shape, floats: values(shape.reduce(1, *), seed: seed + k).map { $0 / Float(fan).squareRoot() })
        }
        let k3 = Array(repeating: 3, count: rank), k2 = Array(repeating: 2, count: rank), k1 = Array(repeating: 1, count: rank)
        let pad1: ONNXAttribute = .ints(Array(repeating: 1, count: 2 * rank))
        try weights("w0", [24, 2] + k3, 1); try weights("b0", [24], 2)
        try weights("s0", [24], 3); try weights("t0", [24], 4)
        try weights("w1", [40, 24] + k3, 5); try weights("b1", [40], 6)
        try weights("wu", [40, 24] + k2, 7); try weights("bu", [24], 8)
        try weights("w2", [24, 48] + k3, 9); try weights("b2", [24], 10)
        try weights("w3", [3, 24] + k1, 11); try weights("b3", [3], 12)
        let nodes = [
            ONNXNode(name: "c0", op: "Conv", domain: "", inputs: ["x", "w0", "b0"], outputs: ["c0"], attributes: ["pads": pad1]),
            ONNXNode(name: "n0", op: "InstanceNormalization", domain: "", inputs: ["c0", "s0", "t0"], outputs: ["n0"], attributes: [:]),
            ONNXNode(name: "a0", op: "LeakyRelu", domain: "", inputs: ["n0"], outputs: ["skip"], attributes: ["alpha": .float(0.01)]),
            ONNXNode(name: "p0", op: "MaxPool", domain: "", inputs: ["skip"], outputs: ["p0"], attributes: ["kernel_shape": .ints(k2), "strides": .ints(k2)]),
            ONNXNode(name: "c1", op: "Conv", domain: "", inputs: ["p0", "w1", "b1"], outputs: ["c1"], attributes: ["pads": pad1]),
            ONNXNode(name: "a1", op: "Relu", domain: "", inputs: ["c1"], outputs: ["a1"], attributes: [:]),
            ONNXNode(name: "u", op: "ConvTranspose", domain: "", inputs: ["a1", "wu", "bu"], outputs: ["u"], attributes: ["strides": .ints(k2), "kernel_shape": .ints(k2)]),
            ONNXNode(name: "cat", op: "Concat", domain: "", inputs: ["u", "skip"], outputs: ["cat"], attributes: ["axis": .int(1)]),
            ONNXNode(name: "c2", op: "Conv", domain: "", inputs: ["cat", "w2", "b2"], outputs: ["c2"], attributes: ["pads": pad1]),
            ONNXNode(name: "c3", op: "Conv", domain: "", inputs: ["c2", "w3", "b3"], outputs: ["c3"], attributes: [:]),
            ONNXNode(name: "sm", op: "Softmax", domain: "", inputs: ["c3"], outputs: ["y"], attributes: ["axis": .int(1)]),
        ]
        return ONNXModel(nodes: nodes, initializers: initializers, inputs: [ONNXValueInfo(name: "x", elementType: .float32, shape: nil)],
                         outputs: [ONNXValueInfo(name: "y", elementType: .float32, shape: nil)], opset: 17, producer: "test")
    }

    @Test(.enabled(if: convolutionKernelsAvailable), arguments: [2, 3]) func miniUNetMatchesTheReference(rank: Int) throws {
        let m = try Self.unet(rank: rank, seed: UInt64(10 + rank))
        let shape = rank == 2 ? [1, 2, 22, 18] : [1, 2, 8, 10, 6]
        let x = try Tensor(shape: shape, floats: Self.values(shape.reduce(1, *), seed: 77))
        let expected = try #require(try ReferenceInterpreter(m).run(["x": x])["y"])
        var error = 0.0
        for forceAVX2 in convolutionTier == "avx512" ? [false, true] : [false] {
            let plan = try InferencePlan(m, threads: 2, forceAVX2: forceAVX2)
            #expect(plan.steps.allSatisfy { if case .reference = $0 { return false } else { return true } }, "every node on the fast path")
            let got = try #require(try plan.run(["x": x])["y"])
            #expect(got.shape == expected.shape)
            error = max(error, zip(got.floats, expected.floats).map { abs(Double($0) - Double($1)) }.max()!)
        }
        print("mini U-Net \(rank)D plan vs reference: \(error)")
        #expect(error < Self.tolerance, "max abs error \(error) on probabilities")
    }
}
