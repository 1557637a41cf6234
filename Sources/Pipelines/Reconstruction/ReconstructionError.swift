import HepatixKernels

/// Why a reconstruction did not produce an image.
public enum ReconstructionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Geometry or grid refused (message from `GeometryError`).
    case geometry(String)
    /// A buffer has the wrong number of elements.
    case sizeMismatch(String)
    /// The input holds NaN or infinity.
    case nonFiniteInput(String)
    /// The progress callback asked to stop.
    case cancelled

    /// Human-readable message.
    public var description: String {
        switch self {
        case .geometry(let m), .sizeMismatch(let m), .nonFiniteInput(let m): return m
        case .cancelled: return "cancelled by the progress callback"
        }
    }

    /// Wraps any error thrown by the kernels layer.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as GeometryError { throw ReconstructionError.geometry(e.description) }
    }
}

/// Progress callback: receives the fraction done in [0, 1]; returning `false` cancels.
public typealias ProgressHandler = (Double) -> Bool
