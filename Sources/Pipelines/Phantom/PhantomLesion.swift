import Foundation

/// One lesion of the phantom: an ellipsoid rotated about z, of a kind that fixes its enhancement.
public struct PhantomLesion: Sendable, Equatable, Codable {
    /// 1-based number in the study's lesion list.
    public let number: Int
    public let kind: PhantomLesionKind
    /// Centre (LPS mm, portal venous frame), semi-axes (mm) and rotation about z (radians).
    public let centre: SIMD3<Double>
    public let semiAxes: SIMD3<Double>
    public let angle: Double
    /// Tumour thrombus grown from the lesion into a vein (LI-RADS "tumour in vein"): a tube of the lesion's core
    /// tissue filling the vein's lumen over part of its course; nil for a lesion confined to the parenchyma.
    public var veinTumour: PhantomShape? = nil

    /// Axial long-axis diameter (mm), outer edge to outer edge including a capsule (as LI-RADS measures):
    /// twice the larger in-plane semi-axis (the z semi-axis is never larger) plus the capsule's thickness.
    public var longAxisMM: Double { 2 * max(semiAxes.x, semiAxes.y) + (kind.capsule != nil ? 2 * Self.capsuleMM : 0) }
    /// Thickness of a capsule, mm.
    public static let capsuleMM = 1.5
    /// Axial short-axis diameter (mm).
    public var shortAxisMM: Double { 2 * min(semiAxes.x, semiAxes.y) }
    /// Volume of the ellipsoid (mL).
    public var volumeML: Double { 4 / 3 * .pi * semiAxes.x * semiAxes.y * semiAxes.z / 1000 }
    /// The LI-RADS observation the lesion presents by design: its kind's features, and tumour in vein when it has a thrombus.
    public var truthObservation: LIRADSObservation {
        var o = kind.truthObservation(sizeMM: longAxisMM)
        o.tumourInVein = veinTumour != nil
        return o
    }
    /// The LI-RADS category the lesion's designed features give.
    public var truthCategory: LIRADSCategory { LIRADS.categorize(truthObservation).category }
    /// Axis-aligned bounds (min, max) in mm of everything painted as this lesion (capsule and thrombus included).
    public var bounds: (SIMD3<Double>, SIMD3<Double>) {
        let reach = SIMD3(repeating: semiAxes.max() + 2)
        var (low, high) = (centre - reach, centre + reach)
        if let (a, b) = veinTumour?.bounds { (low, high) = (pointwiseMin(low, a), pointwiseMax(high, b)) }
        return (low, high)
    }

    /// Which part of the lesion `p` falls in: nil outside, else core, rim or capsule (capsule: a 1.5 mm
    /// shell outside the ellipsoid, only for kinds that have one).
    public func part(at p: SIMD3<Double>) -> LesionPart? {
        if let veinTumour, veinTumour.contains(p) { return .core }
        let d = p - centre, (c, s) = (cos(angle), sin(angle))
        let local = SIMD3(c * d.x + s * d.y, -s * d.x + c * d.y, d.z)
        let u = local / semiAxes
        let rho = (u * u).sum().squareRoot()
        if rho > 1 {
            guard kind.capsule != nil else { return nil }
            return rho <= 1 + Self.capsuleMM / semiAxes.min() ? .capsule : nil
        }
        guard rho > 1 - kind.rimFraction else { return .core }
        if kind.rimNodules > 0 {
            // Discontinuous nodules: only sectors where the azimuth's harmonic is positive enhance.
            let theta = atan2(local.y, local.x)
            return sin(Double(kind.rimNodules) * theta) > 0.2 ? .rim : .core
        }
        return .rim
    }

    /// The parts of a lesion.
    public enum LesionPart: UInt8, Sendable, Codable { case core = 0, rim, capsule }
}
