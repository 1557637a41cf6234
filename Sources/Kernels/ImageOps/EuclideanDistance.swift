/// Exact Euclidean distance transforms on anisotropic voxel grids (Felzenszwalb & Huttenlocher's
/// lower envelope of parabolas, one separable pass per axis, O(n) per line). Morphology with balls,
/// shells around lesions and rim bands all read these maps, so their radii are true millimetres.
public enum EuclideanDistance {
    /// Squared distance in mm² from every voxel centre to the nearest voxel centre where `mask == target`;
    /// voxels outside the grid never count, so a mask that touches the border is not eroded from outside.
    /// Where no voxel has `target`, every distance is `.infinity`.
    /// - Complexity: O(n) for n voxels, parallel over lines; the result does not depend on `threads`.
    public static func squaredDistance(to target: Bool, in mask: [Bool], grid: VolumeGrid, threads: Int = 0) -> [Float] {
        precondition(mask.count == grid.count, "mask of \(mask.count) voxels for a grid of \(grid.count)")
        let far = Double.greatestFiniteMagnitude / 4
        var field = [Double](repeating: far, count: grid.count)
        for (n, value) in mask.enumerated() where value == target { field[n] = 0 }
        let pool = WorkerPool(threads: threads)
        let dims = [grid.nx, grid.ny, grid.nz], spacing = [grid.spacing.x, grid.spacing.y, grid.spacing.z]
        let strides = [1, grid.nx, grid.nx * grid.ny]
        let longest = dims.max() ?? 1
        let perWorker = 3 * longest + 1
        let scratch = ScratchBuffer<Double>(count: perWorker * pool.threads)
        field.withUnsafeMutableBufferPointer { buffer in
            let shared = SendableMutablePointer(buffer.baseAddress!)
            for axis in 0..<3 where dims[axis] > 1 {
                let length = dims[axis], stride = strides[axis], step = spacing[axis]
                // Lines along `axis`: every voxel whose coordinate on `axis` is 0 starts one.
                let others = grid.count / length
                pool.forEach(items: others) { worker, line in
                    let start = lineStart(line, axis: axis, dims: dims, strides: strides)
                    // Each line touches only its own voxels, so workers write disjoint elements.
                    envelope(shared.pointer + start, stride: stride, length: length, step: step,
                             scratch: scratch.pointer + worker * perWorker, far: far)
                }
            }
        }
        return field.map { $0 >= far / 2 ? .infinity : Float($0) }
    }

    /// Offset of the first voxel of line `line` along `axis`.
    static func lineStart(_ line: Int, axis: Int, dims: [Int], strides: [Int]) -> Int {
        switch axis {
        case 0: return line * dims[0]
        case 1: return (line / dims[0]) * strides[2] + line % dims[0]
        default: return line
        }
    }

    /// One 1D pass: `f[q] ← min_p f[p] + step²(q − p)²` in place, with `scratch` of 3·length + 1 doubles.
    static func envelope(_ f: UnsafeMutablePointer<Double>, stride: Int, length n: Int, step: Double,
                         scratch: UnsafeMutablePointer<Double>, far: Double) {
        let values = scratch, vertices = scratch + n, bounds = scratch + 2 * n  // bounds holds n + 1
        var k = 0
        var anyFinite = false
        for q in 0..<n { values[q] = f[q * stride]; anyFinite = anyFinite || values[q] < far }
        guard anyFinite else { return }
        // Lower envelope over the finite parabolas only (x in mm), so `far` never enters the arithmetic.
        var first = 0
        while values[first] >= far { first += 1 }
        vertices[0] = Double(first)
        bounds[0] = -.infinity
        bounds[1] = .infinity
        for q in (first + 1)..<max(first + 1, n) where values[q] < far {
            let xq = Double(q) * step
            var s: Double
            repeat {
                let v = Int(vertices[k]), xv = Double(v) * step
                s = ((values[q] + xq * xq) - (values[v] + xv * xv)) / (2 * (xq - xv))
                if s <= bounds[k] { k -= 1 } else { break }
            } while k >= 0
            k += 1
            vertices[k] = Double(q)
            bounds[k] = s
            bounds[k + 1] = .infinity
        }
        var j = 0
        for q in 0..<n {
            let x = Double(q) * step
            while bounds[j + 1] < x { j += 1 }
            let v = Int(vertices[j]), d = x - Double(v) * step
            f[q * stride] = d * d + values[v]
        }
    }
}
