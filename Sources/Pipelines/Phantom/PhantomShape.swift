import Foundation

/// Solid shapes the abdomen phantom is painted from, in patient LPS millimetres.
public enum PhantomShape: Sendable, Equatable, Codable {
    /// Ellipsoid with semi-axes (mm), rotated by `angle` radians about the z axis.
    case ellipsoid(centre: SIMD3<Double>, semiAxes: SIMD3<Double>, angle: Double)
    /// Elliptic cylinder along z between `zRange`, semi-axes in x and y.
    case cylinder(centre: SIMD2<Double>, semiAxes: SIMD2<Double>, zRange: ClosedRange<Double>)
    /// Tube of `radius` around the segment from `from` to `to` (rounded ends).
    case tube(from: SIMD3<Double>, to: SIMD3<Double>, radius: Double)

    /// True if `p` lies inside.
    public func contains(_ p: SIMD3<Double>) -> Bool {
        switch self {
        case let .ellipsoid(c, s, angle):
            let d = p - c, (co, si) = (cos(angle), sin(angle))
            let u = SIMD3(co * d.x + si * d.y, -si * d.x + co * d.y, d.z) / s
            return (u * u).sum() <= 1
        case let .cylinder(c, s, z):
            let u = (SIMD2(p.x, p.y) - c) / s
            return z.contains(p.z) && (u * u).sum() <= 1
        case let .tube(a, b, r):
            return Self.distanceToSegment(p, a, b) <= r
        }
    }

    /// Axis-aligned bounds (min, max) in mm.
    public var bounds: (SIMD3<Double>, SIMD3<Double>) {
        switch self {
        case let .ellipsoid(c, s, _):
            let r = SIMD3(max(s.x, s.y), max(s.x, s.y), s.z)
            return (c - r, c + r)
        case let .cylinder(c, s, z):
            return (SIMD3(c.x - s.x, c.y - s.y, z.lowerBound), SIMD3(c.x + s.x, c.y + s.y, z.upperBound))
        case let .tube(a, b, r):
            return (pointwiseMin(a, b) - r, pointwiseMax(a, b) + r)
        }
    }

    /// Distance from `p` to the segment `a`–`b`.
    public static func distanceToSegment(_ p: SIMD3<Double>, _ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let ab = b - a, length2 = (ab * ab).sum()
        let t = length2 > 0 ? min(max(((p - a) * ab).sum() / length2, 0), 1) : 0
        let d = p - (a + t * ab)
        return (d * d).sum().squareRoot()
    }
}
