import Testing
@testable import HepatixKernels

/// The image operations against brute force on small random volumes with odd sizes and anisotropic
/// voxels: exact distances, component counts and medians must match exactly (they are exact algorithms).
struct ImageOpsTests {
    /// A reproducible random mask with about `fraction` of voxels set.
    static func randomMask(_ count: Int, fraction: Double, seed: UInt64) -> [Bool] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) < fraction
        }
    }

    /// Squared distances equal the minimum over all target voxels of the anisotropic squared distance
    /// (float rounding of values up to ~1e3 mm²: 1e-3 relative is far above float error and far below 1 voxel²).
    @Test(arguments: [0.02, 0.3, 0.9])
    func distanceMatchesBruteForce(fraction: Double) throws {
        let grid = try VolumeGrid(nx: 13, ny: 7, nz: 5, spacing: SIMD3(0.7, 1.3, 2.5))
        let mask = Self.randomMask(grid.count, fraction: fraction, seed: 42)
        let fast = EuclideanDistance.squaredDistance(to: true, in: mask, grid: grid, threads: 2)
        func xyz(_ n: Int) -> SIMD3<Double> { SIMD3(Double(n % 13), Double((n / 13) % 7), Double(n / 91)) * grid.spacing }
        let targets = mask.indices.filter { mask[$0] }
        for n in 0..<grid.count {
            let best = targets.map { let d = xyz($0) - xyz(n); return (d * d).sum() }.min() ?? .infinity
            #expect(best.isInfinite ? fast[n].isInfinite : abs(Double(fast[n]) - best) <= 1e-3 * max(1, best), "voxel \(n)")
        }
    }

    /// Erosion by a ball keeps exactly the voxels whose ball fits; a border-touching block is not eaten from outside.
    @Test func erosionKeepsBorderTouchingMasks() throws {
        let grid = try VolumeGrid(nx: 9, ny: 9, nz: 4, spacing: SIMD3(1, 1, 1))
        let full = [Bool](repeating: true, count: grid.count)
        #expect(BinaryMorphology.erode(full, radius: 2, grid: grid) == full)
        var holed = full
        holed[2 * 81 + 4 * 9 + 4] = false
        let eroded = BinaryMorphology.erode(holed, radius: 1.5, grid: grid)
        // Kept iff farther than 1.5 voxels from the hole: |d|² > 2.25, i.e. |d|² >= 3.
        for n in 0..<grid.count {
            let d = SIMD3(n % 9 - 4, (n / 9) % 9 - 4, n / 81 - 2)
            #expect(eroded[n] == ((d &* d).wrappedSum() >= 3))
        }
    }

    /// Component count and sizes equal a breadth-first search's.
    @Test func componentsMatchFloodFill() throws {
        let grid = try VolumeGrid(nx: 11, ny: 6, nz: 4, spacing: SIMD3(1, 1, 1))
        let mask = Self.randomMask(grid.count, fraction: 0.45, seed: 7)
        let components = ConnectedComponents(mask, grid: grid)
        var seen = [Bool](repeating: false, count: grid.count)
        var sizes: [Int] = []
        for start in 0..<grid.count where mask[start] && !seen[start] {
            var queue = [start], size = 0
            seen[start] = true
            while let n = queue.popLast() {
                size += 1
                let (x, y, z) = (n % 11, (n / 11) % 6, n / 66)
                for (ok, m) in [(x > 0, n - 1), (x < 10, n + 1), (y > 0, n - 11), (y < 5, n + 11), (z > 0, n - 66), (z < 3, n + 66)]
                where ok && mask[m] && !seen[m] { seen[m] = true; queue.append(m) }
            }
            sizes.append(size)
            #expect(components.labels[start] == Int32(sizes.count), "components are numbered by first voxel")
        }
        #expect(components.sizes == sizes)
    }

    /// The 3×3×3 median (and the 3×3 one of a single slice) equals sorting each clamped neighbourhood, on rows
    /// shorter than, equal to and longer than one 8-lane block, with repeated values.
    @Test(arguments: [(7, 5, 3), (8, 4, 2), (19, 6, 4), (21, 5, 1)])
    func medianMatchesSorting(nx: Int, ny: Int, nz: Int) throws {
        let grid = try VolumeGrid(nx: nx, ny: ny, nz: nz, spacing: SIMD3(1, 1, 1))
        let values = (0..<grid.count).map { (n: Int) -> Float in Float((n * 7919) % 101 - 50) + Float(n % 3) / 4 }
        let fast = MedianFilter.median3(values, grid: grid, threads: 2)
        let depth = nz > 1 ? 1 : 0
        for n in 0..<grid.count {
            let (x, y, z) = (n % nx, (n / nx) % ny, n / (nx * ny))
            var window: [Float] = []
            for dz in -depth...depth { for dy in -1...1 { for dx in -1...1 {
                let (zz, yy, xx) = (min(max(z + dz, 0), nz - 1), min(max(y + dy, 0), ny - 1), min(max(x + dx, 0), nx - 1))
                window.append(values[(zz * ny + yy) * nx + xx])
            } } }
            #expect(fast[n] == window.sorted()[window.count / 2], "voxel \(n)")
        }
    }

    /// Binomial smoothing equals the direct 27-tap [1 2 1]³/64 convolution with replicated edges (float
    /// rounding of three passes: 1e-5 relative).
    @Test func binomialMatchesDirectConvolution() throws {
        let grid = try VolumeGrid(nx: 6, ny: 5, nz: 4, spacing: SIMD3(1, 1, 1))
        let values = (0..<grid.count).map { Float(($0 * 7919) % 97) - 40 }
        let fast = BinomialSmoothing.smooth(values, grid: grid, threads: 2)
        for n in 0..<grid.count {
            let (x, y, z) = (n % 6, (n / 6) % 5, n / 30)
            var sum: Float = 0
            for dz in -1...1 { for dy in -1...1 { for dx in -1...1 {
                let w = Float((dx == 0 ? 2 : 1) * (dy == 0 ? 2 : 1) * (dz == 0 ? 2 : 1)) / 64
                sum += w * values[min(max(z + dz, 0), 3) * 30 + min(max(y + dy, 0), 4) * 6 + min(max(x + dx, 0), 5)]
            } } }
            #expect(abs(fast[n] - sum) <= 1e-5 * max(1, abs(sum)))
        }
    }

    /// Selection medians equal the sorted-array medians, for odd and even counts with ties and negative values.
    @Test func selectionMedianMatchesSorting() {
        for count in [1, 2, 3, 10, 101, 1000] {
            let values = (0..<count).map { (n: Int) -> Double in Double((n * 7919 + 13) % 97) - 40.5 }
            let sorted = values.sorted()
            let expected = count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2
            #expect(OrderStatistics.median(values) == expected, "\(count) values")
        }
        #expect(OrderStatistics.median([]) == 0)
    }
}
