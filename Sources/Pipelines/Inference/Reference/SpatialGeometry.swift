/// Window geometry shared by Conv, ConvTranspose and pooling: kernel, strides, dilations and the padding
/// at the start and end of each spatial axis, from the node's attributes (auto_pad included).
struct SpatialGeometry {
    var kernel: [Int], strides: [Int], dilations: [Int], padBegin: [Int], padEnd: [Int]
    /// The largest kernel size, stride, dilation or padding accepted.
    static let largest = 1 << 20

    /// Reads kernel_shape (or `kernel`), strides, dilations, pads and auto_pad for `spatial` input sizes.
    /// `ceil` rounds output sizes up (pooling's ceil_mode).
    init(_ node: ONNXNode, spatial: [Int], kernel defaultKernel: [Int]?) throws {
        let rank = spatial.count
        guard let k = try node.ints("kernel_shape") ?? defaultKernel, k.count == rank, k.allSatisfy({ $0 > 0 }) else {
            throw InferenceError("\(node.describe): kernel_shape missing or not \(rank)-dimensional")
        }
        kernel = k
        strides = try node.ints("strides") ?? [Int](repeating: 1, count: rank)
        dilations = try node.ints("dilations") ?? [Int](repeating: 1, count: rank)
        let pads = try node.ints("pads") ?? [Int](repeating: 0, count: 2 * rank)
        guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, strides.allSatisfy({ $0 > 0 }),
              dilations.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 }) else {
            throw InferenceError("\(node.describe): strides, dilations or pads do not match \(rank) spatial axes")
        }
        // Far beyond any real network, and small enough that no size computed from them overflows.
        guard (kernel + strides + dilations + pads).allSatisfy({ $0 <= SpatialGeometry.largest }) else {
            throw InferenceError("\(node.describe): kernel, strides, dilations or pads above \(SpatialGeometry.largest)")
        }
        padBegin = Array(pads[..<rank])
        padEnd = Array(pads[rank...])
    }

    /// Extent of the dilated kernel along axis a.
    func extent(_ a: Int) -> Int { (kernel[a] - 1) * dilations[a] + 1 }

    /// Output sizes of a strided window over `spatial` (auto_pad resolved into the pads), as Conv and pooling define them.
    mutating func outputSizes(_ node: ONNXNode, spatial: [Int], ceilMode: Bool) throws -> [Int] {
        let autoPad = try node.string("auto_pad", "NOTSET")
        var out = [Int](repeating: 0, count: spatial.count)
        for a in spatial.indices {
            let n = spatial[a], s = strides[a], e = extent(a)
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                out[a] = (n + s - 1) / s
                let total = max(0, (out[a] - 1) * s + e - n)
                let small = total / 2
                (padBegin[a], padEnd[a]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small)
            case "VALID":
                (padBegin[a], padEnd[a]) = (0, 0)
                out[a] = n >= e ? (n - e) / s + 1 : 0
            case "NOTSET":
                let span = n + padBegin[a] + padEnd[a] - e
                guard span >= 0 else { throw InferenceError("\(node.describe): kernel larger than the padded input along axis \(a)") }
                out[a] = (ceilMode ? (span + s - 1) / s : span / s) + 1
                // A last window that would start inside the end padding only is dropped (ceil_mode).
                if ceilMode, (out[a] - 1) * s >= n + padBegin[a] { out[a] -= 1 }
            default: throw InferenceError("\(node.describe): unknown auto_pad '\(autoPad)'")
            }
        }
        return out
    }
}

/// Calls `body` with every multi-index of `shape` (row-major order) and its flat position.
func forEachIndex(_ shape: [Int], _ body: ([Int], Int) throws -> Void) rethrows {
    let total = shape.reduce(1, *)
    guard total > 0 else { return }
    var counter = [Int](repeating: 0, count: shape.count)
    for flat in 0..<total {
        try body(counter, flat)
        var a = shape.count - 1
        while a >= 0 { counter[a] += 1; if counter[a] < shape[a] { break }; counter[a] = 0; a -= 1 }
    }
}
