/// The 3×3×3 median filter (edges replicated), the classical speckle-robust smoother used before
/// thresholding CT. On a single-slice grid it is the 3×3 median.
public enum MedianFilter {
    /// The median of each voxel's 3×3×3 neighbourhood (3×3 when `grid.nz == 1`).
    /// - Complexity: O(27 n) comparisons per voxel on average (quickselect), parallel over slices;
    ///   the result does not depend on `threads`.
    public static func median3(_ values: [Float], grid: VolumeGrid, threads: Int = 0) -> [Float] {
        precondition(values.count == grid.count, "\(values.count) values for a grid of \(grid.count)")
        let (nx, ny, nz) = (grid.nx, grid.ny, grid.nz), plane = nx * ny
        var out = [Float](repeating: 0, count: values.count)
        let depth = nz > 1 ? 1 : 0
        values.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { target in
            let input = SendablePointer(source.baseAddress!), output = SendableMutablePointer(target.baseAddress!)
            WorkerPool(threads: threads).forEach(items: nz) { _, k in
                var window = [Float](repeating: 0, count: 27)
                for y in 0..<ny { for x in 0..<nx {
                    var count = 0
                    for dz in -depth...depth {
                        let z = min(max(k + dz, 0), nz - 1)
                        for dy in -1...1 {
                            let yy = min(max(y + dy, 0), ny - 1)
                            for dx in -1...1 {
                                let xx = min(max(x + dx, 0), nx - 1)
                                window[count] = input.pointer[z * plane + yy * nx + xx]
                                count += 1
                            }
                        }
                    }
                    // Each worker writes only slice k, so writes are disjoint.
                    output.pointer[k * plane + y * nx + x] = select(&window, count: count, rank: count / 2)
                } }
            }
        } }
        return out
    }

    /// The element of rank `rank` (0-based) among the first `count` of `buffer` (Hoare quickselect; reorders).
    static func select(_ buffer: inout [Float], count: Int, rank: Int) -> Float {
        var (low, high) = (0, count - 1)
        while low < high {
            let pivot = buffer[(low + high) / 2]
            var (i, j) = (low, high)
            while i <= j {
                while buffer[i] < pivot { i += 1 }
                while buffer[j] > pivot { j -= 1 }
                if i <= j { buffer.swapAt(i, j); i += 1; j -= 1 }
            }
            if rank <= j { high = j } else if rank >= i { low = i } else { return buffer[rank] }
        }
        return buffer[rank]
    }
}
