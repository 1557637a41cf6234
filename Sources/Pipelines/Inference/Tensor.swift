/// An n-dimensional array of one element type, row-major (the last axis fastest), as ONNX graphs pass
/// them. Floating-point data is `Float`; integer and boolean data (shape plumbing, indices) is kept as
/// `Int64` with its declared element type.
public struct Tensor: Sendable, Equatable {
    /// Element types Hepatix runs (ONNX TensorProto.DataType numbers). Integer types are stored as Int64
    /// (uint64 by bit pattern) and wrap to their width after arithmetic.
    public enum ElementType: Int, Sendable, CustomStringConvertible {
        case float32 = 1, uint8 = 2, int8 = 3, uint16 = 4, int16 = 5, int32 = 6, int64 = 7, bool = 9, uint32 = 12, uint64 = 13
        /// ONNX's name of the type.
        public var description: String {
            switch self {
            case .float32: "float"
            case .uint8: "uint8"
            case .int8: "int8"
            case .uint16: "uint16"
            case .int16: "int16"
            case .int32: "int32"
            case .int64: "int64"
            case .bool: "bool"
            case .uint32: "uint32"
            case .uint64: "uint64"
            }
        }
        /// True for the types stored as integers.
        public var isInteger: Bool { self != .float32 }
        /// Bytes per element in raw tensor data.
        var byteWidth: Int {
            switch self {
            case .uint8, .int8, .bool: 1
            case .uint16, .int16: 2
            case .float32, .int32, .uint32: 4
            case .int64, .uint64: 8
            }
        }
        /// `value` wrapped to this type's width and signedness (bool: 0 or 1).
        func wrap(_ value: Int64) -> Int64 {
            switch self {
            case .uint8: Int64(UInt8(truncatingIfNeeded: value))
            case .int8: Int64(Int8(truncatingIfNeeded: value))
            case .uint16: Int64(UInt16(truncatingIfNeeded: value))
            case .int16: Int64(Int16(truncatingIfNeeded: value))
            case .int32: Int64(Int32(truncatingIfNeeded: value))
            case .uint32: Int64(UInt32(truncatingIfNeeded: value))
            case .bool: value != 0 ? 1 : 0
            case .float32, .int64, .uint64: value
            }
        }
        /// Reads one little-endian element of this (integer) type at `offset`.
        func load(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> Int64 {
            switch self {
            case .uint8, .bool: wrap(Int64(bytes[offset]))
            case .int8: Int64(Int8(bitPattern: bytes[offset]))
            case .uint16: Int64(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            case .int16: Int64(Int16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
            case .int32: Int64(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            case .uint32: Int64(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            case .int64, .uint64, .float32: Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
            }
        }
    }

    public var shape: [Int]
    public let elementType: ElementType
    /// The values when `elementType` is float32 (empty otherwise).
    public var floats: [Float]
    /// The values when `elementType` is an integer or boolean type (empty otherwise).
    public var integers: [Int64]

    /// Number of elements (1 for a scalar).
    public var count: Int { shape.reduce(1, *) }

    /// A float tensor.
    /// - Throws: `InferenceError` when the shape does not hold `values.count` elements.
    public init(shape: [Int], floats values: [Float]) throws {
        try Tensor.check(shape, values.count)
        (self.shape, elementType, floats, integers) = (shape, .float32, values, [])
    }

    /// An integer or boolean tensor.
    public init(shape: [Int], integers values: [Int64], type: ElementType = .int64) throws {
        try Tensor.check(shape, values.count)
        guard type.isInteger else { throw InferenceError("integer values for a tensor of type \(type)") }
        (self.shape, elementType, floats, integers) = (shape, type, [], values)
    }

    /// A 1-D int64 tensor (shapes, axes, indices).
    public static func int64s(_ values: [Int]) -> Tensor {
        try! Tensor(shape: [values.count], integers: values.map(Int64.init))
    }

    /// The values as doubles, whatever the element type.
    public var doubles: [Double] { elementType == .float32 ? floats.map(Double.init) : integers.map(Double.init) }

    /// The values as Ints (integer tensors; floats are truncated).
    /// (Floats outside Int's range and NaN become Int.min, which every shape check refuses, instead of trapping.)
    public var ints: [Int] { elementType == .float32 ? floats.map { Int(exactly: $0.rounded(.towardZero)) ?? .min } : integers.map { Int($0) } }

    /// The same values with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var copy = self
        try Tensor.check(newShape, count)
        copy.shape = newShape
        return copy
    }

    /// Refuses negative dimensions and a shape whose product is not `count`.
    /// The number of elements of `shape`, refusing negative dimensions and products that overflow.
    static func elementCount(_ shape: [Int]) throws -> Int {
        var product = 1
        for d in shape {
            guard d >= 0 else { throw InferenceError("negative dimension in shape \(shape)") }
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow else { throw InferenceError("shape \(shape) overflows") }
            product = p
        }
        return product
    }

    static func check(_ shape: [Int], _ count: Int) throws {
        let product = try elementCount(shape)
        guard product == count else { throw InferenceError("shape \(shape) holds \(product) elements, got \(count)") }
    }
}

/// Row-major strides of `shape`.
func strides(of shape: [Int]) -> [Int] {
    var result = [Int](repeating: 1, count: shape.count)
    var step = 1
    for axis in shape.indices.reversed() {
        result[axis] = step
        step *= shape[axis]
    }
    return result
}
