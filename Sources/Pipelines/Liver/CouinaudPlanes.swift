import Foundation

/// The plane-based Couinaud definition (PBC): vertical planes through the IVC axis that contain the right,
/// middle and left hepatic veins split the liver into sectors; the transverse plane through the portal
/// bifurcation splits superior (2, 4, 7, 8) from inferior (3, 4, 5, 6); segment 1 (caudate) is the region
/// just anterior-left of the IVC around the hilum's height. Segment 4 is not split into 4a/4b
/// (TotalSegmentator's convention). The phantom's truth and the pipeline's segmenter share this rule;
/// the pipeline must find its inputs (IVC axis, vein azimuths, bifurcation height) in the images.
public struct CouinaudPlanes: Sendable, Equatable, Codable {
    /// IVC axis position (LPS x, y; mm).
    public var cavaAxis: SIMD2<Double>
    /// Azimuths (radians, atan2(y, x) about the IVC axis) of the right, middle and left hepatic veins.
    public var hepaticVeinAzimuths: SIMD3<Double>
    /// Height of the portal bifurcation plane (LPS z, mm).
    public var portalBifurcationZ: Double

    /// The planes from their parts.
    public init(cavaAxis: SIMD2<Double>, hepaticVeinAzimuths: SIMD3<Double>, portalBifurcationZ: Double) {
        (self.cavaAxis, self.hepaticVeinAzimuths, self.portalBifurcationZ) = (cavaAxis, hepaticVeinAzimuths, portalBifurcationZ)
    }

    /// The caudate region: centre offset from the IVC axis (mm), radius (mm) and heights relative to the bifurcation.
    public static let caudateOffset = SIMD2<Double>(10, -20), caudateRadius = 20.0, caudateHeights = -15.0...35.0

    /// Angle measured from posterior (+y) turning through the patient's right (−x) towards anterior and left, in [0, 2π).
    public static func turn(_ azimuth: Double) -> Double {
        var t = (azimuth - .pi / 2).truncatingRemainder(dividingBy: 2 * .pi)
        if t < 0 { t += 2 * .pi }
        return t
    }

    /// The segment (1...8) of a liver point `p` (LPS mm).
    public func segment(at p: SIMD3<Double>) -> UInt8 {
        let fromCava = SIMD2(p.x, p.y) - cavaAxis
        let caudate = fromCava - Self.caudateOffset
        if (caudate * caudate).sum() <= Self.caudateRadius * Self.caudateRadius
            && Self.caudateHeights.contains(p.z - portalBifurcationZ) { return 1 }
        let phi = Self.turn(atan2(fromCava.y, fromCava.x))
        let superior = p.z >= portalBifurcationZ
        if phi < Self.turn(hepaticVeinAzimuths.x) { return superior ? 7 : 6 }
        if phi < Self.turn(hepaticVeinAzimuths.y) { return superior ? 8 : 5 }
        if phi < Self.turn(hepaticVeinAzimuths.z) { return 4 }
        return superior ? 2 : 3
    }

    /// Roman numeral of a segment, as radiologists write it.
    public static func roman(_ segment: UInt8) -> String {
        ["?", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"][Int(min(segment, 8))]
    }
}
