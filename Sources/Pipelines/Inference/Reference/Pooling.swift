/// Reference MaxPool (with optional indices), AveragePool and the global poolings.
enum PoolingOperators {
    /// MaxPool or AveragePool; returns the output and, for MaxPool, the flat indices of the maxima.
    static func pool(_ node: ONNXNode, _ x: Tensor) throws -> (Tensor, Tensor?) {
        guard x.shape.count >= 3 else { throw InferenceError("\(node.describe): input must be N x C x spatial") }
        let (batch, channels) = (x.shape[0], x.shape[1]), spatial = Array(x.shape[2...])
        var g = try SpatialGeometry(node, spatial: spatial, kernel: nil)
        let out = try g.outputSizes(node, spatial: spatial, ceilMode: try node.int("ceil_mode", 0) != 0)
        let isMax = node.op == "MaxPool"
        let includePad = try node.int("count_include_pad", 0) != 0
        let columnMajor = try node.int("storage_order", 0) != 0
        let inPlane = spatial.reduce(1, *), outPlane = out.reduce(1, *)
        let inStrides = strides(of: spatial)
        let columnStrides = spatial.indices.map { spatial[..<$0].reduce(1, *) }
        var values = [Float](repeating: 0, count: batch * channels * outPlane), picks = [Int64](repeating: 0, count: values.count)
        let xs = x.floats
        forEachIndex(out) { o, op in
            var offsets: [(Int, Int)] = [], counted = 0
            forEachIndex(g.kernel) { k, _ in
                var offset = 0, columnOffset = 0, inside = true, insidePadded = true
                for a in spatial.indices {
                    let i = o[a] * g.strides[a] - g.padBegin[a] + k[a] * g.dilations[a]
                    if i < 0 || i >= spatial[a] { inside = false }
                    if i < -g.padBegin[a] || i >= spatial[a] + g.padEnd[a] { insidePadded = false }
                    offset += i * inStrides[a]
                    columnOffset += i * columnStrides[a]
                }
                if inside { offsets.append((offset, columnOffset)) }
                if inside || (includePad && insidePadded) { counted += 1 }
            }
            for plane in 0..<(batch * channels) {
                let base = plane * inPlane
                if isMax {
                    var best = -Float.infinity, at = -1
                    for (offset, column) in offsets where xs[base + offset] > best || at < 0 {
                        best = xs[base + offset]; at = columnMajor ? column : offset
                    }
                    values[plane * outPlane + op] = best
                    picks[plane * outPlane + op] = Int64(base + max(at, 0))
                } else {
                    var sum = 0.0
                    for (offset, _) in offsets { sum += Double(xs[base + offset]) }
                    values[plane * outPlane + op] = counted > 0 ? Float(sum / Double(counted)) : 0
                }
            }
        }
        let shape = [batch, channels] + out
        return (try Tensor(shape: shape, floats: values), isMax ? try Tensor(shape: shape, integers: picks) : nil)
    }

    /// GlobalAveragePool / GlobalMaxPool over all spatial axes (kept as size 1).
    static func global(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        guard x.shape.count >= 3 else { throw InferenceError("\(node.describe): input must be N x C x spatial") }
        let planes = x.shape[0] * x.shape[1], plane = x.shape[2...].reduce(1, *)
        let values = (0..<planes).map { p -> Float in
            let slice = x.floats[(p * plane)..<((p + 1) * plane)]
            return node.op == "GlobalMaxPool" ? (slice.max() ?? 0) : Float(slice.reduce(0.0) { $0 + Double($1) } / Double(plane))
        }
        return try Tensor(shape: Array(x.shape[..<2]) + [Int](repeating: 1, count: x.shape.count - 2), floats: values)
    }
}
