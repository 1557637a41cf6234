/// Reference operators that move or select data without arithmetic: reshapes, transposes, concatenation,
/// splitting, slicing, padding, gathering, shapes and constants.
enum ShapeOperators {
    /// A possibly negative axis normalised to 0..<rank.
    static func axis(_ value: Int, rank: Int, _ node: ONNXNode) throws -> Int {
        let a = value < 0 ? value + rank : value
        guard a >= 0, a < rank else { throw InferenceError("\(node.describe): axis \(value) is outside rank \(rank)") }
        return a
    }

    /// Builds a tensor of `shape` whose element at each multi-index is `source`'s element at `index(multi)`
    /// (nil: `fill`).
    static func map(_ source: Tensor, to shape: [Int], fill: Double = 0, _ index: ([Int]) -> Int?) throws -> Tensor {
        let total = shape.reduce(1, *)
        var counter = [Int](repeating: 0, count: shape.count)
        var picks = [Int?](repeating: nil, count: total)
        for i in 0..<total {
            picks[i] = index(counter)
            var a = shape.count - 1
            while a >= 0 { counter[a] += 1; if counter[a] < shape[a] { break }; counter[a] = 0; a -= 1 }
        }
        if source.elementType == .float32 {
            let v = source.floats, f = Float(fill)
            return try Tensor(shape: shape, floats: picks.map { $0.map { v[$0] } ?? f })
        }
        let v = source.integers, f = Int64(fill)
        return try Tensor(shape: shape, integers: picks.map { $0.map { v[$0] } ?? f }, type: source.elementType)
    }

    static func reshape(_ node: ONNXNode, _ x: Tensor, _ target: Tensor) throws -> Tensor {
        let allowZero = try node.int("allowzero", 0) != 0
        var shape = target.ints
        var inferred: Int? = nil
        for (a, d) in shape.enumerated() {
            if d == 0 && !allowZero {
                guard a < x.shape.count else { throw InferenceError("\(node.describe): 0 at axis \(a) beyond the input rank") }
                shape[a] = x.shape[a]
            } else if d == -1 {
                guard inferred == nil else { throw InferenceError("\(node.describe): more than one -1 in shape \(target.ints)") }
                inferred = a
            } else if d < 0 {
                throw InferenceError("\(node.describe): invalid dimension \(d)")
            }
        }
        if let a = inferred {
            let known = shape.enumerated().filter { $0.offset != a }.reduce(1) { $0 * $1.element }
            guard known > 0, x.count % known == 0 else { throw InferenceError("\(node.describe): cannot infer -1 for \(x.count) elements into \(target.ints)") }
            shape[a] = x.count / known
        }
        return try x.reshaped(shape)
    }

    static func flatten(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        let rank = x.shape.count
        var a = try node.int("axis", 1)
        if a < 0 { a += rank }
        guard a >= 0, a <= rank else { throw InferenceError("\(node.describe): axis \(a) outside rank \(rank)") }
        return try x.reshaped([x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)])
    }

    static func transpose(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        let rank = x.shape.count
        let perm = try node.ints("perm") ?? Array((0..<rank).reversed())
        guard perm.sorted() == Array(0..<rank) else { throw InferenceError("\(node.describe): perm \(perm) is not a permutation of 0..<\(rank)") }
        let inStrides = strides(of: x.shape)
        return try map(x, to: perm.map { x.shape[$0] }) { index in
            zip(index, perm).reduce(0) { $0 + $1.0 * inStrides[$1.1] }
        }
    }

    static func squeeze(_ node: ONNXNode, _ x: Tensor, _ axesInput: Tensor?) throws -> Tensor {
        let rank = x.shape.count
        guard let axesInput else { return try x.reshaped(x.shape.filter { $0 != 1 }) }
        let axes = Set(try axesInput.ints.map { try axis($0, rank: rank, node) })
        for a in axes where x.shape[a] != 1 { throw InferenceError("\(node.describe): axis \(a) has size \(x.shape[a]), not 1") }
        return try x.reshaped(x.shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element))
    }

    static func unsqueeze(_ node: ONNXNode, _ x: Tensor, _ axesInput: Tensor) throws -> Tensor {
        let rank = x.shape.count + axesInput.count
        let axes = Set(try axesInput.ints.map { try axis($0, rank: rank, node) })
        guard axes.count == axesInput.count else { throw InferenceError("\(node.describe): repeated axes") }
        var shape: [Int] = [], rest = x.shape.makeIterator()
        for a in 0..<rank { shape.append(axes.contains(a) ? 1 : rest.next()!) }
        return try x.reshaped(shape)
    }

    static func concat(_ node: ONNXNode, _ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { throw InferenceError("\(node.describe): no inputs") }
        let a = try axis(try node.int("axis", 0), rank: first.shape.count, node)
        for p in parts {
            guard p.elementType == first.elementType, p.shape.count == first.shape.count,
                  p.shape.enumerated().allSatisfy({ $0.offset == a || $0.element == first.shape[$0.offset] }) else {
                throw InferenceError("\(node.describe): inputs \(parts.map(\.shape)) do not agree outside axis \(a)")
            }
        }
        var shape = first.shape
        shape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        let outer = shape[..<a].reduce(1, *)
        var floats: [Float] = [], integers: [Int64] = []
        for o in 0..<outer {
            for p in parts {
                let block = p.shape[a...].reduce(1, *)
                if first.elementType == .float32 { floats += p.floats[(o * block)..<((o + 1) * block)] }
                else { integers += p.integers[(o * block)..<((o + 1) * block)] }
            }
        }
        return first.elementType == .float32 ? try Tensor(shape: shape, floats: floats)
                                             : try Tensor(shape: shape, integers: integers, type: first.elementType)
    }

    static func split(_ node: ONNXNode, _ x: Tensor, _ sizesInput: Tensor?, outputs: Int) throws -> [Tensor] {
        let a = try axis(try node.int("axis", 0), rank: x.shape.count, node)
        let length = x.shape[a]
        var sizes = sizesInput?.ints ?? []
        if sizes.isEmpty {
            let n = try node.int("num_outputs", outputs)
            guard n > 0 else { throw InferenceError("\(node.describe): no outputs") }
            let chunk = (length + n - 1) / n
            sizes = (0..<n).map { min(chunk, max(0, length - $0 * chunk)) }
        }
        guard sizes.allSatisfy({ $0 >= 0 && $0 <= length }), sizes.reduce(0, +) == length, sizes.count == outputs else {
            throw InferenceError("\(node.describe): split sizes \(sizes) do not cover \(length) along axis \(a) in \(outputs) outputs")
        }
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try slice(x, axes: [a], starts: [start], ends: [start + size], steps: [1])
        }
    }

    /// Elements start, start+step, ... (< end) along each of `axes` (already clamped and normalised).
    static func slice(_ x: Tensor, axes: [Int], starts: [Int], ends: [Int], steps: [Int]) throws -> Tensor {
        var shape = x.shape, first = [Int](repeating: 0, count: x.shape.count), step = [Int](repeating: 1, count: x.shape.count)
        for (i, a) in axes.enumerated() {
            let n = steps[i] > 0 ? (ends[i] - starts[i] + steps[i] - 1) / steps[i] : (starts[i] - ends[i] - steps[i] - 1) / -steps[i]
            shape[a] = max(0, n)
            first[a] = starts[i]
            step[a] = steps[i]
        }
        let s = strides(of: x.shape)
        return try map(x, to: shape) { index in index.indices.reduce(0) { $0 + (first[$1] + index[$1] * step[$1]) * s[$1] } }
    }

    static func slice(_ node: ONNXNode, _ x: Tensor, _ starts: Tensor, _ ends: Tensor, _ axesInput: Tensor?, _ stepsInput: Tensor?) throws -> Tensor {
        let rank = x.shape.count
        let axes = try (axesInput?.ints ?? Array(0..<starts.count)).map { try axis($0, rank: rank, node) }
        let steps = stepsInput?.ints ?? [Int](repeating: 1, count: axes.count)
        guard starts.count == axes.count, ends.count == axes.count, steps.count == axes.count, !steps.contains(0) else {
            throw InferenceError("\(node.describe): starts, ends, axes and steps disagree or a step is 0")
        }
        var s: [Int] = [], e: [Int] = []
        for (i, a) in axes.enumerated() {
            let n = x.shape[a]
            var start = starts.ints[i], end = ends.ints[i]
            if start < 0 { start += n }
            if end < 0 { end += n }
            if steps[i] > 0 {
                start = min(max(start, 0), n); end = min(max(end, 0), n)
            } else {
                start = min(max(start, 0), n - 1); end = min(max(end, -1), n - 1)
            }
            s.append(start); e.append(end)
        }
        return try slice(x, axes: axes, starts: s, ends: e, steps: steps)
    }

    static func pad(_ node: ONNXNode, _ x: Tensor, _ padsInput: Tensor, _ value: Tensor?, _ axesInput: Tensor?) throws -> Tensor {
        let rank = x.shape.count
        let axes = try (axesInput?.ints ?? Array(0..<rank)).map { try axis($0, rank: rank, node) }
        let pads = padsInput.ints
        guard pads.count == 2 * axes.count else { throw InferenceError("\(node.describe): \(pads.count) pads for \(axes.count) axes") }
        var before = [Int](repeating: 0, count: rank), after = before
        for (i, a) in axes.enumerated() { before[a] = pads[i]; after[a] = pads[i + axes.count] }
        let mode = try node.string("mode", "constant")
        let shape = (0..<rank).map { x.shape[$0] + before[$0] + after[$0] }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw InferenceError("\(node.describe): pads \(pads) remove more than the input") }
        let s = strides(of: x.shape)
        let fill = value.map { $0.doubles.first ?? 0 } ?? 0
        return try map(x, to: shape, fill: fill) { index in
            var offset = 0
            for a in 0..<rank {
                var i = index[a] - before[a]
                let n = x.shape[a]
                if i < 0 || i >= n {
                    switch mode {
                    case "edge": i = min(max(i, 0), n - 1)
                    case "reflect":
                        guard n > 1 else { i = 0; break }
                        let period = 2 * (n - 1)
                        i = ((i % period) + period) % period
                        if i >= n { i = period - i }
                    case "wrap": i = ((i % n) + n) % n
                    default: return nil
                    }
                }
                offset += i * s[a]
            }
            return offset
        }
    }

    static func gather(_ node: ONNXNode, _ x: Tensor, _ indices: Tensor) throws -> Tensor {
        let rank = x.shape.count
        let a = try axis(try node.int("axis", 0), rank: rank, node)
        let n = x.shape[a]
        let picks = try indices.ints.map { i -> Int in
            let j = i < 0 ? i + n : i
            guard j >= 0, j < n else { throw InferenceError("\(node.describe): index \(i) outside 0..<\(n)") }
            return j
        }
        let shape = Array(x.shape[..<a]) + indices.shape + Array(x.shape[(a + 1)...])
        let s = strides(of: x.shape), k = indices.shape.count
        let indexStrides = strides(of: indices.shape)
        return try map(x, to: shape) { index in
            var offset = 0
            for b in 0..<a { offset += index[b] * s[b] }
            let flat = (0..<k).reduce(0) { $0 + index[a + $1] * indexStrides[$1] }
            offset += picks[flat] * s[a]
            for b in (a + 1)..<rank { offset += index[b + k - 1] * s[b] }
            return offset
        }
    }

    static func shapeOf(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        let rank = x.shape.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + rank : v, 0), rank) }
        let start = clamp(try node.int("start", 0)), end = clamp(try node.int("end", rank))
        return Tensor.int64s(start < end ? Array(x.shape[start..<end]) : [])
    }

    static func constant(_ node: ONNXNode) throws -> Tensor {
        switch (node.attributes["value"], node.attributes["value_float"], node.attributes["value_floats"],
                node.attributes["value_int"], node.attributes["value_ints"]) {
        case (.tensor(let t)?, _, _, _, _): return t
        case (_, .float(let v)?, _, _, _): return try Tensor(shape: [], floats: [v])
        case (_, _, .floats(let v)?, _, _): return try Tensor(shape: [v.count], floats: v)
        case (_, _, _, .int(let v)?, _): return try Tensor(shape: [], integers: [Int64(v)])
        case (_, _, _, _, .ints(let v)?): return Tensor.int64s(v)
        default: throw InferenceError("\(node.describe): no supported value attribute")
        }
    }

    static func constantOfShape(_ node: ONNXNode, _ shapeInput: Tensor) throws -> Tensor {
        let shape = shapeInput.ints
        guard let count = try? Tensor.elementCount(shape), count <= 1 << 31 else {
            throw InferenceError("\(node.describe): invalid or too large shape \(shape)")
        }
        if case .tensor(let value)? = node.attributes["value"] {
            if value.elementType == .float32 { return try Tensor(shape: shape, floats: Array(repeating: value.floats.first ?? 0, count: count)) }
            return try Tensor(shape: shape, integers: Array(repeating: value.integers.first ?? 0, count: count), type: value.elementType)
        }
        return try Tensor(shape: shape, floats: Array(repeating: 0, count: count))
    }
}
