import Foundation

/// Reference elementwise operators: activations, Clip, broadcast arithmetic, PRelu, Softmax, Cast.
enum ElementwiseOperators {
    /// Relu, LeakyRelu, Sigmoid, Tanh on float tensors.
    static func activation(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        guard x.elementType == .float32 else { throw InferenceError("\(node.describe): input must be float, got \(x.elementType)") }
        let alpha = try node.float("alpha", 0.01)
        let f: (Float) -> Float
        switch node.op {
        case "Relu": f = { max($0, 0) }
        case "LeakyRelu": f = { $0 >= 0 ? $0 : alpha * $0 }
        case "Sigmoid": f = { v in v >= 0 ? 1 / (1 + exp(-v)) : exp(v) / (1 + exp(v)) }
        case "Tanh": f = { tanh($0) }
        default: throw InferenceError("\(node.describe): not an activation")
        }
        return try Tensor(shape: x.shape, floats: x.floats.map { $0.isNaN ? $0 : f($0) })
    }

    /// Clip with optional min/max inputs (opset >= 11).
    static func clip(_ node: ONNXNode, _ x: Tensor, _ low: Tensor?, _ high: Tensor?) throws -> Tensor {
        if x.elementType == .float32 {
            let lo = low?.floats.first ?? -.infinity, hi = high?.floats.first ?? .infinity
            return try Tensor(shape: x.shape, floats: x.floats.map { $0.isNaN ? $0 : min(max($0, lo), hi) })
        }
        let lo = low?.integers.first ?? .min, hi = high?.integers.first ?? .max
        return try Tensor(shape: x.shape, integers: x.integers.map { min(max($0, lo), hi) }, type: x.elementType)
    }

    /// Add, Sub, Mul, Div, PRelu with broadcasting (float or integer; integer division truncates toward zero).
    static func binary(_ node: ONNXNode, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.elementType == b.elementType else {
            throw InferenceError("\(node.describe): operand types differ (\(a.elementType), \(b.elementType))")
        }
        let shape = try Broadcasting.shape([a.shape, b.shape], node.describe)
        let ia = Broadcasting.indices(from: a.shape, to: shape), ib = Broadcasting.indices(from: b.shape, to: shape)
        if a.elementType == .float32 {
            let (x, y) = (a.floats, b.floats)
            let f: (Float, Float) -> Float
            switch node.op {
            case "Add": f = (+)
            case "Sub": f = (-)
            case "Mul": f = (*)
            case "Div": f = (/)
            case "PRelu": f = { $0 >= 0 ? $0 : $0 * $1 }
            default: throw InferenceError("\(node.describe): not a binary operator")
            }
            return try Tensor(shape: shape, floats: zip(ia, ib).map { f(x[$0], y[$1]) })
        }
        let (x, y) = (a.integers, b.integers)
        let f: (Int64, Int64) throws -> Int64
        switch node.op {
        case "Add": f = { $0 &+ $1 }
        case "Sub": f = { $0 &- $1 }
        case "Mul": f = { $0 &* $1 }
        case "Div":
            let unsigned = a.elementType == .uint64
            f = { guard $1 != 0 else { throw InferenceError("\(node.describe): integer division by zero") }
                  // (Int64.min / -1 wraps, like the other integer operators, instead of trapping.)
                  return unsigned ? Int64(bitPattern: UInt64(bitPattern: $0) / UInt64(bitPattern: $1)) : $0.dividedReportingOverflow(by: $1).partialValue }
        case "PRelu": f = { $0 >= 0 ? $0 : $0 &* $1 }
        default: throw InferenceError("\(node.describe): not a binary operator")
        }
        let type = a.elementType
        return try Tensor(shape: shape, integers: zip(ia, ib).map { type.wrap(try f(x[$0], y[$1])) }, type: type)
    }

    /// Softmax along `axis` (opset >= 13), in double precision with the maximum subtracted.
    static func softmax(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        let rank = x.shape.count
        let axis = try ShapeOperators.axis(try node.int("axis", -1), rank: rank, node)
        let n = x.shape[axis], inner = x.shape[(axis + 1)...].reduce(1, *), outer = x.shape[..<axis].reduce(1, *)
        var out = x.floats
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * n * inner + i
                var top = -Float.infinity
                for k in 0..<n { top = max(top, x.floats[base + k * inner]) }
                var sum = 0.0
                for k in 0..<n { sum += exp(Double(x.floats[base + k * inner] - top)) }
                for k in 0..<n { out[base + k * inner] = Float(exp(Double(x.floats[base + k * inner] - top)) / sum) }
            }
        }
        return try Tensor(shape: x.shape, floats: out)
    }

    /// Cast between float, int32, int64 and bool (float to integer truncates toward zero, as ONNX does).
    static func cast(_ node: ONNXNode, _ x: Tensor) throws -> Tensor {
        let code = try node.int("to", 0)
        guard let to = Tensor.ElementType(rawValue: code) else {
            throw InferenceError("\(node.describe): cast to element type \(code) is not supported")
        }
        switch (x.elementType == .float32, to) {
        case (true, .float32): return x
        case (false, .float32): return try Tensor(shape: x.shape, floats: x.integers.map(Float.init))
        case (true, .bool): return try Tensor(shape: x.shape, integers: x.floats.map { $0 != 0 ? 1 : 0 }, type: .bool)
        case (false, .bool): return try Tensor(shape: x.shape, integers: x.integers.map { $0 != 0 ? 1 : 0 }, type: .bool)
        case (true, _):
            return try Tensor(shape: x.shape, integers: try x.floats.map {
                guard $0.isFinite, abs($0) < 9.2e18 else { throw InferenceError("\(node.describe): \($0) does not fit \(to)") }
                return to.wrap(Int64($0))
            }, type: to)
        case (false, _):
            return try Tensor(shape: x.shape, integers: x.integers.map { to.wrap($0) }, type: to)
        }
    }
}
