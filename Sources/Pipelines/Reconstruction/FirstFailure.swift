import Synchronization

/// Records the smallest index at which any worker reported a problem.
final class FirstFailure: Sendable {
    private let value = Mutex<Int?>(nil)
    /// Notes a problem at `index`.
    func set(_ index: Int) { value.withLock { $0 = min($0 ?? index, index) } }
    /// Forgets every problem noted.
    func reset() { value.withLock { $0 = nil } }
    /// The smallest index noted, if any.
    var first: Int? { value.withLock { $0 } }
}
