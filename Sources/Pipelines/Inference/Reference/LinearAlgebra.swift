/// Reference Gemm and MatMul (numpy matmul semantics with batch broadcasting), double accumulation.
enum LinearAlgebraOperators {
    static func gemm(_ node: ONNXNode, _ a: Tensor, _ b: Tensor, _ c: Tensor?) throws -> Tensor {
        guard a.shape.count == 2, b.shape.count == 2 else { throw InferenceError("\(node.describe): A and B must be matrices") }
        let ta = try node.int("transA", 0) != 0, tb = try node.int("transB", 0) != 0
        let (m, k) = ta ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let (k2, n) = tb ? (b.shape[1], b.shape[0]) : (b.shape[0], b.shape[1])
        guard k == k2 else { throw InferenceError("\(node.describe): inner sizes \(k) and \(k2) differ") }
        let alpha = Double(try node.float("alpha", 1)), beta = Double(try node.float("beta", 1))
        var out = [Float](repeating: 0, count: m * n)
        var cIndex: [Int]? = nil
        if let c {
            guard try Broadcasting.shape([c.shape, [m, n]], node.describe) == [m, n] else {
                throw InferenceError("\(node.describe): C of shape \(c.shape) does not broadcast to \([m, n])")
            }
            cIndex = Broadcasting.indices(from: c.shape, to: [m, n])
        }
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let x = a.floats[ta ? p * a.shape[1] + i : i * a.shape[1] + p]
                    let y = b.floats[tb ? j * b.shape[1] + p : p * b.shape[1] + j]
                    sum += Double(x) * Double(y)
                }
                var value = alpha * sum
                if let c, let cIndex { value += beta * Double(c.floats[cIndex[i * n + j]]) }
                out[i * n + j] = Float(value)
            }
        }
        return try Tensor(shape: [m, n], floats: out)
    }

    static func matmul(_ node: ONNXNode, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard !a.shape.isEmpty, !b.shape.isEmpty else { throw InferenceError("\(node.describe): scalars cannot be multiplied") }
        let aShape = a.shape.count == 1 ? [1, a.shape[0]] : a.shape, bShape = b.shape.count == 1 ? [b.shape[0], 1] : b.shape
        let (m, k) = (aShape[aShape.count - 2], aShape[aShape.count - 1]), (k2, n) = (bShape[bShape.count - 2], bShape[bShape.count - 1])
        guard k == k2 else { throw InferenceError("\(node.describe): inner sizes \(k) and \(k2) differ (\(a.shape) x \(b.shape))") }
        let batch = try Broadcasting.shape([Array(aShape.dropLast(2)), Array(bShape.dropLast(2))], node.describe)
        let ia = Broadcasting.indices(from: Array(aShape.dropLast(2)), to: batch), ib = Broadcasting.indices(from: Array(bShape.dropLast(2)), to: batch)
        var out = [Float](repeating: 0, count: batch.reduce(1, *) * m * n)
        for (t, (pa, pb)) in zip(ia, ib).enumerated() {
            for i in 0..<m {
                for j in 0..<n {
                    var sum = 0.0
                    for p in 0..<k { sum += Double(a.floats[pa * m * k + i * k + p]) * Double(b.floats[pb * k * n + p * n + j]) }
                    out[(t * m + i) * n + j] = Float(sum)
                }
            }
        }
        var shape = batch + [m, n]
        if a.shape.count == 1 { shape.remove(at: shape.count - 2) }
        if b.shape.count == 1 { shape.removeLast() }
        return try Tensor(shape: shape, floats: out)
    }
}
