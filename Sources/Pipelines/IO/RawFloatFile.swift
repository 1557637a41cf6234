import Foundation

/// Reading and writing raw little-endian float32 arrays (the benchmark workload format).
public enum RawFloatFile {
    /// Errors reading or writing raw files.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// The file is missing or unreadable.
        case unreadable(String)
        /// The file has the wrong size.
        case wrongSize(String)
        /// The file could not be written.
        case unwritable(String)

        /// Human-readable message.
        public var description: String {
            switch self { case .unreadable(let m), .wrongSize(let m), .unwritable(let m): return m }
        }
    }

    /// Reads exactly `count` floats from `path`.
    /// - Throws: `Failure.unreadable` or `.wrongSize` ("sino.f32 holds 1000 bytes, expected 2099520").
    public static func read(_ path: String, count: Int) throws -> [Float] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure.unreadable("cannot read \(path)")
        }
        guard data.count == count * 4 else {
            throw Failure.wrongSize("\(path) holds \(data.count) bytes, expected \(count * 4) (\(count) float32)")
        }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in data.withUnsafeBytes { dst.copyMemory(from: $0) } }
        #if _endian(big)
        for i in out.indices { out[i] = Float(bitPattern: UInt32(littleEndian: out[i].bitPattern)) }
        #endif
        return out
    }

    /// Reads `count` bytes (e.g. a uint8 mask) from `path`.
    public static func readBytes(_ path: String, count: Int) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable("cannot read \(path)") }
        guard data.count == count else { throw Failure.wrongSize("\(path) holds \(data.count) bytes, expected \(count)") }
        return [UInt8](data)
    }

    /// Writes `values` to `path` as little-endian float32.
    public static func write(_ values: [Float], to path: String) throws {
        let data = values.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data) else {
            throw Failure.unwritable("cannot write \(path)")
        }
    }
}
