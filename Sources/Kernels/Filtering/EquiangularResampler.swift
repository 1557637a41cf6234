import Foundation

/// Turns an equiangular (cylindrical) fan geometry into an equivalent flat one and resamples its
/// projections onto it, so that one flat-detector FBP serves both. The virtual flat detector is
/// perpendicular to each view's central ray at the arc's distance, with the arc's central pitch,
/// wide enough to hold the whole fan. Samples are linearly interpolated in fan angle.
public struct EquiangularResampler: Sendable {
    /// The virtual flat-detector geometry.
    public let flatGeometry: ProjectionGeometry
    /// For each flat column, the fractional arc column it reads (NaN: outside the arc).
    let arcPosition: [Double]
    /// Arc columns.
    let arcColumns: Int

    /// Builds the flat equivalent of `geometry` (which must be equiangular).
    /// - Throws: `GeometryError.invalidParameter` if `geometry` is not an equiangular fan.
    public init(geometry: ProjectionGeometry) throws {
        guard case .equiangular(let dGamma) = geometry.detector else {
            throw GeometryError.invalidParameter("resampling needs an equiangular detector")
        }
        let v0 = geometry.views[0]
        let toCentre = v0.detectorCentre - v0.source
        let distance = length3(toCentre)
        let gammaCentre = atan2(dot3(toCentre, v0.detectorU) / length3(v0.detectorU), dot3(toCentre, v0.rayDirection))
        let half = Double(geometry.columns - 1) / 2
        let gammaMax = max(abs(gammaCentre - half * dGamma), abs(gammaCentre + half * dGamma)) + dGamma / 2
        let pitch = distance * dGamma
        let flatHalf = Int((distance * tan(gammaMax) / pitch).rounded(.up)) + 1
        let columns = 2 * flatHalf + 1
        arcColumns = geometry.columns
        arcPosition = (0..<columns).map { m in
            let gamma = atan(Double(m - flatHalf) * pitch / distance)
            let c = (gamma - gammaCentre) / dGamma + half
            return c >= -0.5 && c <= Double(geometry.columns) - 0.5 ? c : .nan
        }
        let views = geometry.views.map { v -> ProjectionView in
            let d = dot3(v.detectorCentre - v.source, v.rayDirection)
            let tangent = v.detectorU / length3(v.detectorU)
            return ProjectionView(source: v.source, rayDirection: v.rayDirection, detectorCentre: v.source + v.rayDirection * d,
                                  detectorU: tangent * pitch, detectorV: v.detectorV, angle: v.angle)
        }
        flatGeometry = try ProjectionGeometry(beam: .divergent, detector: .flat, columns: columns, rows: 1, views: views)
    }

    /// Resamples one arc row (`arcColumns` samples) onto the flat detector (`flatGeometry.columns`).
    public func resample(arc: UnsafePointer<Float>, flat: UnsafeMutablePointer<Float>) {
        for (m, c) in arcPosition.enumerated() {
            guard !c.isNaN else { flat[m] = 0; continue }
            let clamped = min(max(c, 0), Double(arcColumns - 1))
            let i = min(Int(clamped), arcColumns - 2)
            let f = Float(clamped - Double(i))
            flat[m] = arc[i] + f * (arc[i + 1] - arc[i])
        }
    }
}
