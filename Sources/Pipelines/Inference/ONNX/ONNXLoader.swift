import Foundation
import SwiftProtobuf

/// Reading ONNX protobuf files into `ONNXModel`: every part is checked (types, shapes, data lengths,
/// external-data paths), unsupported operators are refused at load time with their names.
extension ONNXModel {
    /// Loads the model at `path`; external-data tensors are read relative to its folder.
    /// - Throws: `InferenceError` naming the file and the problem.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw InferenceError("\(path): cannot read the file") }
        do {
            try self.init(serialized: data, baseDirectory: (path as NSString).deletingLastPathComponent)
        } catch let error as InferenceError {
            throw InferenceError("\(path): \(error.description)")
        }
    }

    /// Parses a serialized ModelProto. `baseDirectory` is where external data lives (nil: none allowed).
    public init(serialized data: Data, baseDirectory: String?) throws {
        let proto: Onnx_ModelProto
        do {
            var options = BinaryDecodingOptions()
            options.messageDepthLimit = 64
            proto = try Onnx_ModelProto(serializedBytes: data, options: options)
        } catch {
            throw InferenceError("not a valid ONNX protobuf (\(error))")
        }
        let opset = proto.opsetImport.first { $0.domain.isEmpty || $0.domain == "ai.onnx" }.map { Int($0.version) } ?? 0
        guard ONNXModel.supportedOpsets.contains(opset) else {
            throw InferenceError("opset \(opset) of the default domain is not supported (\(ONNXModel.supportedOpsets.lowerBound)...\(ONNXModel.supportedOpsets.upperBound))")
        }
        let graph = proto.graph
        let unsupported = Set(graph.node.filter { !($0.domain.isEmpty || $0.domain == "ai.onnx") || !ONNXModel.supportedOperators.contains($0.opType) }
            .map { $0.domain.isEmpty ? $0.opType : "\($0.domain).\($0.opType)" })
        guard unsupported.isEmpty else { throw InferenceError("unsupported operators: \(unsupported.sorted().joined(separator: ", "))") }
        var initializers: [String: Tensor] = [:]
        for tensor in graph.initializer { initializers[tensor.name] = try ONNXModel.tensor(tensor, baseDirectory: baseDirectory) }
        let nodes = try graph.node.map { node in
            ONNXNode(name: node.name, op: node.opType, domain: node.domain, inputs: node.input, outputs: node.output,
                     attributes: try Dictionary(node.attribute.map { ($0.name, try ONNXModel.attribute($0, baseDirectory: baseDirectory)) },
                                                uniquingKeysWith: { first, _ in first }))
        }
        try ONNXModel.checkOrder(nodes, available: Set(initializers.keys).union(graph.input.map(\.name)))
        for (kind, names) in [("input", graph.input.map(\.name)), ("output", graph.output.map(\.name))] {
            if let repeated = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw InferenceError("graph \(kind) '\(repeated)' is listed twice")
            }
        }
        self.nodes = nodes
        self.initializers = initializers
        inputs = graph.input.filter { initializers[$0.name] == nil }.map(ONNXModel.valueInfo)
        outputs = graph.output.map(ONNXModel.valueInfo)
        self.opset = opset
        producer = "\(proto.producerName) \(proto.producerVersion)"
    }

    /// Every node input must be produced before it (ONNX requires topological order), every node has a
    /// named first output (each supported operator has at least one), and no value is produced twice (SSA).
    static func checkOrder(_ nodes: [ONNXNode], available: Set<String>) throws {
        var known = available
        for node in nodes {
            guard let first = node.outputs.first, !first.isEmpty else { throw InferenceError("\(node.describe) has no output") }
            for output in node.outputs where !output.isEmpty && known.contains(output) {
                throw InferenceError("\(node.describe) produces '\(output)', which already has a value")
            }
            for input in node.inputs where !input.isEmpty && !known.contains(input) {
                throw InferenceError("\(node.describe) reads '\(input)', which no earlier node, input or initializer provides")
            }
            known.formUnion(node.outputs)
        }
    }

    static func valueInfo(_ info: Onnx_ValueInfoProto) -> ONNXValueInfo {
        guard case .tensorType(let tensor)? = info.type.value else { return ONNXValueInfo(name: info.name, elementType: nil, shape: nil) }
        let shape: [Int?]? = tensor.hasShape ? tensor.shape.dim.map {
            if case .dimValue(let v)? = $0.value, v >= 0 { return Int(v) } else { return nil }
        } : nil
        return ONNXValueInfo(name: info.name, elementType: Tensor.ElementType(rawValue: Int(tensor.elemType)), shape: shape)
    }

    static func attribute(_ a: Onnx_AttributeProto, baseDirectory: String?) throws -> ONNXAttribute {
        switch a.type {
        case .float: return .float(a.f)
        case .int: return .int(Int(a.i))
        case .string: return .string(String(decoding: a.s, as: UTF8.self))
        case .tensor: return .tensor(try tensor(a.t, baseDirectory: baseDirectory))
        case .floats: return .floats(a.floats)
        case .ints: return .ints(a.ints.map { Int($0) })
        case .strings: return .strings(a.strings.map { String(decoding: $0, as: UTF8.self) })
        default: throw InferenceError("attribute \(a.name) has unsupported type \(a.type)")
        }
    }

    /// Largest tensor accepted from a file (elements), so a hostile header cannot ask for terabytes.
    static let maxElements = 1 << 32

    /// A TensorProto as a `Tensor` (float32, int64, int32 and bool; inline, raw or external data).
    static func tensor(_ t: Onnx_TensorProto, baseDirectory: String?) throws -> Tensor {
        let shape = t.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else { throw InferenceError("tensor '\(t.name)' has a negative dimension \(shape)") }
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= maxElements else { throw InferenceError("tensor '\(t.name)' of shape \(shape) is too large") }
            count = p
        }
        guard let type = Tensor.ElementType(rawValue: Int(t.dataType)) else {
            throw InferenceError("tensor '\(t.name)' has unsupported element type \(t.dataType) (float, the integer types and bool are supported)")
        }
        var raw = t.hasRawData ? t.rawData : nil
        if t.dataLocation == .external { raw = try externalData(t, baseDirectory: baseDirectory) }
        if let raw {
            let width = type.byteWidth
            guard raw.count == count * width else {
                throw InferenceError("tensor '\(t.name)' of shape \(shape) needs \(count * width) data bytes, has \(raw.count)")
            }
            return try raw.withUnsafeBytes { bytes -> Tensor in
                if type == .float32 {
                    return try Tensor(shape: shape, floats: (0..<count).map { Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) })
                }
                return try Tensor(shape: shape, integers: (0..<count).map { type.load(bytes, width * $0) }, type: type)
            }
        }
        do {
            switch type {
            case .float32: return try Tensor(shape: shape, floats: t.floatData)
            case .int64: return try Tensor(shape: shape, integers: t.int64Data)
            case .uint32, .uint64: return try Tensor(shape: shape, integers: t.uint64Data.map { type.wrap(Int64(bitPattern: $0)) }, type: type)
            default: return try Tensor(shape: shape, integers: t.int32Data.map { type.wrap(Int64($0)) }, type: type)
            }
        } catch let error as InferenceError {
            throw InferenceError("tensor '\(t.name)': \(error.description)")
        }
    }

    /// The bytes of an external-data tensor: `location` must stay inside the model's folder.
    static func externalData(_ t: Onnx_TensorProto, baseDirectory: String?) throws -> Data {
        let entries = Dictionary(t.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        guard let base = baseDirectory, let location = entries["location"], !location.isEmpty else {
            throw InferenceError("tensor '\(t.name)' has external data but no location or model folder")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw InferenceError("tensor '\(t.name)': external data location '\(location)' leaves the model folder")
        }
        let path = base.isEmpty ? location : base + "/" + location
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InferenceError("tensor '\(t.name)': cannot open external data \(path)") }
        defer { try? handle.close() }
        let offset = UInt64(entries["offset"].flatMap { UInt64($0) } ?? 0)
        do {
            try handle.seek(toOffset: offset)
            let data: Data
            if let length = entries["length"].flatMap({ Int($0) }) {
                data = try handle.read(upToCount: length) ?? Data()
                guard data.count == length else { throw InferenceError("tensor '\(t.name)': external data \(path) is shorter than its length \(length)") }
            } else {
                data = try handle.readToEnd() ?? Data()
            }
            return data
        } catch let error as InferenceError {
            throw error
        } catch {
            throw InferenceError("tensor '\(t.name)': reading external data \(path): \(error)")
        }
    }
}
