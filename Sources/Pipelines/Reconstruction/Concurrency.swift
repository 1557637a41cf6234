import Synchronization

/// A read-only pointer that may be shared with worker closures.
struct UncheckedConstPointer<T>: @unchecked Sendable {
    let pointer: UnsafePointer<T>
    init(_ p: UnsafePointer<T>) { pointer = p }
}

/// Records the smallest index at which any worker reported a problem.
final class UncheckedFlag: Sendable {
    private let value = Mutex<Int?>(nil)
    /// Notes a problem at `index`.
    func set(_ index: Int) { value.withLock { $0 = min($0 ?? index, index) } }
    /// The smallest index noted, if any.
    var first: Int? { value.withLock { $0 } }
}
