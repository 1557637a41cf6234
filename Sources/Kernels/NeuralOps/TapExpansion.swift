/// The first layer of an image network has one input channel, which the 16-channel blocks would pad 16-fold.
/// Instead its kernel taps become channels: channel t of the expanded activation at output voxel o holds the
/// input under tap t of o's window (zero in the padding), and the convolution becomes a 1x1 convolution over
/// those channels, with no wasted multiplications.
public struct TapExpansion: Sendable {
    public let kernel: [Int], strides: [Int], dilations: [Int], padBegin: [Int]
    public var taps: Int { kernel.reduce(1, *) }

    /// Fills `output` (taps channels, the convolution's output grid) from planar single-channel `input`
    /// of spatial size `size` ([depth,] height, width).
    public func run(_ input: UnsafePointer<Float>, size: [Int], _ output: BlockedActivation, pool: WorkerPool) {
        let is3D = kernel.count == 3
        let (d, h, w) = is3D ? (size[0], size[1], size[2]) : (1, size[0], size[1])
        func axes(_ v: [Int], _ fill: Int) -> (Int, Int, Int) { is3D ? (v[0], v[1], v[2]) : (fill, v[0], v[1]) }
        let (kd, kh, kw) = axes(kernel, 1), (sd, sh, sw) = axes(strides, 1), (dd, dh, dw) = axes(dilations, 1), (pd, ph, pw) = axes(padBegin, 0)
        let src = SendablePointer(input), dst = SendableMutablePointer(output.storage)
        pool.forEach(items: output.depth * output.height) { _, row in
            let (oz, oy) = (row / output.height, row % output.height)
            var t = 0
            for z in 0..<kd { for y in 0..<kh { for x in 0..<kw {
                let iz = oz * sd - pd + z * dd, iy = oy * sh - ph + y * dh
                let to = dst.pointer + (t / 16) * output.blockStride + output.offset(z: oz, y: oy, x: 0) + t % 16
                let inside = iz >= 0 && iz < d && iy >= 0 && iy < h
                for ox in 0..<output.width {
                    let ix = ox * sw - pw + x * dw
                    to[16 * ox] = inside && ix >= 0 && ix < w ? src.pointer[(iz * h + iy) * w + ix] : 0
                }
                t += 1
            } } }
        }
    }
}

extension DirectConvolution {
    /// For a single-input-channel convolution with at most 64 taps: the tap expansion and the equivalent 1x1
    /// convolution over its channels (same bias, activation and tier); nil otherwise.
    public func tapExpanded() -> (TapExpansion, DirectConvolution)? {
        let taps = kernel.reduce(1, *)
        guard inChannels == 1, taps <= 64 else { return nil }
        var weights = [Float](repeating: 0, count: outChannels * taps)
        for m in 0..<outChannels {
            for t in 0..<taps { weights[m * taps + t] = packed[((m / 32) * inBlocks * taps + t) * 16 * 32 + m % 32] }
        }
        let ones = [Int](repeating: 1, count: kernel.count), zeros = [Int](repeating: 0, count: kernel.count)
        var pointwise = DirectConvolution(weights: weights, bias: Array(bias.prefix(outChannels)), inChannels: taps, outChannels: outChannels,
                                          kernel: ones, strides: ones, dilations: ones, padBegin: zeros, activation: activation)
        pointwise.useAVX512 = useAVX512
        return (TapExpansion(kernel: kernel, strides: strides, dilations: dilations, padBegin: padBegin), pointwise)
    }
}
