import Dispatch
import Synchronization

/// The one way Hepatix runs work in parallel: `threads` workers share a list of independent items.
/// Each item is computed by exactly one worker with a fixed order of operations inside it, so results
/// are bit-identical for every thread count. Workers come from Dispatch's pool (sized to the cores),
/// so nested use does not oversubscribe.
public struct WorkerPool: Sendable {
    /// Number of workers (at least 1).
    public let threads: Int

    /// A pool of `threads` workers; 0 or less means one per core.
    public init(threads: Int) {
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        self.threads = threads <= 0 ? cores : min(threads, 1024)
    }

    /// Calls `body(worker, item)` once for every item in `0..<items`, spread over the workers.
    /// `worker` is in `0..<threads`, so a body may own per-worker scratch memory.
    public func forEach(items: Int, _ body: @Sendable (_ worker: Int, _ item: Int) -> Void) {
        guard items > 0 else { return }
        let workers = min(threads, items)
        if workers == 1 {
            for item in 0..<items { body(0, item) }
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if item >= items { break }
                body(worker, item)
            }
        }
    }
}

import Foundation
