import Testing
@testable import HepatixKernels

/// The Joseph pairs are exact adjoint pairs (⟨Ax, y⟩ = ⟨x, Aᵀy⟩ on random inputs, every geometry), the
/// fast pairs compute what the scalar reference computes, and their bits do not depend on threads.
struct JosephProjectorTests {
    static func random(_ n: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<n).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2001) / 1000
        }
    }

    static let parallel = { try! ProjectionGeometry.parallel2D(views: 37, bins: 71, binPitch: 1.1, start: 0.2) }()
    static let parallelGrid = try! VolumeGrid(nx: 45, ny: 39, spacing: SIMD3(1, 1.2, 1))
    static func fan(equiangular: Bool) -> ProjectionGeometry {
        try! .fan2D(views: 41, columns: 90, columnPitch: 1.3, sourceToIsocentre: 200, sourceToDetector: 380, equiangular: equiangular)
    }
    static let fanGrid = try! VolumeGrid(nx: 50, ny: 50, spacing: SIMD3(1.1, 1.1, 1), centre: SIMD3(2, -3, 0))
    static let cone = { try! ProjectionGeometry.coneBeamCircular(views: 19, columns: 40, rows: 33, columnPitch: 1, rowPitch: 1,
                                                                  sourceToIsocentre: 150, sourceToDetector: 260) }()
    static let coneGrid = try! VolumeGrid(nx: 23, ny: 21, nz: 17, spacing: SIMD3(1, 1, 1.3))

    /// Every (geometry, grid) the tests cover, by name.
    static let cases: [String: (ProjectionGeometry, VolumeGrid)] = [
        "parallel": (parallel, parallelGrid), "fan-flat": (fan(equiangular: false), fanGrid),
        "fan-equiangular": (fan(equiangular: true), fanGrid), "cone": (cone, coneGrid),
    ]

    static func apply(_ p: any ProjectorPair, x: [Float], y: [Float], threads: Int, views: [Int]? = nil) -> (ax: [Float], aty: [Float]) {
        var ax = [Float](repeating: 0, count: p.projectionCount), aty = [Float](repeating: 0, count: p.grid.count)
        let pool = WorkerPool(threads: threads)
        x.withUnsafeBufferPointer { xs in ax.withUnsafeMutableBufferPointer { p.forward(xs, into: $0, pool: pool, views: views) } }
        y.withUnsafeBufferPointer { ys in aty.withUnsafeMutableBufferPointer { p.adjoint(ys, into: $0, pool: pool, views: views) } }
        return (ax, aty)
    }

    static func dotTest(_ kind: ProjectorKind, _ name: String) throws -> Double {
        let (g, grid) = cases[name]!
        let p = try makeProjector(kind, geometry: g, grid: grid, maxThreads: 2)
        let x = random(grid.count, seed: 1), y = random(p.projectionCount, seed: 2)
        let (ax, aty) = apply(p, x: x, y: y, threads: 2)
        let lhs = zip(ax, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let rhs = zip(x, aty).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        return abs(lhs - rhs) / abs(lhs)
    }

    /// 1e-5 relative: the pair shares every weight exactly; what remains is float rounding of the stored
    /// Ax and Aᵀy (~6e-8 relative per element, averaging out over the sums).
    @Test(arguments: [ProjectorKind.josephReference, .joseph, .josephStrip], ["parallel", "fan-flat", "fan-equiangular", "cone"])
    func pairIsAdjoint(kind: ProjectorKind, geometry: String) throws {
        #expect(try Self.dotTest(kind, geometry) < 1e-5)
    }

    static func relativeError(_ a: [Float], _ b: [Float]) -> Double {
        let diff = zip(a, b).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        return (diff / b.reduce(0.0) { $0 + Double($1) * Double($1) }).squareRoot()
    }

    /// The fast pair evaluates the reference's weights in float rather than double: positions of
    /// magnitude ~50 voxels carry ~4e-6 rounding, which moves weights by the same amount, so 1e-4
    /// relative (L2) is 25x that rounding and far below any indexing or weighting mistake (>1e-2).
    @Test(arguments: ["parallel", "fan-flat", "fan-equiangular", "cone"])
    func fastPairMatchesReference(geometry name: String) throws {
        let (g, grid) = Self.cases[name]!
        let fast = try makeProjector(.joseph, geometry: g, grid: grid, maxThreads: 2)
        #expect(!(fast is JosephProjector))
        let reference = try JosephProjector(geometry: g, grid: grid)
        let x = Self.random(grid.count, seed: 3), y = Self.random(reference.projectionCount, seed: 4)
        let views = Array(stride(from: 1, to: g.views.count, by: 3))   // a subset, as OS-SART uses
        let f = Self.apply(fast, x: x, y: y, threads: 2, views: views)
        let r = Self.apply(reference, x: x, y: y, threads: 2, views: views)
        #expect(Self.relativeError(f.ax, r.ax) < 1e-4)
        #expect(Self.relativeError(f.aty, r.aty) < 1e-4)
    }

    /// Every voxel and ray is computed by one worker in a fixed order, whatever the thread count.
    @Test(arguments: ["parallel", "fan-flat", "cone"])
    func fastPairIsDeterministic(geometry name: String) throws {
        let (g, grid) = Self.cases[name]!
        let fast = try makeProjector(.joseph, geometry: g, grid: grid, maxThreads: 3)
        let x = Self.random(grid.count, seed: 5), y = Self.random(fast.projectionCount, seed: 6)
        let one = Self.apply(fast, x: x, y: y, threads: 1), three = Self.apply(fast, x: x, y: y, threads: 3)
        #expect(one.ax == three.ax && one.aty == three.aty)
    }
}
