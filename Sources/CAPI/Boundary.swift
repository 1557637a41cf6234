import CHepatix
import Foundation
import Hepatix

/// An error raised at the C boundary with its status and message.
struct BoundaryError: Error {
    let status: hx_status
    let message: String
    init(_ status: hx_status, _ message: String) { self.status = status; self.message = message }
}

/// Maps any error from the Swift layers to a status and message.
func classify(_ error: Error) -> (hx_status, String) {
    switch error {
    case let e as BoundaryError: return (e.status, e.message)
    case let e as GeometryError:
        if case .unsupported = e { return (HX_ERR_UNSUPPORTED, e.description) }
        return (HX_ERR_INVALID_ARGUMENT, e.description)
    case let e as ReconstructionError:
        switch e {
        case .geometry(let m): return (HX_ERR_INVALID_ARGUMENT, m)
        case .unsupported(let m): return (HX_ERR_UNSUPPORTED, m)
        case .sizeMismatch(let m): return (HX_ERR_SIZE_MISMATCH, m)
        case .nonFiniteInput(let m): return (HX_ERR_NON_FINITE_DATA, m)
        case .cancelled: return (HX_ERR_CANCELLED, e.description)
        }
    case let e as RadiomicsError: return (HX_ERR_INVALID_ARGUMENT, e.description)
    case let e as DicomError: return (HX_ERR_IO, e.description)
    case let e as LiverAnalysisError: return (e.isCancellation ? HX_ERR_CANCELLED : HX_ERR_INVALID_ARGUMENT, e.description)
    default: return (HX_ERR_INTERNAL, "unexpected error: \(error)")
    }
}

/// Runs `body` for a call made with `ctx`: a NULL context is refused, errors become statuses with
/// their message stored in the context, and HX_OK clears nothing (messages describe failures only).
func withContext(_ ctx: OpaquePointer?, _ body: (ContextBox) throws -> Void) -> hx_status {
    guard let ctx else { return HX_ERR_NULL_ARGUMENT }
    let box = object(ctx, as: ContextBox.self)
    do {
        try body(box)
        return HX_OK
    } catch {
        let (status, message) = classify(error)
        box.setError(message)
        return status
    }
}

/// Unwraps a required pointer argument or fails with HX_ERR_NULL_ARGUMENT naming it.
func required<T>(_ value: T?, _ name: String) throws -> T {
    guard let value else { throw BoundaryError(HX_ERR_NULL_ARGUMENT, "\(name) is NULL") }
    return value
}

/// Converts a C count to Int, refusing negative or absurd values.
func count(_ value: Int64, _ name: String, min lower: Int64 = 1, max upper: Int64 = 1 << 31) throws -> Int {
    guard value >= lower && value <= upper else {
        throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "\(name) must be in \(lower)...\(upper), got \(value)")
    }
    return Int(value)
}

/// Refuses NaN or infinite parameters.
func finite(_ value: Double, _ name: String) throws -> Double {
    guard value.isFinite else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "\(name) must be finite, got \(value)") }
    return value
}

/// A required path argument naming a file or folder that exists (HX_ERR_NULL_ARGUMENT / HX_ERR_IO otherwise).
func existingPath(_ path: UnsafePointer<CChar>?) throws -> String {
    let location = String(cString: try required(path, "path"))
    guard FileManager.default.fileExists(atPath: location) else { throw BoundaryError(HX_ERR_IO, "\(location) does not exist") }
    return location
}
