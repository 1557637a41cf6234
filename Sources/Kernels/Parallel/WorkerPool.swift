import Dispatch
import Foundation
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

    /// Calls `body(worker, range)` on consecutive ranges that together cover `0..<count` once, with guided
    /// sizes: each claim takes 4/5 of the remaining work's share of one worker (at least `minimum`), so workers
    /// keep long runs of neighbouring items (cache reuse) and still finish together (small ranges at the end).
    public func forEachRange(count: Int, minimum: Int = 1, _ body: @Sendable (_ worker: Int, _ range: Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(threads, count)
        if workers == 1 {
            body(0, 0..<count)
            return
        }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var start = next.load(ordering: .relaxed)
            while start < count {
                let size = max(minimum, (count - start) / (2 * workers))
                let (exchanged, current) = next.compareExchange(expected: start, desired: min(count, start + size), ordering: .relaxed)
                if exchanged {
                    body(worker, start..<min(count, start + size))
                    start = next.load(ordering: .relaxed)
                } else {
                    start = current
                }
            }
        }
    }

    /// Like `forEach(items:_:)`, with progress and cancellation but no barriers: whenever the calling
    /// thread finishes an item it calls `progress(itemsDone)` (on the calling thread, as C hosts
    /// expect); returning false stops every worker before its next item.
    /// - Returns: false if `progress` cancelled the work (some items were then not run).
    public func forEach(items: Int, progress: (_ done: Int) -> Bool,
                        _ body: @Sendable (_ worker: Int, _ item: Int) -> Void) -> Bool {
        guard items > 0 else { return true }
        let next = Atomic<Int>(0), done = Atomic<Int>(0), cancelled = Atomic<Bool>(false), reported = Atomic<Int>(0)
        let caller = pthread_self()
        let workers = min(threads, items)
        withoutActuallyEscaping(progress) { progress in
            let report = UncheckedSendableClosure(progress)
            // One iteration per worker; with one worker Dispatch runs it inline on this thread.
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let onCaller = pthread_equal(pthread_self(), caller) != 0
                while !cancelled.load(ordering: .relaxed) {
                    let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    if item >= items { break }
                    body(worker, item)
                    let finished = done.wrappingAdd(1, ordering: .relaxed).newValue
                    if onCaller {
                        reported.store(finished, ordering: .relaxed)
                        if !report.body(finished) { cancelled.store(true, ordering: .relaxed) }
                    }
                }
            }
        }
        if cancelled.load(ordering: .relaxed) { return false }
        return reported.load(ordering: .relaxed) == items || progress(items)
    }
}

/// Carries a non-Sendable closure into worker closures; only the calling thread invokes it.
private struct UncheckedSendableClosure: @unchecked Sendable {
    let body: (Int) -> Bool
    init(_ body: @escaping (Int) -> Bool) { self.body = body }
}
