import Foundation

/// Reference Resize (opset 13-19): nearest and (multi)linear modes on any axes, every coordinate
/// transformation mode, the four nearest rounding modes, sizes or scales, axes and aspect-ratio policies.
/// Cubic interpolation and antialiased downsampling are not implemented (refused with a message).
enum ResizeOperator {
    static func resize(_ node: ONNXNode, _ x: Tensor, _ roiInput: Tensor?, _ scalesInput: Tensor?, _ sizesInput: Tensor?) throws -> Tensor {
        let rank = x.shape.count
        let mode = try node.string("mode", "nearest")
        guard mode == "nearest" || mode == "linear" else { throw InferenceError("\(node.describe): mode '\(mode)' is not supported (nearest, linear)") }
        let axes = try (node.ints("axes") ?? Array(0..<rank)).map { try ShapeOperators.axis($0, rank: rank, node) }
        let transform = try node.string("coordinate_transformation_mode", "half_pixel")
        let nearestMode = try node.string("nearest_mode", "round_prefer_floor")
        let extrapolation = try node.float("extrapolation_value", 0)
        var scales = [Double](repeating: 1, count: rank), out = x.shape
        if let sizes = sizesInput, sizes.count > 0 {
            guard sizes.count == axes.count else { throw InferenceError("\(node.describe): \(sizes.count) sizes for \(axes.count) axes") }
            let policy = try node.string("keep_aspect_ratio_policy", "stretch")
            let ratios = axes.enumerated().map { Double(sizes.ints[$0.offset]) / Double(x.shape[$0.element]) }
            for (i, a) in axes.enumerated() {
                switch policy {
                case "not_larger", "not_smaller":
                    let r = policy == "not_larger" ? ratios.min()! : ratios.max()!
                    scales[a] = r
                    out[a] = Int((Double(x.shape[a]) * r).rounded(.toNearestOrEven))
                default:
                    scales[a] = ratios[i]
                    out[a] = sizes.ints[i]
                }
            }
        } else if let given = scalesInput, given.count > 0 {
            guard given.count == axes.count else { throw InferenceError("\(node.describe): \(given.count) scales for \(axes.count) axes") }
            for (i, a) in axes.enumerated() {
                scales[a] = given.doubles[i]
                guard scales[a] > 0 else { throw InferenceError("\(node.describe): scale \(scales[a]) must be positive") }
                out[a] = Int(floor(Double(x.shape[a]) * scales[a]))
            }
        } else {
            throw InferenceError("\(node.describe): neither scales nor sizes given")
        }
        if try node.int("antialias", 0) != 0, mode == "linear", scales.contains(where: { $0 < 1 }) {
            throw InferenceError("\(node.describe): antialiased downsampling is not supported")
        }
        var roi = [Double](repeating: 0, count: 2 * rank)
        for a in 0..<rank { roi[rank + a] = 1 }
        if let r = roiInput, r.count == 2 * axes.count {
            let bounds = r.doubles
            for (i, a) in axes.enumerated() { roi[a] = bounds[i]; roi[rank + a] = bounds[axes.count + i] }
        }
        // Per axis and output index: the source taps and their weights (nil: extrapolated).
        let taps: [[[(Int, Double)]?]] = try (0..<rank).map { a in
            try (0..<out[a]).map { o -> [(Int, Double)]? in
                let n = x.shape[a]
                guard n != out[a] || scales[a] != 1 || transform == "tf_crop_and_resize" else { return [(o, 1)] }
                let c = try original(Double(o), axis: a, input: n, output: out[a], scale: scales[a], transform: transform, roi: roi, rank: rank, node)
                if transform == "tf_crop_and_resize", c < 0 || c > Double(n - 1) { return nil }
                if mode == "nearest" { return [(min(max(round(c, nearestMode), 0), n - 1), 1)] }
                let clamped = min(max(c, 0), Double(n - 1))
                let low = Int(floor(clamped)), high = min(low + 1, n - 1), t = clamped - Double(low)
                return t == 0 ? [(low, 1)] : [(low, 1 - t), (high, t)]
            }
        }
        let inStrides = strides(of: x.shape)
        var result = [Float](repeating: 0, count: out.reduce(1, *))
        forEachIndex(out) { index, flat in
            var terms: [(Int, Double)] = [(0, 1)]
            for a in 0..<rank {
                guard let axisTaps = taps[a][index[a]] else { terms = []; return }
                terms = terms.flatMap { t in axisTaps.map { (t.0 + $0.0 * inStrides[a], t.1 * $0.1) } }
            }
            result[flat] = Float(terms.reduce(0.0) { $0 + Double(x.floats[$1.0]) * $1.1 })
        }
        // Extrapolated outputs (tf_crop_and_resize outside the input) take extrapolation_value.
        if transform == "tf_crop_and_resize" {
            forEachIndex(out) { index, flat in
                if (0..<rank).contains(where: { taps[$0][index[$0]] == nil }) { result[flat] = extrapolation }
            }
        }
        return try Tensor(shape: out, floats: result)
    }

    /// The input coordinate of output coordinate `o` along one axis.
    static func original(_ o: Double, axis a: Int, input n: Int, output m: Int, scale: Double, transform: String, roi: [Double],
                         rank: Int, _ node: ONNXNode) throws -> Double {
        switch transform {
        case "half_pixel": return (o + 0.5) / scale - 0.5
        case "half_pixel_symmetric":
            let adjustment = Double(m) / (scale * Double(n))
            let offset = Double(n) / 2 * (1 - adjustment)
            return offset + (o + 0.5) / scale - 0.5
        case "pytorch_half_pixel": return m > 1 ? (o + 0.5) / scale - 0.5 : 0
        // The resized length is input * scale as a real number (not the rounded output size).
        case "align_corners": return m == 1 ? 0 : o * Double(n - 1) / (scale * Double(n) - 1)
        case "asymmetric": return o / scale
        case "tf_crop_and_resize":
            let (start, end) = (roi[a], roi[rank + a])
            return m > 1 ? start * Double(n - 1) + o * (end - start) * Double(n - 1) / Double(m - 1) : 0.5 * (start + end) * Double(n - 1)
        default: throw InferenceError("\(node.describe): unknown coordinate_transformation_mode '\(transform)'")
        }
    }

    /// Nearest-neighbour rounding as nearest_mode says.
    static func round(_ c: Double, _ mode: String) -> Int {
        switch mode {
        case "floor": return Int(floor(c))
        case "ceil": return Int(ceil(c))
        case "round_prefer_ceil": return c - floor(c) == 0.5 ? Int(ceil(c)) : Int(c.rounded())
        default: return c - floor(c) == 0.5 ? Int(floor(c)) : Int(c.rounded())
        }
    }
}
