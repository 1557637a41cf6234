/// Why a geometry, volume grid or reconstruction set-up was refused. Every case carries a message
/// a user can act on.
public enum GeometryError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A size, count, distance or pitch is out of range ("detector needs at least 2 columns, got 1").
    case invalidParameter(String)
    /// The combination cannot be reconstructed as asked ("volume reaches behind the source in view 3").
    case unsupported(String)

    /// The human-readable message.
    public var description: String {
        switch self {
        case .invalidParameter(let m), .unsupported(let m): return m
        }
    }
}

/// Throws `GeometryError.invalidParameter(message)` unless `condition` holds.
@inline(__always) func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw GeometryError.invalidParameter(message()) }
}

/// True when every component is a finite number.
@inline(__always) func isFinite3(_ v: SIMD3<Double>) -> Bool { v.x.isFinite && v.y.isFinite && v.z.isFinite }
