import HepatixKernels

/// Why a reconstruction did not produce an image.
public enum ReconstructionError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Geometry, grid or option values refused (from `GeometryError.invalidParameter`).
    case geometry(String)
    /// A valid set-up this version cannot reconstruct: a volume behind the source, a detector that does
    /// not cover the field of view, a tilted detector (from `GeometryError.unsupported`).
    case unsupported(String)
    /// A buffer has the wrong number of elements.
    case sizeMismatch(String)
    /// The input holds NaN or infinity.
    case nonFiniteInput(String)
    /// The progress callback asked to stop.
    case cancelled

    /// Human-readable message.
    public var description: String {
        switch self {
        case .geometry(let m), .unsupported(let m), .sizeMismatch(let m), .nonFiniteInput(let m): return m
        case .cancelled: return "cancelled by the progress callback"
        }
    }

    /// Wraps any error thrown by the kernels layer.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch GeometryError.unsupported(let m) {
            throw ReconstructionError.unsupported(m)
        } catch let e as GeometryError {
            throw ReconstructionError.geometry(e.description)
        }
    }
}

/// Progress callback: receives the fraction done in [0, 1]; returning `false` cancels.
public typealias ProgressHandler = (Double) -> Bool
