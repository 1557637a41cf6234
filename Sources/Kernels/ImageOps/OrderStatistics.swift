/// Medians by selection rather than sorting: O(n) on average, the same value a full sort would give.
public enum OrderStatistics {
    /// The median of `values` (the mean of the two middle values for an even count; 0 when empty).
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        var copy = values
        let upper = copy.count / 2
        return copy.withUnsafeMutableBufferPointer { buffer in
            let middle = select(buffer, rank: upper)
            guard buffer.count % 2 == 0 else { return middle }
            // After selection everything before `upper` is no larger than the middle value.
            var lower = buffer[0]
            for i in 1..<upper where buffer[i] > lower { lower = buffer[i] }
            return (lower + middle) / 2
        }
    }

    /// The value of rank `rank` (0-based) in `buffer`, which is reordered so that no earlier element is larger
    /// and no later one smaller (Wirth's selection with Hoare partitions around the middle element).
    public static func select(_ buffer: UnsafeMutableBufferPointer<Double>, rank: Int) -> Double {
        precondition(rank >= 0 && rank < buffer.count, "rank \(rank) of \(buffer.count) values")
        var (low, high) = (0, buffer.count - 1)
        while low < high {
            let pivot = buffer[(low + high) / 2]
            var (i, j) = (low, high)
            repeat {
                while buffer[i] < pivot { i += 1 }
                while pivot < buffer[j] { j -= 1 }
                if i <= j { buffer.swapAt(i, j); i += 1; j -= 1 }
            } while i <= j
            if j < rank { low = i }
            if rank < i { high = j }
        }
        return buffer[rank]
    }
}
