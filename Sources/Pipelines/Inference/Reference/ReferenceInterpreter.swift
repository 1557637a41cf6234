/// Runs an `ONNXModel` node by node with the reference operators: slow, simple and accurate (double
/// accumulation), the yardstick for the planned fast engine and the driver of the operator tests.
public struct ReferenceInterpreter: Sendable {
    public let model: ONNXModel

    public init(_ model: ONNXModel) { self.model = model }

    /// Runs the graph on `feeds` (one tensor per graph input) and returns every graph output.
    /// - Throws: `InferenceError` for a missing or mis-shaped input or a node that cannot run.
    public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        var values = model.initializers
        for input in model.inputs {
            guard let tensor = feeds[input.name] else { throw InferenceError("input '\(input.name)' is not given") }
            if let type = input.elementType, type != tensor.elementType {
                throw InferenceError("input '\(input.name)' must be \(type), got \(tensor.elementType)")
            }
            if let shape = input.shape {
                guard shape.count == tensor.shape.count, zip(shape, tensor.shape).allSatisfy({ $0 == nil || $0 == $1 }) else {
                    throw InferenceError("input '\(input.name)' must have shape \(shape.map { $0.map(String.init) ?? "?" }), got \(tensor.shape)")
                }
            }
            values[input.name] = tensor
        }
        for node in model.nodes {
            let inputs = try node.inputs.map { name -> Tensor? in
                guard !name.isEmpty else { return nil }
                guard let value = values[name] else { throw InferenceError("\(node.describe): input '\(name)' has no value") }
                return value
            }
            let outputs = try ReferenceOperators.evaluate(node, inputs)
            for (name, value) in zip(node.outputs, outputs) where !name.isEmpty { values[name] = value }
        }
        return try Dictionary(model.outputs.map { output in
            guard let value = values[output.name] else { throw InferenceError("output '\(output.name)' was not computed") }
            return (output.name, value)
        }, uniquingKeysWith: { first, _ in first })  // a hand-built model may list an output twice
    }
}

/// Dispatch from an operator name to its reference implementation.
enum ReferenceOperators {
    static func evaluate(_ node: ONNXNode, _ inputs: [Tensor?]) throws -> [Tensor] {
        func input(_ i: Int) throws -> Tensor {
            guard i < inputs.count, let t = inputs[i] else { throw InferenceError("\(node.describe): input \(i) is missing") }
            return t
        }
        func optional(_ i: Int) -> Tensor? { i < inputs.count ? inputs[i] : nil }
        /// An optional input that must be float when given (a bias).
        func optionalFloat(_ i: Int) throws -> Tensor? { i < inputs.count && inputs[i] != nil ? try float(i) : nil }
        func float(_ i: Int) throws -> Tensor {
            let t = try input(i)
            guard t.elementType == .float32 else { throw InferenceError("\(node.describe): input \(i) must be float, got \(t.elementType)") }
            return t
        }
        switch node.op {
        case "Relu", "LeakyRelu", "Sigmoid", "Tanh": return [try ElementwiseOperators.activation(node, try input(0))]
        case "Clip": return [try ElementwiseOperators.clip(node, try input(0), optional(1), optional(2))]
        case "Add", "Sub", "Mul", "Div", "PRelu": return [try ElementwiseOperators.binary(node, try input(0), try input(1))]
        case "Softmax": return [try ElementwiseOperators.softmax(node, try float(0))]
        case "Cast": return [try ElementwiseOperators.cast(node, try input(0))]
        case "Identity": return [try input(0)]
        case "Conv": return [try ConvolutionOperators.conv(node, try float(0), try float(1), try optionalFloat(2))]
        case "ConvTranspose": return [try ConvolutionOperators.convTranspose(node, try float(0), try float(1), try optionalFloat(2))]
        case "MaxPool", "AveragePool":
            let x = try input(0)
            // Integer MaxPool (e.g. uint8 images) runs on exact float copies of the values.
            let asFloat = x.elementType == .float32 ? x : try Tensor(shape: x.shape, floats: x.integers.map(Float.init))
            var (y, indices) = try PoolingOperators.pool(node, asFloat)
            if x.elementType.isInteger { y = try Tensor(shape: y.shape, integers: y.floats.map { x.elementType.wrap(Int64($0)) }, type: x.elementType) }
            return indices.map { [y, $0] } ?? [y]
        case "GlobalAveragePool", "GlobalMaxPool": return [try PoolingOperators.global(node, try float(0))]
        case "BatchNormalization":
            return [try NormalizationOperators.batch(node, try float(0), try float(1), try float(2), try float(3), try float(4))]
        case "InstanceNormalization":
            let x = try float(0)
            return [try NormalizationOperators.grouped(node, x, groups: x.shape.count > 1 ? x.shape[1] : 1, scale: try float(1),
                                                       bias: try float(2), perChannel: true)]
        case "GroupNormalization":
            let x = try float(0), scale = try float(1), groups = try node.int("num_groups", 0)
            return [try NormalizationOperators.grouped(node, x, groups: groups, scale: scale, bias: try float(2),
                                                       perChannel: x.shape.count > 1 && scale.count == x.shape[1])]
        case "Resize": return [try ResizeOperator.resize(node, try float(0), optional(1), optional(2), optional(3))]
        case "Gemm": return [try LinearAlgebraOperators.gemm(node, try float(0), try float(1), try optionalFloat(2))]
        case "MatMul": return [try LinearAlgebraOperators.matmul(node, try float(0), try float(1))]
        case "Reshape": return [try ShapeOperators.reshape(node, try input(0), try input(1))]
        case "Flatten": return [try ShapeOperators.flatten(node, try input(0))]
        case "Transpose": return [try ShapeOperators.transpose(node, try input(0))]
        case "Squeeze": return [try ShapeOperators.squeeze(node, try input(0), optional(1))]
        case "Unsqueeze": return [try ShapeOperators.unsqueeze(node, try input(0), try input(1))]
        case "Concat": return [try ShapeOperators.concat(node, try inputs.indices.map { try input($0) })]
        case "Split": return try ShapeOperators.split(node, try input(0), optional(1), outputs: node.outputs.count)
        case "Slice": return [try ShapeOperators.slice(node, try input(0), try input(1), try input(2), optional(3), optional(4))]
        case "Pad": return [try ShapeOperators.pad(node, try input(0), try input(1), optional(2), optional(3))]
        case "Gather": return [try ShapeOperators.gather(node, try input(0), try input(1))]
        case "Shape": return [try ShapeOperators.shapeOf(node, try input(0))]
        case "Constant": return [try ShapeOperators.constant(node)]
        case "ConstantOfShape": return [try ShapeOperators.constantOfShape(node, try input(0))]
        default: throw InferenceError("\(node.describe): operator not implemented")
        }
    }
}
