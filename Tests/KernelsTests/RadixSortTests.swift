import Testing
@testable import HepatixKernels

/// `RadixSort.sorted` against the standard library's comparison sort.
struct RadixSortTests {
    /// Integers, fractions, negatives, zeros of both signs, infinities and repeated values, above and
    /// below the size where the radix path starts; the results must equal `sorted()` bit for bit
    /// (with -0 ordered before +0, which `sorted()` leaves in input order: compare by value there).
    @Test(arguments: [10, 257, 5000, 100_000])
    func matchesComparisonSort(count: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 11 }
        let values: [Double] = (0..<count).map { i in
            switch i % 7 {
            case 0: return Double(Int(next() % 2000) - 1000)             // CT-like integers
            case 1: return Double(next() % 1_000_000) / 997 - 500      // fractions
            case 2: return i % 2 == 0 ? 0.0 : -0.0
            case 3: return i % 3 == 0 ? .infinity : -.infinity
            case 4: return Double(bitPattern: next() | 1)              // arbitrary finite bit patterns
            default: return Double(next() % 5)                          // many repeats
            }
        }.map { $0.isNaN ? 1 : $0 }
        let radix = RadixSort.sorted(values), reference = values.sorted()
        #expect(radix.count == reference.count)
        #expect(zip(radix, reference).allSatisfy { $0 == $1 })
        #expect(zip(radix, radix.dropFirst()).allSatisfy { RadixSort.key($0) <= RadixSort.key($1) })
    }
}
