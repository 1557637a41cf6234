import Foundation
import Testing
import HepatixKernels
@testable import Hepatix

/// The Winograd F(4x4, 3x3) precision against the float64 reference interpreter: 3x3 stride-1 layers with
/// padding 0 and 1, sizes that are not multiples of the 4x4 tile, rows wider than one 14-tile chunk, and
/// channel counts that leave half-used blocks and pairs.
@Suite struct WinogradPlanTests {
    typealias Layer = InferencePlanTests.Layer

    /// F(4x4, 3x3) multiplies and adds values scaled by the transform entries (up to 8 in A, 5 in B, 1/24 in G)
    /// before they cancel, so its float32 rounding is about 10-100x that of the direct sum (whose tolerance,
    /// 1e-5, is ~10x its expected error). 1e-4 of the output's magnitude keeps that margin and is still 10x
    /// inside the 1e-3 bound for the Winograd path; a wrong transform entry gives errors of order 1.
    /// (Measured here: 1.3e-7 to 3.2e-7.)
    static let tolerance = 1e-4

    static let layers = [
        Layer(inC: 3, outC: 20, kernel: [3, 3], stride: 1, dilation: 1, pad: 1, bn: false, act: "Relu"),
        Layer(inC: 20, outC: 40, kernel: [3, 3], stride: 1, dilation: 1, pad: 1, bn: true, act: "LeakyRelu"),
        Layer(inC: 40, outC: 24, kernel: [3, 3], stride: 1, dilation: 1, pad: 0, bn: false, act: nil),
        Layer(inC: 24, outC: 33, kernel: [3, 3], stride: 1, dilation: 1, pad: 1, bn: true, act: "Relu"),
    ]

    @Test(.enabled(if: convolutionTier == "avx512"), arguments: [[1, 3, 37, 29], [1, 3, 21, 63], [1, 3, 6, 6]])
    func winogradChainMatchesTheReference(shape: [Int]) throws {
        let m = try InferencePlanTests.model(Self.layers, seed: 5)
        let x = try Tensor(shape: shape, floats: InferencePlanTests.values(shape.reduce(1, *), seed: 55))
        let expected = try #require(try ReferenceInterpreter(m).run(["x": x])["y"])
        let scale = expected.floats.map { abs(Double($0)) }.max() ?? 1
        for threads in [1, 2] {
            let plan = try InferencePlan(m, threads: threads, precision: .winograd)
            let winogradSteps = plan.steps.filter { if case .winograd = $0 { return true } else { return false } }.count
            #expect(winogradSteps == 4, "every 3x3 layer runs as Winograd")
            let got = try #require(try plan.run(["x": x])["y"])
            #expect(got.shape == expected.shape)
            let error = zip(got.floats, expected.floats).map { abs(Double($0) - Double($1)) }.max()! / scale
            print("Winograd \(shape) threads \(threads) vs reference: \(error)")
            #expect(error < Self.tolerance, "relative error \(error)")
        }
    }

    @Test(.enabled(if: convolutionTier == "avx512")) func otherConvolutionsStayDirect() throws {
        let m = try InferencePlanTests.model([
            Layer(inC: 16, outC: 16, kernel: [3, 3], stride: 2, dilation: 1, pad: 1, bn: false, act: nil),
            Layer(inC: 16, outC: 16, kernel: [3, 3], stride: 1, dilation: 2, pad: 2, bn: false, act: nil),
            Layer(inC: 16, outC: 16, kernel: [5, 5], stride: 1, dilation: 1, pad: 2, bn: false, act: nil),
        ], seed: 6)
        let plan = try InferencePlan(m, threads: 2, precision: .winograd)
        #expect(plan.steps.allSatisfy { if case .winograd = $0 { return false } else { return true } })
    }
}
