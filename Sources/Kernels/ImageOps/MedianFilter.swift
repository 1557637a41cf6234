/// The 3×3×3 median filter (edges replicated), the classical speckle-robust smoother used before
/// thresholding CT. On a single-slice grid it is the 3×3 median.
public enum MedianFilter {
    /// The median of each voxel's 3×3×3 neighbourhood (3×3 when `grid.nz == 1`).
    /// - Complexity: about 120 compare-exchanges per 8 voxels (forgetful selection on SIMD8 lanes, eight
    ///   neighbouring voxels of a row at once), parallel over slices; the result does not depend on `threads`.
    public static func median3(_ values: [Float], grid: VolumeGrid, threads: Int = 0) -> [Float] {
        precondition(values.count == grid.count, "\(values.count) values for a grid of \(grid.count)")
        let (nx, ny, nz) = (grid.nx, grid.ny, grid.nz), plane = nx * ny
        let depth = nz > 1 ? 1 : 0, rows = (2 * depth + 1) * 3
        // Each padded row holds x = -1 ... nx (edges replicated) and enough slack for the last 8-lane block.
        let blocks = (nx + 7) / 8, stride = blocks * 8 + 2
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { target in
            let input = SendablePointer(source.baseAddress!), output = SendableMutablePointer(target.baseAddress!)
            WorkerPool(threads: threads).forEach(items: nz) { _, k in
                let padded = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
                let window = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: rows * 3)
                defer { padded.deallocate(); window.deallocate() }
                for y in 0..<ny {
                    var r = 0
                    for dz in -depth...depth {
                        let z = min(max(k + dz, 0), nz - 1)
                        for dy in -1...1 {
                            let row = input.pointer + z * plane + min(max(y + dy, 0), ny - 1) * nx
                            let line = padded + r * stride
                            line.update(repeating: row[nx - 1], count: stride)
                            line[0] = row[0]
                            (line + 1).update(from: row, count: nx)
                            r += 1
                        }
                    }
                    // Each worker writes only slice k, so writes are disjoint.
                    let destination = output.pointer + k * plane + y * nx
                    for block in 0..<blocks {
                        for r in 0..<rows {
                            let line = UnsafeRawPointer(padded + r * stride + block * 8)
                            for dx in 0..<3 {
                                window[r * 3 + dx] = line.loadUnaligned(fromByteOffset: dx * 4, as: SIMD8<Float>.self)
                            }
                        }
                        let median = forgetfulMedian(window, count: rows * 3)
                        for lane in 0..<min(8, nx - block * 8) { destination[block * 8 + lane] = median[lane] }
                    }
                }
            }
        } }
        return out
    }

    /// Swaps lanes so that `a` holds the smaller and `b` the larger value of each pair.
    @inline(__always)
    private static func order(_ a: inout SIMD8<Float>, _ b: inout SIMD8<Float>) {
        let swap = b .< a
        let low = a.replacing(with: b, where: swap)
        b = b.replacing(with: a, where: swap)
        a = low
    }

    /// The lane-wise median of the odd number `count` of vectors at `values` (reordered) by forgetful selection:
    /// from a working set of count/2 + 2 values, the minimum and maximum cannot be the median and are dropped,
    /// one unseen value joins, and so on until one value is left.
    @inline(__always)
    private static func forgetfulMedian(_ values: UnsafeMutablePointer<SIMD8<Float>>, count: Int) -> SIMD8<Float> {
        var (first, last, next) = (0, count / 2 + 1, count / 2 + 2)
        while true {
            order(&values[first], &values[last])
            var i = first + 1
            while i < last {
                order(&values[first], &values[i])
                order(&values[i], &values[last])
                i += 1
            }
            first += 1
            if next < count {
                values[last] = values[next]
                next += 1
            } else {
                last -= 1
                if first >= last { return values[first] }
            }
        }
    }
}
