/// Why a liver analysis step could not produce a result; the message says what was missing.
public struct LiverAnalysisError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message.
    public let description: String
    init(_ message: String) { description = message }
}
