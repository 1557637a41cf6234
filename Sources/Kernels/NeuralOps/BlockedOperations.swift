import Foundation
import CKernels

/// Memory-bound operators on channel-blocked activations (`BlockedActivation`): max pooling, channel
/// concatenation and instance normalisation with an optional fused activation. Each reads and writes
/// interiors only, so halos stay zero.
public enum BlockedOperations {
    /// Max pooling with a kernel equal to its stride (2x2 or 2x2x2 in U-Nets) and no padding.
    public static func maxPool(_ input: BlockedActivation, _ output: BlockedActivation, window: [Int], pool: WorkerPool) {
        precondition(input.hasFloat32, "max pooling reads float32")
        let (wd, wh, ww) = window.count == 3 ? (window[0], window[1], window[2]) : (1, window[0], window[1])
        let rows = output.blocks * output.depth * output.height, avx512 = convolutionTier == "avx512"
        let src = SendablePointer(UnsafePointer(input.storage)), dst = SendableMutablePointer(output.storage)
        pool.forEach(items: rows) { _, item in
            let block = item / (output.depth * output.height), row = item % (output.depth * output.height)
            let (z, y) = (row / output.height, row % output.height)
            let out = dst.pointer + block * output.blockStride + output.offset(z: z, y: y, x: 0)
            let inBlock = src.pointer + block * input.blockStride
            if avx512 {
                hxk_max_pool_row_avx512(inBlock + input.offset(z: z * wd, y: y * wh, x: 0), 16, input.paddedWidth * 16,
                                        input.paddedHeight * input.paddedWidth * 16, Int32(wd), Int32(wh), Int32(ww), out, Int32(output.width))
                return
            }
            for x in 0..<output.width {
                let m = out + 16 * x
                m.update(repeating: -.infinity, count: 16)
                for dz in 0..<wd { for dy in 0..<wh { for dx in 0..<ww {
                    let p = inBlock + input.offset(z: z * wd + dz, y: y * wh + dy, x: x * ww + dx)
                    for c in 0..<16 { m[c] = max(m[c], p[c]) }
                } } }
            }
        }
    }

    /// Concatenates `inputs` along channels into `output` (same spatial size), in the forms `stores` asks for
    /// (a bfloat16 copy needs AVX512_BF16). With `fromBFloat16`, the inputs' bfloat16 copies are copied into
    /// the output's (`stores` must be bfloat16 alone): half the bytes when only bf16 layers read the result.
    public static func concatenate(_ inputs: [BlockedActivation], _ output: BlockedActivation, pool: WorkerPool,
                                   stores: ActivationForms = .float32, fromBFloat16: Bool = false) {
        precondition(fromBFloat16 ? stores == .bfloat16 && inputs.allSatisfy { $0.bfloat16 != nil } : inputs.allSatisfy(\.hasFloat32),
                     "the concatenation's inputs lack the form it reads")
        var firstChannel = 0
        let dst = SendableMutablePointer(output.storage), storeFloat = stores.contains(.float32)
        // Outputs larger than the last-level cache go straight to memory (non-temporal stores).
        let streaming = convolutionTier == "avx512" && output.blocks * output.blockStride * 4 > 32 << 20
        let dstBF16 = stores.contains(.bfloat16) ? SendableMutablePointer(output.makeBFloat16Copy()) : nil
        for input in inputs {
            let start = firstChannel, src = SendablePointer(UnsafePointer(input.storage))
            let srcBF16 = fromBFloat16 ? SendablePointer(UnsafePointer(input.bfloat16!)) : nil
            let aligned = start % 16 == 0
            pool.forEach(items: input.blocks * input.depth * input.height) { _, item in
                let block = item / (input.depth * input.height), row = item % (input.depth * input.height)
                let (z, y) = (row / input.height, row % input.height)
                let fromOffset = block * input.blockStride + input.offset(z: z, y: y, x: 0)
                let from = src.pointer + fromOffset
                let lanes = min(16, input.channels - block * 16)
                if aligned && lanes == 16 {
                    let to = (start / 16 + block) * output.blockStride + output.offset(z: z, y: y, x: 0)
                    if let srcBF16, let dstBF16 {
                        (dstBF16.pointer + to).update(from: srcBF16.pointer + fromOffset, count: 16 * input.width)
                        return
                    }
                    if storeFloat {
                        if streaming { hxk_copy_streaming_avx512(from, dst.pointer + to, 16 * input.width) } else { (dst.pointer + to).update(from: from, count: 16 * input.width) }
                    }
                    if let dstBF16 { hxk_f32_to_bf16_avx512(from, dstBF16.pointer + to, 16 * input.width) }
                    return
                }
                for lane in 0..<lanes {
                    let c = start + block * 16 + lane
                    let to = (c / 16) * output.blockStride + output.offset(z: z, y: y, x: 0) + c % 16
                    if let srcBF16, let dstBF16 {
                        for x in 0..<input.width { dstBF16.pointer[to + 16 * x] = srcBF16.pointer[fromOffset + 16 * x + lane] }
                        continue
                    }
                    if storeFloat { for x in 0..<input.width { dst.pointer[to + 16 * x] = from[16 * x + lane] } }
                    if let dstBF16 { for x in 0..<input.width { dstBF16.pointer[to + 16 * x] = DirectConvolution.bfloat16(from[16 * x + lane]) } }
                }
            }
            firstChannel += input.channels
        }
    }

    /// Instance normalisation (per channel over the spatial interior, population variance, double sums)
    /// with per-channel `scale` and `bias`, then `activation` (0 none, 1 ReLU, 2 LeakyReLU with `alpha`).
    /// Works in place when `input === output`. `stores` other than float32 need the AVX-512 tier (and a
    /// bfloat16 copy AVX512_BF16).
    public static func instanceNormalize(_ input: BlockedActivation, _ output: BlockedActivation, scale: [Float], bias: [Float],
                                         epsilon: Double, activation: Int, alpha: Float, pool: WorkerPool,
                                         stores: ActivationForms = .float32) {
        let src = SendablePointer(UnsafePointer(input.storage)), dst = SendableMutablePointer(output.storage)
        precondition(input.hasFloat32, "instance normalisation reads float32")
        let avx512 = convolutionTier == "avx512", storeFloat = stores.contains(.float32)
        precondition(avx512 || stores == .float32, "bfloat16 outputs need the AVX-512 tier")
        let dstBF16 = stores.contains(.bfloat16) ? SendableMutablePointer(output.makeBFloat16Copy()) : nil
        let count = Double(input.depth * input.height * input.width)
        // Outputs larger than the last-level cache go straight to memory (non-temporal stores), unless in place.
        let streaming = avx512 && output.blocks * output.blockStride * 4 > 32 << 20 && input !== output
        pool.forEach(items: input.blocks) { _, block in
            var sums = [Double](repeating: 0, count: 16), squares = sums
            let inBlock = src.pointer + block * input.blockStride
            // Row partial sums in double, added row by row: exact enough for millions of voxels.
            for z in 0..<input.depth { for y in 0..<input.height {
                let row = inBlock + input.offset(z: z, y: y, x: 0)
                if avx512 { hxk_channel_sums_avx512(row, input.width, &sums, &squares); continue }
                for x in 0..<input.width { for c in 0..<16 { let v = Double(row[16 * x + c]); sums[c] += v; squares[c] += v * v } }
            } }
            var factor = [Float](repeating: 0, count: 16), shift = factor
            for c in 0..<16 where block * 16 + c < input.channels {
                let mean = sums[c] / count, variance = max(0, squares[c] / count - mean * mean)
                let f = Double(scale[block * 16 + c]) / (variance + epsilon).squareRoot()
                factor[c] = Float(f)
                shift[c] = Float(Double(bias[block * 16 + c]) - mean * f)
            }
            let outBlock = block * output.blockStride
            for z in 0..<input.depth { for y in 0..<input.height {
                let from = inBlock + input.offset(z: z, y: y, x: 0), at = outBlock + output.offset(z: z, y: y, x: 0), to = dst.pointer + at
                if avx512 {
                    hxk_affine_activate_avx512(from, input.width, factor, shift, Int32(activation), alpha, storeFloat ? to : nil,
                                               dstBF16.map { $0.pointer + at }, streaming ? 1 : 0)
                    continue
                }
                for x in 0..<input.width {
                    for c in 0..<16 {
                        var v = from[16 * x + c] * factor[c] + shift[c]
                        if activation == 1 { v = max(v, 0) } else if activation == 2, v < 0 { v *= alpha }
                        to[16 * x + c] = v
                    }
                }
            } }
        }
    }
}

extension BlockedOperations {
    /// Softmax across the channels of every voxel, written as planar [channels][depth][height][width] into
    /// `output` (which must hold channels x voxels floats).
    public static func softmaxChannels(_ input: BlockedActivation, into output: UnsafeMutableBufferPointer<Float>, pool: WorkerPool) {
        let voxels = input.depth * input.height * input.width, channels = input.channels
        precondition(output.count == channels * voxels, "softmax output does not match the activation")
        precondition(input.hasFloat32, "softmax reads float32")
        let src = SendablePointer(UnsafePointer(input.storage)), dst = SendableMutablePointer(output.baseAddress!)
        pool.forEach(items: input.depth * input.height) { _, row in
            let (z, y) = (row / input.height, row % input.height)
            let base = input.offset(z: z, y: y, x: 0), planar = (z * input.height + y) * input.width
            withUnsafeTemporaryAllocation(of: Float.self, capacity: channels) { e in
                for x in 0..<input.width {
                    var top = -Float.infinity
                    for c in 0..<channels { top = max(top, src.pointer[(c / 16) * input.blockStride + base + 16 * x + c % 16]) }
                    var sum: Float = 0
                    for c in 0..<channels {
                        e[c] = expf(src.pointer[(c / 16) * input.blockStride + base + 16 * x + c % 16] - top)
                        sum += e[c]
                    }
                    let inverse = 1 / sum
                    for c in 0..<channels { dst.pointer[c * voxels + planar + x] = e[c] * inverse }
                }
            }
        }
    }
}
