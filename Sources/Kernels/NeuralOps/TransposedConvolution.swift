/// A transposed convolution whose kernel equals its stride (the U-Net upsampling: 2x2 or 2x2x2, stride 2,
/// no padding): every output voxel comes from exactly one kernel tap, so it runs as one 1x1 direct
/// convolution per tap, each writing its own interleaved sub-grid of the output.
public struct TransposedConvolution: Sendable {
    public let inChannels: Int, outChannels: Int, stride: [Int]
    var taps: [(DirectConvolution, offset: [Int])]

    /// Whether the AVX-512 microkernel runs (else AVX2+FMA).
    public var useAVX512: Bool {
        get { taps.first?.0.useAVX512 ?? false }
        set { for i in taps.indices { taps[i].0.useAVX512 = newValue } }
    }

    /// Whether the taps run on the bfloat16 kernel (reading the input's bfloat16 copy).
    public var usesBFloat16: Bool { taps.first?.0.usesBFloat16 ?? false }

    /// Whether `run` can write a bfloat16 copy of its output.
    public var writesBFloat16: Bool { taps.allSatisfy { $0.0.writesBFloat16 } }

    /// The same transposed convolution on the bfloat16 kernel, or nil without AVX512_BF16.
    public func inBFloat16() -> TransposedConvolution? {
        var c = self
        for i in taps.indices {
            guard let reduced = taps[i].0.inBFloat16() else { return nil }
            c.taps[i].0 = reduced
        }
        return c
    }

    /// From ONNX ConvTranspose weights [in][out][k...] (k = stride) and bias (nil: zeros).
    public init(weights: [Float], bias: [Float]?, inChannels: Int, outChannels: Int, stride: [Int]) {
        (self.inChannels, self.outChannels, self.stride) = (inChannels, outChannels, stride)
        let tapCount = stride.reduce(1, *), rank = stride.count
        taps = (0..<tapCount).map { t in
            var offset = [Int](repeating: 0, count: rank), rest = t
            for a in (0..<rank).reversed() { offset[a] = rest % stride[a]; rest /= stride[a] }
            var w = [Float](repeating: 0, count: outChannels * inChannels)
            for c in 0..<inChannels { for m in 0..<outChannels { w[m * inChannels + c] = weights[(c * outChannels + m) * tapCount + t] } }
            let ones = [Int](repeating: 1, count: rank), zeros = [Int](repeating: 0, count: rank)
            return (DirectConvolution(weights: w, bias: bias, inChannels: inChannels, outChannels: outChannels, kernel: ones,
                                      strides: ones, dilations: ones, padBegin: zeros, activation: .none), offset)
        }
    }

    /// Output spatial size for an input of `size`.
    public func outputSize(_ size: [Int]) -> [Int] { zip(size, stride).map { $0 * $1 } }

    /// Writes every output voxel of `output` from `input`. One parallel loop over (output pair, input row)
    /// runs every tap for that row, so each input row is read from memory once, not once per tap. `stores`
    /// as for `DirectConvolution.run`.
    public func run(_ input: BlockedActivation, _ output: BlockedActivation, pool: WorkerPool, stores: ActivationForms = .float32) {
        let grid = stride.count == 3 ? [input.depth, input.height, input.width] : [input.height, input.width]
        func nest(_ index: Int, _ runners: [@Sendable (Int, Int) -> Void], _ rows: Int, _ pairs: Int) {
            guard index < taps.count else {
                // Guided runs of rows, all pairs of a row together (as in DirectConvolution.run).
                pool.forEachRange(count: rows) { _, range in
                    for row in range { for pair in 0..<pairs { for run in runners { run(pair, row) } } }
                }
                return
            }
            taps[index].0.withRowRunner(input, output, grid: grid, placement: (stride, taps[index].offset),
                                         stores: stores) { rows, pairs, runRow in
                nest(index + 1, runners + [runRow], rows, pairs)
            }
        }
        nest(0, [], 0, 0)
    }
}
