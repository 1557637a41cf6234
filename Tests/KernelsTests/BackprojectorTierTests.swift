import Testing
@testable import HepatixKernels

/// The AVX2 backprojection kernels reproduce the scalar reference on odd sizes, tile and vector
/// edges, and every interpolation path (one table, two tables, gather).
struct BackprojectorTierTests {
    /// Fills the store with a deterministic pseudo-random pattern (values in [-1, 1]).
    static func fill(_ store: ProjectionStore) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for view in 0..<store.views {
            for row in 0..<store.rows {
                for col in 0..<store.columns {
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    store.storage[store.offset(view: view, row: row, column: col)] = Float(Int64(bitPattern: state >> 11) % 2001) / 1000 - 1
                }
            }
        }
    }

    /// Backprojects with `tier` and returns the volume.
    static func run(_ g: ProjectionGeometry, _ grid: VolumeGrid, _ tier: KernelTier, threads: Int = 2) throws -> [Float] {
        let bp = try WeightedBackprojector(geometry: g, grid: grid, tier: tier, maxThreads: threads)
        fill(bp.store)
        var out = [Float](repeating: .nan, count: grid.count)
        _ = out.withUnsafeMutableBufferPointer { bp.execute(into: $0.baseAddress!, pool: WorkerPool(threads: threads)) }
        return out
    }

    /// Largest difference relative to the largest magnitude. The SIMD kernel computes detector
    /// positions in float: |u| < 2^10 gives a position error below 2^10 · 2^-24 ≈ 6e-5 samples, times a
    /// sample step of at most 2, per view; over ≤ 40 views of unit-size random data that bounds the
    /// relative error well under 1e-3, and in practice it is ~1e-5.
    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        var maxDiff = 0.0, maxAbs = 0.0
        for i in a.indices {
            maxDiff = max(maxDiff, Double(abs(a[i] - b[i])))
            maxAbs = max(maxAbs, Double(abs(b[i])))
        }
        return maxDiff / maxAbs
    }

    static let avx2Available = KernelTier.detected >= .avx2

    @Test(.enabled(if: avx2Available), arguments: [1.0, 1.6, 3.3])
    func parallel2DMatchesScalar(pixel: Double) throws {
        // pixel 1 → one-table path, 1.6 → two tables, 3.3 → gathers.
        let g = try ProjectionGeometry.parallel2D(views: 37, bins: 153, binPitch: 1, range: .pi, start: 0.1)
        let grid = try VolumeGrid(nx: 41, ny: 39, spacing: SIMD3(pixel, pixel, 1))
        let s = try Self.run(g, grid, .scalar), v = try Self.run(g, grid, .avx2)
        #expect(!s.contains { $0.isNaN })
        #expect(Self.relativeError(v, s) < 1e-3)
    }

    @Test(.enabled(if: avx2Available), arguments: [false, true])
    func fan2DMatchesScalar(shortScan: Bool) throws {
        let g = try ProjectionGeometry.fan2D(views: 29, columns: 97, columnPitch: 1.4, sourceToIsocentre: 300,
                                             sourceToDetector: 550, range: shortScan ? 4 : 2 * .pi)
        let grid = try VolumeGrid(nx: 45, ny: 43, spacing: SIMD3(1.1, 1.1, 1), centre: SIMD3(3, -2, 0))
        #expect(Self.relativeError(try Self.run(g, grid, .avx2), try Self.run(g, grid, .scalar)) < 1e-3)
    }

    @Test(.enabled(if: avx2Available), arguments: [0.5, 1.2, 2.5])
    func cone3DMatchesScalar(voxel: Double) throws {
        let g = try ProjectionGeometry.coneBeamCircular(views: 23, columns: 61, rows: 57, columnPitch: 0.8, rowPitch: 0.8,
                                                        sourceToIsocentre: 400, sourceToDetector: 600)
        let grid = try VolumeGrid(nx: 19, ny: 21, nz: 29, spacing: SIMD3(voxel, voxel, voxel), centre: SIMD3(1, 0, -2))
        let s = try Self.run(g, grid, .scalar), v = try Self.run(g, grid, .avx2)
        #expect(!s.contains { $0.isNaN })
        #expect(Self.relativeError(v, s) < 1e-3)
    }

    /// Same bits for 1 and 2 threads (every voxel is summed by one worker in view order).
    @Test func resultDoesNotDependOnThreadCount() throws {
        let g = try ProjectionGeometry.coneBeamCircular(views: 16, columns: 40, rows: 40, columnPitch: 1, rowPitch: 1,
                                                        sourceToIsocentre: 400, sourceToDetector: 600)
        let grid = try VolumeGrid.cube(size: 33, voxel: 0.7)
        #expect(try Self.run(g, grid, .detected, threads: 1) == Self.run(g, grid, .detected, threads: 2))
    }

    @Test func clipsProjectiveRanges() {
        // u(t) = (2 + 3t) / (1 + 0.1t) in [5, 10]: t in [1.1053, 4.2857] -> integers 2...4
        var first: Int64 = -10, last: Int64 = 100
        hxk_clip_projective(2, 3, 1, 0.1, 5, 10, &first, &last)
        #expect(first == 2 && last == 5)
        first = 0; last = 10
        hxk_clip_projective(0, 0, 1, 0, 5, 10, &first, &last)   // constant 0, never inside
        #expect(first == last)
    }
}
import CKernels
