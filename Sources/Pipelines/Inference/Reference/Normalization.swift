/// Reference BatchNormalization (inference), InstanceNormalization and GroupNormalization, with means and
/// variances accumulated in double precision.
enum NormalizationOperators {
    static func batch(_ node: ONNXNode, _ x: Tensor, _ scale: Tensor, _ bias: Tensor, _ mean: Tensor, _ variance: Tensor) throws -> Tensor {
        guard try node.int("training_mode", 0) == 0 else { throw InferenceError("\(node.describe): training mode is not supported") }
        let channels = x.shape.count > 1 ? x.shape[1] : 1
        guard [scale, bias, mean, variance].allSatisfy({ $0.count == channels }) else {
            throw InferenceError("\(node.describe): parameters do not have \(channels) channels")
        }
        let epsilon = Double(try node.float("epsilon", 1e-5))
        let inner = x.shape.count > 2 ? x.shape[2...].reduce(1, *) : 1
        var out = x.floats
        for i in out.indices {
            let c = (i / inner) % channels
            let factor = Double(scale.floats[c]) / (Double(variance.floats[c]) + epsilon).squareRoot()
            out[i] = Float((Double(x.floats[i]) - Double(mean.floats[c])) * factor + Double(bias.floats[c]))
        }
        return try Tensor(shape: x.shape, floats: out)
    }

    /// Normalises each of `groups` channel groups of each sample over its channels and spatial axes, then
    /// applies `scale`/`bias` per channel (`perChannel`) or per group.
    static func grouped(_ node: ONNXNode, _ x: Tensor, groups: Int, scale: Tensor, bias: Tensor, perChannel: Bool) throws -> Tensor {
        guard x.shape.count >= 2 else { throw InferenceError("\(node.describe): input must be N x C x ...") }
        let (batch, channels) = (x.shape[0], x.shape[1]), inner = x.shape[2...].reduce(1, *)
        guard groups > 0, channels % groups == 0, scale.count == (perChannel ? channels : groups), bias.count == scale.count else {
            throw InferenceError("\(node.describe): \(channels) channels, \(groups) groups, scale \(scale.shape), bias \(bias.shape) do not fit")
        }
        let epsilon = Double(try node.float("epsilon", 1e-5))
        let block = channels / groups * inner
        var out = x.floats
        for n in 0..<batch {
            for g in 0..<groups {
                let base = (n * groups + g) * block
                var sum = 0.0
                for i in 0..<block { sum += Double(x.floats[base + i]) }
                let mean = sum / Double(block)
                var squares = 0.0
                for i in 0..<block { let d = Double(x.floats[base + i]) - mean; squares += d * d }
                let inverse = 1 / (squares / Double(block) + epsilon).squareRoot()
                for i in 0..<block {
                    let c = g * (channels / groups) + i / inner
                    let p = perChannel ? c : g
                    out[base + i] = Float((Double(x.floats[base + i]) - mean) * inverse * Double(scale.floats[p]) + Double(bias.floats[p]))
                }
            }
        }
        return try Tensor(shape: x.shape, floats: out)
    }
}
