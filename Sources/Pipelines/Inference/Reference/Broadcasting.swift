/// Multidirectional (numpy-style) broadcasting as ONNX defines it for elementwise operators.
enum Broadcasting {
    /// The broadcast shape of `shapes`, or an error naming them.
    static func shape(_ shapes: [[Int]], _ what: String) throws -> [Int] {
        let rank = shapes.map(\.count).max() ?? 0
        var result = [Int](repeating: 1, count: rank)
        for shape in shapes {
            let padded = [Int](repeating: 1, count: rank - shape.count) + shape
            for axis in 0..<rank where padded[axis] != 1 {
                guard result[axis] == 1 || result[axis] == padded[axis] else {
                    throw InferenceError("\(what): shapes \(shapes) cannot be broadcast together")
                }
                result[axis] = padded[axis]
            }
        }
        return result
    }

    /// For each element of `output` (row-major), the flat index into a tensor of `shape` broadcast to it.
    static func indices(from shape: [Int], to output: [Int]) -> [Int] {
        let rank = output.count
        let padded = [Int](repeating: 1, count: rank - shape.count) + shape
        let sourceStrides = strides(of: padded).enumerated().map { padded[$0.offset] == 1 ? 0 : $0.element }
        let total = output.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: rank)
        var offset = 0
        for i in 0..<total {
            result[i] = offset
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                offset += sourceStrides[axis]
                if counter[axis] < output[axis] { break }
                offset -= sourceStrides[axis] * counter[axis]
                counter[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
