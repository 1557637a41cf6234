import Testing
@testable import HepatixKernels

/// The Joseph pair is an exact adjoint pair: ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ on random inputs, for every geometry.
struct JosephProjectorTests {
    static func random(_ n: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001) / 1000
        }
    }

    static func dotTest(_ g: ProjectionGeometry, _ grid: VolumeGrid, threads: Int = 2) throws -> Double {
        let p = try JosephProjector(geometry: g, grid: grid)
        let x = random(grid.count, seed: 1), y = random(p.projectionCount, seed: 2)
        var ax = [Float](repeating: 0, count: p.projectionCount), aty = [Float](repeating: 0, count: grid.count)
        let pool = WorkerPool(threads: threads)
        x.withUnsafeBufferPointer { xs in ax.withUnsafeMutableBufferPointer { p.forward(xs, into: $0, pool: pool) } }
        y.withUnsafeBufferPointer { ys in aty.withUnsafeMutableBufferPointer { p.adjoint(ys, into: $0, pool: pool) } }
        let lhs = zip(ax, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(x, aty).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        return abs(lhs - rhs) / abs(lhs)
    }

    /// 1e-5 relative: the pair shares every weight exactly; what remains is float rounding of the stored
    /// Ax and Aᵀy (~6e-8 relative per element, averaging out over the sums).
    @Test func parallel2DIsAdjoint() throws {
        let g = try ProjectionGeometry.parallel2D(views: 37, bins: 71, binPitch: 1.1, start: 0.2)
        #expect(try Self.dotTest(g, VolumeGrid(nx: 45, ny: 39, spacing: SIMD3(1, 1.2, 1))) < 1e-5)
    }

    @Test(arguments: [false, true])
    func fan2DIsAdjoint(equiangular: Bool) throws {
        let g = try ProjectionGeometry.fan2D(views: 41, columns: 90, columnPitch: 1.3, sourceToIsocentre: 200,
                                             sourceToDetector: 380, equiangular: equiangular)
        #expect(try Self.dotTest(g, VolumeGrid(nx: 50, ny: 50, spacing: SIMD3(1.1, 1.1, 1), centre: SIMD3(2, -3, 0))) < 1e-5)
    }

    @Test func cone3DIsAdjoint() throws {
        let g = try ProjectionGeometry.coneBeamCircular(views: 19, columns: 40, rows: 33, columnPitch: 1, rowPitch: 1,
                                                        sourceToIsocentre: 150, sourceToDetector: 260)
        #expect(try Self.dotTest(g, VolumeGrid(nx: 23, ny: 21, nz: 17, spacing: SIMD3(1, 1, 1.3))) < 1e-5)
    }
}
