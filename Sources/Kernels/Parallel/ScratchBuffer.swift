/// Memory a plan owns for its whole life (64-byte aligned, zero-filled at creation), so that its
/// `execute` allocates nothing. Hand `pointer` to workers only for disjoint writes.
public final class ScratchBuffer<Element: BitwiseCopyable>: @unchecked Sendable {
    /// The first element and the element count.
    public let pointer: UnsafeMutablePointer<Element>
    public let count: Int

    /// `count` zeroed elements.
    public init(count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Element>.stride, alignment: 64)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: max(1, count) * MemoryLayout<Element>.stride)
        pointer = raw.bindMemory(to: Element.self, capacity: max(1, count))
    }

    /// Sets every element's bytes to zero.
    public func zero() { UnsafeMutableRawPointer(pointer).initializeMemory(as: UInt8.self, repeating: 0, count: count * MemoryLayout<Element>.stride) }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }
}
