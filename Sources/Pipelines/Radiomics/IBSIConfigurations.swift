/// IBSI 1's reference configurations for the CT radiomics phantom (and the digital phantom's), as
/// settings plus the interpolation each asks for.
public struct IBSIConfiguration: Sendable {
    /// "phantom" or "A" ... "E".
    public let name: String
    /// Feature settings.
    public let settings: RadiomicsSettings
    /// Target spacing (mm), whether only the slices are resampled and whether intensities use a cubic
    /// spline; nil: no interpolation.
    public let interpolation: (spacing: SIMD3<Double>, inPlaneOnly: Bool, cubic: Bool)?

    /// The configuration called `name`, or nil for an unknown or unavailable one.
    public static func named(_ name: String) -> IBSIConfiguration? {
        switch name {
        case "phantom": return IBSIConfiguration(name: name, settings: RadiomicsSettings(discretisation: .none), interpolation: nil)
        case "A":   // 2D, no interpolation, range [-500, 400] HU, FBS 25, IVH on integer HU
            var s = RadiomicsSettings(discretisation: .fixedBinSize(width: 25, lowerBound: -500))
            s.range = -500...400
            s.volumeHistogram = .intensities(step: 1)
            return IBSIConfiguration(name: name, settings: s, interpolation: nil)
        case "B":   // 2D, bilinear to 2 x 2 mm in plane, range [-500, 400], FBN 32
            var s = RadiomicsSettings(discretisation: .fixedBinNumber(32))
            s.range = -500...400
            s.volumeHistogram = .intensities(step: 1)
            return IBSIConfiguration(name: name, settings: s, interpolation: (SIMD3(2, 2, 2), true, false))
        case "C":   // 3D, trilinear to 2 mm, range [-1000, 400], FBS 25, IVH in 2.5 HU bins
            var s = RadiomicsSettings(discretisation: .fixedBinSize(width: 25, lowerBound: -1000))
            s.range = -1000...400
            s.volumeHistogram = .fixedBinSize(2.5)
            return IBSIConfiguration(name: name, settings: s, interpolation: (SIMD3(2, 2, 2), false, false))
        case "D":   // 3D, trilinear to 2 mm, 3 sigma outlier filter, FBN 32
            var s = RadiomicsSettings(discretisation: .fixedBinNumber(32))
            s.outlierSigma = 3
            s.volumeHistogram = .intensities(step: 1)
            return IBSIConfiguration(name: name, settings: s, interpolation: (SIMD3(2, 2, 2), false, false))
        case "E":   // 3D, cubic spline to 2 mm, range [-1000, 400] and 3 sigma, FBN 32, IVH FBN 1000
            var s = RadiomicsSettings(discretisation: .fixedBinNumber(32))
            s.range = -1000...400
            s.outlierSigma = 3
            s.volumeHistogram = .fixedBinNumber(1000)
            return IBSIConfiguration(name: name, settings: s, interpolation: (SIMD3(2, 2, 2), false, true))
        default: return nil
        }
    }

    /// `image` interpolated as the configuration asks (unchanged without interpolation).
    /// - Throws: `RadiomicsError` from the interpolation.
    public func prepare(_ image: RadiomicsImage) throws -> RadiomicsImage {
        guard let interpolation else { return image }
        return try image.resampled(to: interpolation.spacing, inPlaneOnly: interpolation.inPlaneOnly, cubicSpline: interpolation.cubic)
    }
}
