/// A node attribute, typed as ONNX declares it.
public enum ONNXAttribute: Sendable, Equatable {
    case float(Float), int(Int), string(String), tensor(Tensor)
    case floats([Float]), ints([Int]), strings([String])
}

/// One operator application: `op` (in `domain`, "" = the default ONNX domain) from inputs to outputs.
/// An empty input name is an omitted optional input.
public struct ONNXNode: Sendable {
    public let name: String, op: String, domain: String
    public let inputs: [String], outputs: [String]
    public let attributes: [String: ONNXAttribute]

    /// The attribute as an Int (or `fallback` when absent).
    /// - Throws: `InferenceError` when present with another type.
    func int(_ key: String, _ fallback: Int) throws -> Int {
        switch attributes[key] {
        case nil: return fallback
        case .int(let v): return v
        default: throw InferenceError("\(self.describe): attribute \(key) is not an integer")
        }
    }

    /// The attribute as a Float (or `fallback`).
    func float(_ key: String, _ fallback: Float) throws -> Float {
        switch attributes[key] {
        case nil: return fallback
        case .float(let v): return v
        case .int(let v): return Float(v)
        default: throw InferenceError("\(self.describe): attribute \(key) is not a float")
        }
    }

    /// The attribute as [Int] (or nil when absent).
    func ints(_ key: String) throws -> [Int]? {
        switch attributes[key] {
        case nil: return nil
        case .ints(let v): return v
        case .int(let v): return [v]
        default: throw InferenceError("\(self.describe): attribute \(key) is not a list of integers")
        }
    }

    /// The attribute as [Float] (or nil when absent).
    func floats(_ key: String) throws -> [Float]? {
        switch attributes[key] {
        case nil: return nil
        case .floats(let v): return v
        case .float(let v): return [v]
        default: throw InferenceError("\(self.describe): attribute \(key) is not a list of floats")
        }
    }

    /// The attribute as a String (or `fallback`).
    func string(_ key: String, _ fallback: String) throws -> String {
        switch attributes[key] {
        case nil: return fallback
        case .string(let v): return v
        default: throw InferenceError("\(self.describe): attribute \(key) is not a string")
        }
    }

    /// "Conv 'name'" for messages.
    var describe: String { name.isEmpty ? op : "\(op) '\(name)'" }
}

/// A graph input or output: name, element type and shape (nil entries are symbolic or unknown).
public struct ONNXValueInfo: Sendable, Equatable {
    public let name: String
    public let elementType: Tensor.ElementType?
    public let shape: [Int?]?
}

/// A loaded ONNX model: its main graph in topological order, the constant tensors (initializers), the
/// graph inputs and outputs, and the opset of the default domain.
public struct ONNXModel: Sendable {
    public let nodes: [ONNXNode]
    public let initializers: [String: Tensor]
    /// Graph inputs that are not initializers (what a caller feeds).
    public let inputs: [ONNXValueInfo]
    public let outputs: [ONNXValueInfo]
    public let opset: Int
    public let producer: String

    /// The operators Hepatix runs (default ONNX domain).
    public static let supportedOperators: Set<String> = [
        "Conv", "ConvTranspose", "BatchNormalization", "InstanceNormalization", "GroupNormalization",
        "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Softmax", "Clip",
        "Add", "Sub", "Mul", "Div", "Concat", "Split", "Slice", "Pad",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Resize",
        "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Gemm", "MatMul",
        "Identity", "Constant", "ConstantOfShape", "Shape", "Gather", "Cast",
    ]

    /// Opsets of the default domain whose semantics for the supported operators are implemented (opsets 22-28
    /// only added element types to them; the node tests of those versions pass).
    public static let supportedOpsets = 13...28
}
