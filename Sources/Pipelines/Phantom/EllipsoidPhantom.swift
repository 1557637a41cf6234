import Foundation
import HepatixKernels

/// A phantom made of uniform ellipsoids whose densities add, with exact line integrals (chord length ×
/// density) — the way the benchmark workloads are generated, never through a discrete projector.
/// In 2D use ellipsoids with an infinite z semi-axis (`Ellipsoid.ellipse`).
public struct EllipsoidPhantom: Sendable {
    /// One ellipsoid: density (1/mm), semi-axes (mm), centre (mm), rotation about z (radians, counter-clockwise).
    public struct Ellipsoid: Sendable, Equatable {
        public var density: Double
        public var semiAxes: SIMD3<Double>
        public var centre: SIMD3<Double>
        public var rotation: Double

        /// Creates an ellipsoid.
        public init(density: Double, semiAxes: SIMD3<Double>, centre: SIMD3<Double>, rotation: Double = 0) {
            self.density = density
            self.semiAxes = semiAxes
            self.centre = centre
            self.rotation = rotation
        }

        /// A 2D ellipse (infinite along z).
        public static func ellipse(density: Double, a: Double, b: Double, x: Double, y: Double, rotation: Double = 0) -> Ellipsoid {
            Ellipsoid(density: density, semiAxes: SIMD3(a, b, .infinity), centre: SIMD3(x, y, 0), rotation: rotation)
        }

        /// Maps a point or direction into the unit-sphere frame of the ellipsoid.
        func toUnit(_ p: SIMD3<Double>, isPoint: Bool) -> SIMD3<Double> {
            let q = isPoint ? p - centre : p
            let (c, s) = (cos(rotation), sin(rotation))
            let r = SIMD3(c * q.x + s * q.y, -s * q.x + c * q.y, q.z)
            return SIMD3(r.x / semiAxes.x, r.y / semiAxes.y, semiAxes.z.isInfinite ? 0 : r.z / semiAxes.z)
        }

        /// Chord length of the line `origin + t * direction` (unit direction) through the ellipsoid.
        public func chord(origin: SIMD3<Double>, direction: SIMD3<Double>) -> Double {
            let q = toUnit(origin, isPoint: true), e = toUnit(direction, isPoint: false)
            let ee = (e * e).sum(), qe = (q * e).sum(), qq = (q * q).sum()
            guard ee > 0 else { return 0 }
            let disc = qe * qe - ee * (qq - 1)
            return disc > 0 ? 2 * disc.squareRoot() / ee : 0
        }

        /// True if `p` lies inside.
        public func contains(_ p: SIMD3<Double>) -> Bool {
            let q = toUnit(p, isPoint: true)
            return (q * q).sum() <= 1
        }
    }

    /// The ellipsoids.
    public var ellipsoids: [Ellipsoid]

    /// Creates a phantom.
    public init(_ ellipsoids: [Ellipsoid]) { self.ellipsoids = ellipsoids }

    /// The modified (Toft) 2D Shepp–Logan phantom of radius `radius` mm, intensities × 0.1 /mm
    /// (the benchmark's W1/W2 object; "brain" = 0.02 /mm).
    public static func sheppLogan2D(radius: Double) -> EllipsoidPhantom {
        let table: [(Double, Double, Double, Double, Double, Double)] = [
            (1.0, 0.69, 0.92, 0, 0, 0), (-0.8, 0.6624, 0.874, 0, -0.0184, 0), (-0.2, 0.11, 0.31, 0.22, 0, -18),
            (-0.2, 0.16, 0.41, -0.22, 0, 18), (0.1, 0.21, 0.25, 0, 0.35, 0), (0.1, 0.046, 0.046, 0, 0.1, 0),
            (0.1, 0.046, 0.046, 0, -0.1, 0), (0.1, 0.046, 0.023, -0.08, -0.605, 0), (0.1, 0.023, 0.023, 0, -0.606, 0),
            (0.1, 0.023, 0.046, 0.06, -0.605, 0),
        ]
        return EllipsoidPhantom(table.map { t in
            .ellipse(density: t.0 * 0.1, a: t.1 * radius, b: t.2 * radius, x: t.3 * radius, y: t.4 * radius,
                     rotation: t.5 * .pi / 180)
        })
    }

    /// The modified 3D Shepp–Logan phantom (rotations about z only) of radius `radius` mm, × 0.1 /mm.
    public static func sheppLogan3D(radius: Double) -> EllipsoidPhantom {
        let table: [(Double, Double, Double, Double, Double, Double, Double, Double)] = [
            (1.0, 0.69, 0.92, 0.81, 0, 0, 0, 0), (-0.8, 0.6624, 0.874, 0.78, 0, -0.0184, 0, 0),
            (-0.2, 0.11, 0.31, 0.22, 0.22, 0, 0, -18), (-0.2, 0.16, 0.41, 0.28, -0.22, 0, 0, 18),
            (0.1, 0.21, 0.25, 0.41, 0, 0.35, -0.15, 0), (0.1, 0.046, 0.046, 0.05, 0, 0.1, 0.25, 0),
            (0.1, 0.046, 0.046, 0.05, 0, -0.1, 0.25, 0), (0.1, 0.046, 0.023, 0.05, -0.08, -0.605, 0, 0),
            (0.1, 0.023, 0.023, 0.02, 0, -0.606, 0, 0), (0.1, 0.023, 0.046, 0.02, 0.06, -0.605, 0, 0),
        ]
        return EllipsoidPhantom(table.map { t in
            Ellipsoid(density: t.0 * 0.1, semiAxes: SIMD3(t.1, t.2, t.3) * radius,
                      centre: SIMD3(t.4, t.5, t.6) * radius, rotation: t.7 * .pi / 180)
        })
    }

    /// Exact line integral along a ray (unit direction).
    public func lineIntegral(origin: SIMD3<Double>, direction: SIMD3<Double>) -> Double {
        ellipsoids.reduce(0) { $0 + $1.density * $1.chord(origin: origin, direction: direction) }
    }

    /// Density at a point.
    public func density(at p: SIMD3<Double>) -> Double {
        ellipsoids.reduce(0) { $0 + ($1.contains(p) ? $1.density : 0) }
    }

    /// Analytic projections for `geometry`, `[view][row][column]` (one pencil ray per pixel centre).
    public func project(_ geometry: ProjectionGeometry, threads: Int = 0) -> [Float] {
        let perView = geometry.rows * geometry.columns
        var out = [Float](repeating: 0, count: geometry.views.count * perView)
        out.withUnsafeMutableBufferPointer { buffer in
            let box = SendableMutablePointer(buffer.baseAddress!)  // one view per item: disjoint
            WorkerPool(threads: threads).forEach(items: geometry.views.count) { _, k in
                for r in 0..<geometry.rows {
                    for c in 0..<geometry.columns {
                        let ray = geometry.ray(view: k, row: Double(r), column: Double(c))
                        box.pointer[k * perView + r * geometry.columns + c] = Float(lineIntegral(origin: ray.origin, direction: ray.direction))
                    }
                }
            }
        }
        return out
    }

    /// The density at every voxel centre of `grid`, `[k][i][j]`, averaged over `samples`³ sub-points
    /// (`samples`² in 2D).
    public func rasterize(_ grid: VolumeGrid, samples: Int = 1) -> [Float] {
        var out = [Float](repeating: 0, count: grid.count)
        let s = max(1, samples)
        let offsets = (0..<s).map { (Double($0) + 0.5) / Double(s) - 0.5 }
        let zOffsets = grid.nz == 1 ? [0.0] : offsets
        var n = 0
        for k in 0..<grid.nz {
            for i in 0..<grid.ny {
                for j in 0..<grid.nx {
                    var sum = 0.0
                    for dz in zOffsets { for dy in offsets { for dx in offsets {
                        sum += density(at: grid.position(i: Double(i) + dy, j: Double(j) + dx, k: Double(k) + dz))
                    } } }
                    out[n] = Float(sum / Double(offsets.count * offsets.count * zOffsets.count))
                    n += 1
                }
            }
        }
        return out
    }
}
