import Foundation

/// The seeded description of one synthetic multiphase abdomen (patient LPS mm, origin near the liver's
/// centre, z up): organs and vessels as solid shapes in paint order, the Couinaud geometry the vessels
/// define, the lesions, and the small rigid misregistration of each phase against the portal venous one.
///
/// Couinaud segments follow the plane-based definition (see `couinaudSegment(at:)`): vertical planes
/// through the IVC axis containing the right, middle and left hepatic veins split the liver into
/// sectors; the transverse plane through the portal bifurcation splits superior (2, 4, 7, 8) from
/// inferior (3, 4, 5, 6); segment 1 is the caudate region anterior-left of the IVC near the hilum.
public struct AbdomenAnatomy: Sendable, Codable {
    /// The seed the study was drawn from.
    public let seed: UInt64
    /// Shapes in paint order: later shapes overwrite earlier ones.
    public let shapes: [Shaped]
    /// The liver envelope (union of these), painted before vessels and lesions.
    public let liverLobes: [PhantomShape]
    /// IVC axis (x, y) and the hepatic-vein confluence height z (mm).
    public let cavaAxis: SIMD2<Double>
    public let confluenceZ: Double
    /// Azimuths (radians, atan2(y, x) about the IVC axis) of the right, middle and left hepatic veins.
    public let hepaticVeinAzimuths: SIMD3<Double>
    /// Height of the portal bifurcation plane (mm).
    public let portalBifurcationZ: Double
    /// The lesions.
    public let lesions: [PhantomLesion]
    /// Rigid misregistration of each phase against portal venous: translation (mm) and rotation about z (radians).
    public let phaseShifts: [SIMD3<Double>]
    public let phaseRotations: [Double]

    /// A tissue and its shape.
    public struct Shaped: Sendable, Codable {
        public let tissue: PhantomTissue
        public let shape: PhantomShape
    }

    /// The Couinaud segment (1...8; 4 is not split) of a liver point, by the plane-based definition.
    public func couinaudSegment(at p: SIMD3<Double>) -> UInt8 {
        CouinaudPlanes(cavaAxis: cavaAxis, hepaticVeinAzimuths: hepaticVeinAzimuths, portalBifurcationZ: portalBifurcationZ).segment(at: p)
    }
}
