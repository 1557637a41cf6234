import CKernels

/// A direct-convolution microkernel (hxk_conv.h).
typealias ConvolutionTile = @convention(c) (UnsafePointer<Float>?, Int, Int, UnsafePointer<Int64>?, Int32, Int32, UnsafePointer<Float>?,
                                            UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int, Int32, Int32, Float, Int32) -> Void

/// The CNN kernel tier in use: "avx512", "avx2", or "scalar" (no fast kernels: reference operators only).
public var convolutionTier: String {
    if KernelTier.detected == .scalar { return "scalar" }
    return hxk_detect_tier() == HXK_TIER_AVX512 && KernelTier.forced == nil ? "avx512" : "avx2"
}

/// True when a SIMD tier the CNN kernels support is in use (AVX2+FMA or AVX-512, not forced to scalar).
public var convolutionKernelsAvailable: Bool { convolutionTier != "scalar" }

/// A convolution (2D or 3D, any kernel, stride, dilation and padding up to the input's halo, groups of 1)
/// prepared for the direct microkernels (AVX-512, or AVX2+FMA): weights packed as [output pair][input block][tap][16][32],
/// bias and activation fused. `run` reads a `BlockedActivation` and writes the interior of another.
public struct DirectConvolution: Sendable {
    public enum Activation: Sendable, Equatable { case none, relu, leakyRelu(Float) }

    public let inChannels: Int, outChannels: Int
    public let kernel: [Int], strides: [Int], dilations: [Int], padBegin: [Int]
    public let activation: Activation
    /// Whether the AVX-512 microkernel runs (else the AVX2+FMA one); defaults to `convolutionTier`.
    public var useAVX512 = convolutionTier == "avx512"
    let packed: [Float], bias: [Float]
    let outPairs: Int, inBlocks: Int

    /// Packs `weights` [out][in][k...] (2 or 3 spatial axes) and `bias` (nil: zeros).
    public init(weights: [Float], bias: [Float]?, inChannels: Int, outChannels: Int, kernel: [Int], strides: [Int],
                dilations: [Int], padBegin: [Int], activation: Activation) {
        (self.inChannels, self.outChannels, self.kernel, self.strides) = (inChannels, outChannels, kernel, strides)
        (self.dilations, self.padBegin, self.activation) = (dilations, padBegin, activation)
        inBlocks = (inChannels + 15) / 16
        outPairs = (outChannels + 31) / 32
        let taps = kernel.reduce(1, *)
        var packed = [Float](repeating: 0, count: outPairs * inBlocks * taps * 16 * 32)
        for m in 0..<outChannels {
            for c in 0..<inChannels {
                for t in 0..<taps {
                    let target = ((((m / 32) * inBlocks + c / 16) * taps + t) * 16 + c % 16) * 32 + m % 32
                    packed[target] = weights[(m * inChannels + c) * taps + t]
                }
            }
        }
        self.packed = packed
        var b = [Float](repeating: 0, count: outPairs * 32)
        if let bias { for m in 0..<outChannels { b[m] = bias[m] } }
        self.bias = b
    }

    /// Output spatial size along each axis for an input of `size`.
    public func outputSize(_ size: [Int], padEnd: [Int]) -> [Int] {
        size.indices.map { (size[$0] + padBegin[$0] + padEnd[$0] - (kernel[$0] - 1) * dilations[$0] - 1) / strides[$0] + 1 }
    }

    /// Computes `output` (its interior) from `input` with `pool`. The input's halo must cover the padding.
    /// With `placement`, the convolution's own output grid (`grid`, z/y/x or y/x) is written spread out:
    /// grid voxel (z, y, x) lands on output voxel (z·s + o, y·s + o, x·s + o) per axis (a transposed
    /// convolution's sub-grids).
    public func run(_ input: BlockedActivation, _ output: BlockedActivation, pool: WorkerPool,
                    grid: [Int]? = nil, placement: (scale: [Int], offset: [Int])? = nil) {
        withRowRunner(input, output, grid: grid, placement: placement) { rows, pairs, runRow in
            pool.forEach(items: pairs * rows) { _, item in runRow(item / rows, item % rows) }
        }
    }

    /// Calls `body` with the number of grid rows and output-block pairs and a function computing one
    /// (pair, row) of the output, valid during `body` (so several convolutions can share one parallel loop).
    func withRowRunner(_ input: BlockedActivation, _ output: BlockedActivation, grid: [Int]?, placement: (scale: [Int], offset: [Int])?,
                       _ body: (_ rows: Int, _ pairs: Int, _ runRow: @escaping @Sendable (Int, Int) -> Void) -> Void) {
        let is3D = kernel.count == 3
        let (kd, kh, kw) = is3D ? (kernel[0], kernel[1], kernel[2]) : (1, kernel[0], kernel[1])
        let (sd, sh, sw) = is3D ? (strides[0], strides[1], strides[2]) : (1, strides[0], strides[1])
        let (dd, dh, dw) = is3D ? (dilations[0], dilations[1], dilations[2]) : (1, dilations[0], dilations[1])
        let (pd, ph, pw) = is3D ? (padBegin[0], padBegin[1], padBegin[2]) : (0, padBegin[0], padBegin[1])
        precondition(input.halo >= max(pd, ph, pw), "input halo \(input.halo) does not cover padding")
        var taps: [Int64] = []
        for z in 0..<kd { for y in 0..<kh { for x in 0..<kw {
            taps.append(Int64(((z * dd * input.paddedHeight + y * dh) * input.paddedWidth + x * dw) * 16))
        } } }
        let size = grid ?? (is3D ? [output.depth, output.height, output.width] : [output.height, output.width])
        let (gridDepth, gridHeight, width) = is3D ? (size[0], size[1], size[2]) : (1, size[0], size[1])
        let scale = placement?.scale ?? Array(repeating: 1, count: kernel.count), shift = placement?.offset ?? Array(repeating: 0, count: kernel.count)
        let (zs, ys, xs) = is3D ? (scale[0], scale[1], scale[2]) : (1, scale[0], scale[1])
        let (zo, yo, xo) = is3D ? (shift[0], shift[1], shift[2]) : (0, shift[0], shift[1])
        let rows = gridDepth * gridHeight
        let tile = Int(HXK_CONV_TILE)
        let activationCode: Int32, alpha: Float
        switch activation {
        case .none: (activationCode, alpha) = (0, 0)
        case .relu: (activationCode, alpha) = (1, 0)
        case .leakyRelu(let a): (activationCode, alpha) = (2, a)
        }
        let inBase = SendablePointer(UnsafePointer(input.storage)), outBase = SendableMutablePointer(output.storage)
        let pairs = outPairs, blocks = inBlocks, tapCount = Int32(taps.count), tapN = taps.count
        let outBlocks = output.blocks
        let convolutionTile: ConvolutionTile = useAVX512 ? hxk_conv_tile_avx512 : hxk_conv_tile_avx2
        packed.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { biasValues in
                taps.withUnsafeBufferPointer { tapOffsets in
                    let w = SendablePointer(weights.baseAddress!), b = SendablePointer(biasValues.baseAddress!)
                    let t = SendablePointer(tapOffsets.baseAddress!)
                    let runRow: @Sendable (Int, Int) -> Void = { pair, row in
                        let (oz, oy) = (row / gridHeight, row % gridHeight)
                        // Input origin of output (oz, oy, 0): the halo offset minus the padding.
                        let iz = oz * sd - pd + (input.spatialRank == 3 ? input.halo : 0), iy = oy * sh - ph + input.halo
                        let rowIn = ((iz * input.paddedHeight + iy) * input.paddedWidth + input.halo - pw) * 16
                        let pairWeights = w.pointer + pair * blocks * tapN * 512
                        // A pair whose second block does not exist (odd block count) is computed into a scratch
                        // tile and only its first half copied out.
                        let secondExists = 2 * pair + 1 < outBlocks
                        let outRow = outBase.pointer + (2 * pair) * output.blockStride + output.offset(z: oz * zs + zo, y: oy * ys + yo, x: xo)
                        let outStep = 16 * xs
                        var x = 0
                        while x < width {
                            let n = min(tile, width - x)
                            if secondExists {
                                convolutionTile(inBase.pointer + rowIn + x * sw * 16, input.blockStride, sw * 16, t.pointer, tapCount,
                                                     Int32(blocks), pairWeights, b.pointer + pair * 32, outRow + x * outStep,
                                                     output.blockStride, outStep, Int32(n), activationCode, alpha, 0)
                            } else {
                                withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 * tile) { scratch in
                                    convolutionTile(inBase.pointer + rowIn + x * sw * 16, input.blockStride, sw * 16, t.pointer, tapCount,
                                                         Int32(blocks), pairWeights, b.pointer + pair * 32, scratch.baseAddress!,
                                                         16 * tile, 16, Int32(n), activationCode, alpha, 0)
                                    for p in 0..<n { (outRow + (x + p) * outStep).update(from: scratch.baseAddress! + 16 * p, count: 16) }
                                }
                            }
                            x += n
                        }
                    }
                    body(rows, pairs, runRow)
                }
            }
        }
    }
}

extension DirectConvolution {
    private init(copying c: DirectConvolution, packed: [Float], bias: [Float], activation: Activation) {
        (inChannels, outChannels, kernel, strides, dilations) = (c.inChannels, c.outChannels, c.kernel, c.strides, c.dilations)
        (padBegin, outPairs, inBlocks) = (c.padBegin, c.outPairs, c.inBlocks)
        (self.packed, self.bias, self.activation, useAVX512) = (packed, bias, activation, c.useAVX512)
    }

    /// The same convolution followed by `activation`.
    public func with(activation: Activation) -> DirectConvolution {
        DirectConvolution(copying: self, packed: packed, bias: bias, activation: activation)
    }

    /// The convolution with output channel m's weights and bias multiplied by `factors[m]` and `shift[m]`
    /// added to its bias: a BatchNormalization folded in.
    public func scaled(by factors: [Double], shift: [Double]) -> DirectConvolution {
        var weights = packed, newBias = bias
        let groupSize = inBlocks * kernel.reduce(1, *) * 16 * 32
        for m in 0..<outChannels {
            let base = (m / 32) * groupSize, lane = m % 32
            for i in stride(from: base + lane, to: base + groupSize, by: 32) { weights[i] = Float(Double(weights[i]) * factors[m]) }
            newBias[m] = Float(Double(bias[m]) * factors[m] + shift[m])
        }
        return DirectConvolution(copying: self, packed: weights, bias: newBias, activation: activation)
    }
}
