/// Why a model could not be loaded, planned or run: names the model part (operator, node, tensor) and the
/// problem so that a user can act on it.
public struct InferenceError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message.
    public let description: String
    init(_ message: String) { description = message }
}
