import Foundation

/// Memory-bound operators on channel-blocked activations (`BlockedActivation`): max pooling, channel
/// concatenation and instance normalisation with an optional fused activation. Each reads and writes
/// interiors only, so halos stay zero.
public enum BlockedOperations {
    /// Max pooling with a kernel equal to its stride (2x2 or 2x2x2 in U-Nets) and no padding.
    public static func maxPool(_ input: BlockedActivation, _ output: BlockedActivation, window: [Int], pool: WorkerPool) {
        let (wd, wh, ww) = window.count == 3 ? (window[0], window[1], window[2]) : (1, window[0], window[1])
        let rows = output.blocks * output.depth * output.height
        let src = SendablePointer(UnsafePointer(input.storage)), dst = SendableMutablePointer(output.storage)
        pool.forEach(items: rows) { _, item in
            let block = item / (output.depth * output.height), row = item % (output.depth * output.height)
            let (z, y) = (row / output.height, row % output.height)
            let out = dst.pointer + block * output.blockStride + output.offset(z: z, y: y, x: 0)
            let inBlock = src.pointer + block * input.blockStride
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

    /// Concatenates `inputs` along channels into `output` (same spatial size).
    public static func concatenate(_ inputs: [BlockedActivation], _ output: BlockedActivation, pool: WorkerPool) {
        var firstChannel = 0
        let dst = SendableMutablePointer(output.storage)
        for input in inputs {
            let start = firstChannel, src = SendablePointer(UnsafePointer(input.storage))
            let aligned = start % 16 == 0
            pool.forEach(items: input.blocks * input.depth * input.height) { _, item in
                let block = item / (input.depth * input.height), row = item % (input.depth * input.height)
                let (z, y) = (row / input.height, row % input.height)
                let from = src.pointer + block * input.blockStride + input.offset(z: z, y: y, x: 0)
                let lanes = min(16, input.channels - block * 16)
                if aligned && lanes == 16 {
                    let to = dst.pointer + (start / 16 + block) * output.blockStride + output.offset(z: z, y: y, x: 0)
                    to.update(from: from, count: 16 * input.width)
                    return
                }
                for lane in 0..<lanes {
                    let c = start + block * 16 + lane
                    let to = dst.pointer + (c / 16) * output.blockStride + output.offset(z: z, y: y, x: 0) + c % 16
                    for x in 0..<input.width { to[16 * x] = from[16 * x + lane] }
                }
            }
            firstChannel += input.channels
        }
    }

    /// Instance normalisation (per channel over the spatial interior, population variance, double sums)
    /// with per-channel `scale` and `bias`, then `activation` (0 none, 1 ReLU, 2 LeakyReLU with `alpha`).
    /// Works in place when `input === output`.
    public static func instanceNormalize(_ input: BlockedActivation, _ output: BlockedActivation, scale: [Float], bias: [Float],
                                         epsilon: Double, activation: Int, alpha: Float, pool: WorkerPool) {
        let src = SendablePointer(UnsafePointer(input.storage)), dst = SendableMutablePointer(output.storage)
        let count = Double(input.depth * input.height * input.width)
        pool.forEach(items: input.blocks) { _, block in
            var sums = [Double](repeating: 0, count: 16), squares = sums
            let inBlock = src.pointer + block * input.blockStride
            // Row partial sums in double, added row by row: exact enough for millions of voxels.
            for z in 0..<input.depth { for y in 0..<input.height {
                let row = inBlock + input.offset(z: z, y: y, x: 0)
                for x in 0..<input.width { for c in 0..<16 { let v = Double(row[16 * x + c]); sums[c] += v; squares[c] += v * v } }
            } }
            var factor = [Float](repeating: 0, count: 16), shift = factor
            for c in 0..<16 where block * 16 + c < input.channels {
                let mean = sums[c] / count, variance = max(0, squares[c] / count - mean * mean)
                let f = Double(scale[block * 16 + c]) / (variance + epsilon).squareRoot()
                factor[c] = Float(f)
                shift[c] = Float(Double(bias[block * 16 + c]) - mean * f)
            }
            let outBlock = dst.pointer + block * output.blockStride
            for z in 0..<input.depth { for y in 0..<input.height {
                let from = inBlock + input.offset(z: z, y: y, x: 0), to = outBlock + output.offset(z: z, y: y, x: 0)
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
