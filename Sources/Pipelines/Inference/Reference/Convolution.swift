/// Reference Conv and ConvTranspose for any number of spatial axes, groups, dilations, strides and pads,
/// accumulating in double precision (the yardstick for the fast kernels).
enum ConvolutionOperators {
    static func conv(_ node: ONNXNode, _ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
        guard x.shape.count >= 3, w.shape.count == x.shape.count else {
            throw InferenceError("\(node.describe): input \(x.shape) and weight \(w.shape) ranks do not fit")
        }
        let (batch, channels) = (x.shape[0], x.shape[1]), spatial = Array(x.shape[2...])
        let group = try node.int("group", 1), filters = w.shape[0]
        guard group > 0, channels % group == 0, filters % group == 0, w.shape[1] == channels / group else {
            throw InferenceError("\(node.describe): \(channels) channels, weight \(w.shape) and group \(group) do not fit")
        }
        if let b, b.count != filters { throw InferenceError("\(node.describe): bias of \(b.count) for \(filters) filters") }
        var geometry = try SpatialGeometry(node, spatial: spatial, kernel: Array(w.shape[2...]))
        guard geometry.kernel == Array(w.shape[2...]) else { throw InferenceError("\(node.describe): kernel_shape differs from the weight") }
        let out = try geometry.outputSizes(node, spatial: spatial, ceilMode: false)
        let perGroupIn = channels / group, perGroupOut = filters / group
        let inPlane = spatial.reduce(1, *), outPlane = out.reduce(1, *), taps = geometry.kernel.reduce(1, *)
        let inStrides = strides(of: spatial)
        var result = [Float](repeating: 0, count: batch * filters * outPlane)
        let xs = x.floats, ws = w.floats
        forEachIndex(out) { o, op in
            // Input offset of every kernel tap at this output position, nil where it falls in the padding.
            var offsets = [Int?](repeating: nil, count: taps)
            forEachIndex(geometry.kernel) { k, kp in
                var offset = 0
                for a in spatial.indices {
                    let i = o[a] * geometry.strides[a] - geometry.padBegin[a] + k[a] * geometry.dilations[a]
                    if i < 0 || i >= spatial[a] { return }
                    offset += i * inStrides[a]
                }
                offsets[kp] = offset
            }
            for n in 0..<batch {
                for m in 0..<filters {
                    let g = m / perGroupOut
                    var sum = Double(b?.floats[m] ?? 0)
                    for c in 0..<perGroupIn {
                        let xBase = (n * channels + g * perGroupIn + c) * inPlane, wBase = (m * perGroupIn + c) * taps
                        for (kp, offset) in offsets.enumerated() { if let offset { sum += Double(xs[xBase + offset]) * Double(ws[wBase + kp]) } }
                    }
                    result[(n * filters + m) * outPlane + op] = Float(sum)
                }
            }
        }
        return try Tensor(shape: [batch, filters] + out, floats: result)
    }

    static func convTranspose(_ node: ONNXNode, _ x: Tensor, _ w: Tensor, _ b: Tensor?) throws -> Tensor {
        guard x.shape.count >= 3, w.shape.count == x.shape.count else {
            throw InferenceError("\(node.describe): input \(x.shape) and weight \(w.shape) ranks do not fit")
        }
        let (batch, channels) = (x.shape[0], x.shape[1]), spatial = Array(x.shape[2...])
        let group = try node.int("group", 1)
        guard group > 0, channels % group == 0, w.shape[0] == channels else {
            throw InferenceError("\(node.describe): \(channels) channels, weight \(w.shape) and group \(group) do not fit")
        }
        let perGroupOut = w.shape[1], filters = perGroupOut * group, perGroupIn = channels / group
        if let b, b.count != filters { throw InferenceError("\(node.describe): bias of \(b.count) for \(filters) filters") }
        var g = try SpatialGeometry(node, spatial: spatial, kernel: Array(w.shape[2...]))
        guard g.kernel == Array(w.shape[2...]) else { throw InferenceError("\(node.describe): kernel_shape differs from the weight") }
        let rank = spatial.count
        let outputPadding = try node.ints("output_padding") ?? [Int](repeating: 0, count: rank)
        guard outputPadding.count == rank, outputPadding.allSatisfy({ $0 >= 0 }) else {
            throw InferenceError("\(node.describe): output_padding \(outputPadding) does not fit \(rank) spatial axes")
        }
        let autoPad = try node.string("auto_pad", "NOTSET")
        var out = [Int](repeating: 0, count: rank)
        var requested = try node.ints("output_shape")
        if let r = requested, r.count == rank + 2 { requested = Array(r[2...]) }
        if requested == nil, autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER" { requested = spatial.indices.map { spatial[$0] * g.strides[$0] } }
        for a in 0..<rank {
            let full = g.strides[a] * (spatial[a] - 1) + outputPadding[a] + g.extent(a)
            if let r = requested {
                guard r.count == rank else { throw InferenceError("\(node.describe): output_shape \(r) is not \(rank)-dimensional") }
                let total = full - r[a]
                let half = Int((Double(total) / 2).rounded(.down))   // floor, also for a negative total (output_shape beyond the full size)
                (g.padBegin[a], g.padEnd[a]) = autoPad == "SAME_UPPER" ? (half, total - half) : (total - half, half)
                out[a] = r[a]
            } else {
                out[a] = full - g.padBegin[a] - g.padEnd[a]
            }
            guard out[a] > 0 else { throw InferenceError("\(node.describe): output size \(out[a]) along axis \(a)") }
        }
        let inPlane = spatial.reduce(1, *), outPlane = out.reduce(1, *), taps = g.kernel.reduce(1, *)
        let outStrides = strides(of: out)
        var sums = [Double](repeating: 0, count: batch * filters * outPlane)
        let xs = x.floats, ws = w.floats
        forEachIndex(spatial) { i, ip in
            forEachIndex(g.kernel) { k, kp in
                var offset = 0
                for a in 0..<rank {
                    let o = i[a] * g.strides[a] + k[a] * g.dilations[a] - g.padBegin[a]
                    if o < 0 || o >= out[a] { return }
                    offset += o * outStrides[a]
                }
                for n in 0..<batch {
                    for c in 0..<channels {
                        let v = Double(xs[(n * channels + c) * inPlane + ip])
                        let grp = c / perGroupIn
                        for m in 0..<perGroupOut {
                            let filter = grp * perGroupOut + m
                            sums[(n * filters + filter) * outPlane + offset] += v * Double(ws[(c * perGroupOut + m) * taps + kp])
                        }
                    }
                }
            }
        }
        if let b {
            for n in 0..<batch { for m in 0..<filters { for p in 0..<outPlane { sums[(n * filters + m) * outPlane + p] += Double(b.floats[m]) } } }
        }
        return try Tensor(shape: [batch, filters] + out, floats: sums.map { Float($0) })
    }
}
