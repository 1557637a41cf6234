import CKernels

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
    /// The weights in bfloat16 ([output pair][input block][tap][8 channel pairs][32][2]) when the convolution
    /// runs on the bf16 kernel (`inBFloat16()`), else empty.
    var packedBF16: [UInt16] = []
    /// For 1-3 output channels, the weights as [input block][tap][output][16] for the few-outputs kernel
    /// (AVX-512), else empty.
    var packedFew: [Float] = []
    /// Whether `run` takes a bfloat16 copy of its input and runs the AVX512_BF16 kernel.
    public var usesBFloat16: Bool { !packedBF16.isEmpty }
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
        packedFew = DirectConvolution.fewOutputWeights(packed, outChannels: outChannels, inBlocks: inBlocks, taps: taps)
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
    /// With `usesBFloat16`, the input's bfloat16 copy (`input.bfloat16`) is read. `stores` says which forms
    /// of the output are written (float32, and a bfloat16 copy for bf16 layers reading it; AVX-512 only).
    public func run(_ input: BlockedActivation, _ output: BlockedActivation, pool: WorkerPool,
                    grid: [Int]? = nil, placement: (scale: [Int], offset: [Int])? = nil, stores: ActivationForms = .float32) {
        withRowRunner(input, output, grid: grid, placement: placement, stores: stores) { rows, pairs, runRow in
            // Runs of consecutive rows per worker (guided sizes), every output pair of a row before the next
            // row: a worker reuses its previous rows' input from its own cache (single rows handed out in turn
            // would alternate between the workers, and pair-major order would read the input once per pair).
            // With too few rows for that, items are (pair, row).
            if rows >= 16 * pool.threads {
                pool.forEachRange(count: rows) { _, range in
                    for row in range { for pair in 0..<pairs { runRow(pair, row) } }
                }
            } else {
                pool.forEach(items: pairs * rows) { _, item in runRow(item / rows, item % rows) }
            }
        }
    }

    /// Calls `body` with the number of grid rows and output-block pairs and a function computing one
    /// (pair, row) of the output, valid during `body` (so several convolutions can share one parallel loop).
    func withRowRunner(_ input: BlockedActivation, _ output: BlockedActivation, grid: [Int]?, placement: (scale: [Int], offset: [Int])?,
                       stores: ActivationForms = .float32, _ body: (_ rows: Int, _ pairs: Int, _ runRow: @escaping @Sendable (Int, Int) -> Void) -> Void) {
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
        precondition(usesBFloat16 ? input.bfloat16 != nil : input.hasFloat32, "the input lacks the form this convolution reads")
        precondition((useAVX512 && !usesFewOutputs) || stores == .float32, "bfloat16 outputs need the AVX-512 32-channel kernels")
        let outChannelCount = outChannels
        let bf16In = usesBFloat16 ? input.bfloat16.map { SendablePointer(UnsafePointer($0)) } : nil
        let bf16Out = stores.contains(.bfloat16) ? SendableMutablePointer(output.makeBFloat16Copy()) : nil
        let storeFloat = stores.contains(.float32), avx512 = useAVX512
        // Spread-out outputs (a transposed convolution's sub-grids) cover whole cache lines that no one reads
        // before the next step: non-temporal stores skip fetching them first.
        let streaming: Int32 = placement.map { $0.scale.contains { $0 > 1 } } == true ? HXK_CONV_STREAM : 0
        packed.withUnsafeBufferPointer { weights in
          packedBF16.withUnsafeBufferPointer { weightsBF16 in
           packedFew.withUnsafeBufferPointer { weightsFew in
            bias.withUnsafeBufferPointer { biasValues in
                taps.withUnsafeBufferPointer { tapOffsets in
                    let w = SendablePointer(weights.baseAddress!), b = SendablePointer(biasValues.baseAddress!)
                    let t = SendablePointer(tapOffsets.baseAddress!)
                    let wBF16 = weightsBF16.baseAddress.map { SendablePointer($0) }
                    let few = usesFewOutputs ? weightsFew.baseAddress.map { SendablePointer($0) } : nil
                    /// One microkernel call: `n` pixels from input element `inOffset` with pair `pair`'s weights.
                    let tileCall: @Sendable (Int, Int, UnsafeMutablePointer<Float>?, UnsafeMutablePointer<UInt16>?, Int, Int, Int, Int32) -> Void = {
                        inOffset, pair, out, outBF16, outBlockStride, outStep, n, mode in
                        if let bf16In, let wBF16 {
                            hxk_conv_tile_avx512_bf16(bf16In.pointer + inOffset, input.blockStride, sw * 16, t.pointer, tapCount, Int32(blocks),
                                                      wBF16.pointer + pair * blocks * tapN * 512, b.pointer + pair * 32, out, outBlockStride,
                                                      outStep, Int32(n), activationCode, alpha, outBF16)
                        } else if avx512 {
                            hxk_conv_tile_avx512(inBase.pointer + inOffset, input.blockStride, sw * 16, t.pointer, tapCount, Int32(blocks),
                                                 w.pointer + pair * blocks * tapN * 512, b.pointer + pair * 32, out, outBlockStride,
                                                 outStep, Int32(n), activationCode, alpha, mode, outBF16)
                        } else {
                            hxk_conv_tile_avx2(inBase.pointer + inOffset, input.blockStride, sw * 16, t.pointer, tapCount, Int32(blocks),
                                               w.pointer + pair * blocks * tapN * 512, b.pointer + pair * 32, out, outBlockStride,
                                               outStep, Int32(n), activationCode, alpha, 0)
                        }
                    }
                    let runRow: @Sendable (Int, Int) -> Void = { pair, row in
                        let (oz, oy) = (row / gridHeight, row % gridHeight)
                        // Input origin of output (oz, oy, 0): the halo offset minus the padding.
                        let iz = oz * sd - pd + (input.spatialRank == 3 ? input.halo : 0), iy = oy * sh - ph + input.halo
                        let rowIn = ((iz * input.paddedHeight + iy) * input.paddedWidth + input.halo - pw) * 16
                        // A pair whose second block does not exist (odd block count) is computed into a scratch
                        // tile and only its first half copied out.
                        let secondExists = 2 * pair + 1 < outBlocks
                        let outRow = (2 * pair) * output.blockStride + output.offset(z: oz * zs + zo, y: oy * ys + yo, x: xo)
                        let outStep = 16 * xs
                        if let few {
                            hxk_conv_few_outputs_avx512(inBase.pointer + rowIn, input.blockStride, sw * 16, t.pointer, tapCount, Int32(blocks),
                                                        few.pointer, b.pointer, Int32(outChannelCount), outBase.pointer + outRow, outStep,
                                                        Int32(width), activationCode, alpha)
                            return
                        }
                        var x = 0
                        while x < width {
                            let n = min(tile, width - x), at = outRow + x * outStep
                            if secondExists {
                                tileCall(rowIn + x * sw * 16, pair, storeFloat ? outBase.pointer + at : nil, bf16Out.map { $0.pointer + at },
                                         output.blockStride, outStep, n, streaming)
                            } else {
                                withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 * tile) { scratch in
                                    // (ordinary stores: the scratch tile is not 64-byte aligned)
                                    tileCall(rowIn + x * sw * 16, pair, scratch.baseAddress!, nil, 16 * tile, 16, n, 0)
                                    for p in 0..<n {
                                        let source = scratch.baseAddress! + 16 * p, target = at + p * outStep
                                        if storeFloat { (outBase.pointer + target).update(from: source, count: 16) }
                                        if let bf16Out { hxk_f32_to_bf16_avx512(source, bf16Out.pointer + target, 16) }
                                    }
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
    }
}

extension DirectConvolution {
    private init(copying c: DirectConvolution, packed: [Float], bias: [Float], activation: Activation) {
        (inChannels, outChannels, kernel, strides, dilations) = (c.inChannels, c.outChannels, c.kernel, c.strides, c.dilations)
        (padBegin, outPairs, inBlocks) = (c.padBegin, c.outPairs, c.inBlocks)
        (self.packed, self.bias, self.activation, useAVX512) = (packed, bias, activation, c.useAVX512)
        packedBF16 = c.packedBF16.isEmpty ? [] : DirectConvolution.bfloat16Weights(packed)
        packedFew = DirectConvolution.fewOutputWeights(packed, outChannels: outChannels, inBlocks: inBlocks, taps: kernel.reduce(1, *))
    }

    /// True when this CPU runs the bfloat16 kernel (AVX512_BF16).
    public static let bfloat16Available = hxk_cpu_has_avx512_bf16() != 0 && KernelTier.forced == nil

    /// The same convolution on the bfloat16 kernel (weights rounded to nearest even), or nil without AVX512_BF16.
    public func inBFloat16() -> DirectConvolution? {
        guard DirectConvolution.bfloat16Available, useAVX512, !usesFewOutputs else { return nil }
        var c = self
        c.packedBF16 = DirectConvolution.bfloat16Weights(packed)
        return c
    }

    /// Whether `run` uses the few-outputs kernel (1-3 output channels on AVX-512; also the bf16 precision
    /// keeps such a layer, usually the last, in float32).
    public var usesFewOutputs: Bool { useAVX512 && !packedFew.isEmpty }

    /// Whether `run` can write a bfloat16 copy of its output (the 32-channel AVX-512 kernels).
    public var writesBFloat16: Bool { useAVX512 && !usesFewOutputs }

    /// Packed weights [pair 0][block][tap][16][32] of a 1-3 output convolution as [block][tap][output][16].
    static func fewOutputWeights(_ packed: [Float], outChannels: Int, inBlocks: Int, taps: Int) -> [Float] {
        guard outChannels <= 3 else { return [] }
        var out = [Float](repeating: 0, count: inBlocks * taps * outChannels * 16)
        for block in 0..<inBlocks {
            for t in 0..<taps {
                for m in 0..<outChannels {
                    for c in 0..<16 { out[((block * taps + t) * outChannels + m) * 16 + c] = packed[((block * taps + t) * 16 + c) * 32 + m] }
                }
            }
        }
        return out
    }

    /// Float32 packed weights [..][16][32] as bfloat16 [..][8][32][2] (channel pairs interleaved per output lane).
    static func bfloat16Weights(_ packed: [Float]) -> [UInt16] {
        var out = [UInt16](repeating: 0, count: packed.count)
        for group in stride(from: 0, to: packed.count, by: 512) {
            for c in 0..<16 {
                for lane in 0..<32 { out[group + (c / 2) * 64 + lane * 2 + c % 2] = bfloat16(packed[group + c * 32 + lane]) }
            }
        }
        return out
    }

    /// x rounded to the nearest bfloat16 (ties to even), as its bit pattern.
    public static func bfloat16(_ x: Float) -> UInt16 {
        let bits = x.bitPattern
        if x.isNaN { return UInt16(bits >> 16) | 0x40 }
        return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
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
