/// A mutable pointer handed to `WorkerPool` closures. Safe only when workers write disjoint elements,
/// which every caller must state next to its use.
public struct SendableMutablePointer<T>: @unchecked Sendable {
    /// The wrapped pointer.
    public let pointer: UnsafeMutablePointer<T>
    /// Wraps `pointer`.
    public init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// A read-only pointer handed to `WorkerPool` closures (the memory must not change while they run).
public struct SendablePointer<T>: @unchecked Sendable {
    /// The wrapped pointer.
    public let pointer: UnsafePointer<T>
    /// Wraps `pointer`.
    public init(_ pointer: UnsafePointer<T>) { self.pointer = pointer }
}
