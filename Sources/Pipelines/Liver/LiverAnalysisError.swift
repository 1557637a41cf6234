/// Why a liver analysis step could not produce a result; the message says what was missing.
public struct LiverAnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message.
    public let description: String
    /// True when the caller's progress callback asked to stop.
    public let isCancellation: Bool
    init(_ message: String, cancelled: Bool = false) { (description, isCancellation) = (message, cancelled) }
}
