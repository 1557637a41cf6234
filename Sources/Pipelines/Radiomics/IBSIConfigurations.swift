import Foundation

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

    /// A configuration read from a settings JSON file (keys optional unless noted):
    ///
    ///     { "discretisation": {"fixed_bin_size": 25, "lower_bound": -500}   // or {"fixed_bin_number": 32}
    ///                                                                        // or "none" (required)
    ///       "range": [-500, 400],            "outlier_sigma": 3,
    ///       "ivh": {"intensity_step": 1} | {"fixed_bin_size": 2.5} | {"fixed_bin_number": 1000} | "texture_levels",
    ///       "interpolation": {"spacing_mm": [2, 2, 2], "in_plane_only": false, "cubic_spline": false} }
    ///
    /// - Throws: `RadiomicsError.invalid` naming the file and the key at fault.
    public static func load(settingsFile path: String) throws -> IBSIConfiguration {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RadiomicsError.invalid("cannot read the settings file \(path) as a JSON object")
        }
        func fail(_ key: String) -> RadiomicsError { RadiomicsError.invalid("\(path): bad or missing '\(key)'") }
        func number(_ any: Any?) -> Double? { (any as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil } }
        let known: Set = ["discretisation", "range", "outlier_sigma", "ivh", "interpolation"]
        if let unknown = json.keys.sorted().first(where: { !known.contains($0) }) {
            throw RadiomicsError.invalid("\(path): unknown key '\(unknown)'")
        }
        var settings: RadiomicsSettings
        switch json["discretisation"] {
        case let text as String where text == "none": settings = RadiomicsSettings(discretisation: .none)
        case let d as [String: Any]:
            if let w = number(d["fixed_bin_size"]), let lower = number(d["lower_bound"]) {
                settings = RadiomicsSettings(discretisation: .fixedBinSize(width: w, lowerBound: lower))
            } else if let n = number(d["fixed_bin_number"]), n == n.rounded(), abs(n) < 1e9 {
                settings = RadiomicsSettings(discretisation: .fixedBinNumber(Int(n)))
            } else { throw fail("discretisation") }
        default: throw fail("discretisation")
        }
        if let r = json["range"] {
            guard let r = r as? [Any], r.count == 2, let lo = number(r[0]), let hi = number(r[1]), lo <= hi else { throw fail("range") }
            settings.range = lo...hi
        }
        if let k = json["outlier_sigma"] {
            guard let k = number(k), k > 0 else { throw fail("outlier_sigma") }
            settings.outlierSigma = k
        }
        switch json["ivh"] {
        case nil: break
        case let text as String where text == "texture_levels": settings.volumeHistogram = .textureLevels
        case let d as [String: Any]:
            if let step = number(d["intensity_step"]) { settings.volumeHistogram = .intensities(step: step) }
            else if let w = number(d["fixed_bin_size"]) { settings.volumeHistogram = .fixedBinSize(w) }
            else if let n = number(d["fixed_bin_number"]), n == n.rounded(), abs(n) < 1e9 { settings.volumeHistogram = .fixedBinNumber(Int(n)) }
            else { throw fail("ivh") }
        default: throw fail("ivh")
        }
        var interpolation: (spacing: SIMD3<Double>, inPlaneOnly: Bool, cubic: Bool)?
        if let i = json["interpolation"] {
            guard let i = i as? [String: Any], let s = i["spacing_mm"] as? [Any], s.count == 3,
                  let sx = number(s[0]), let sy = number(s[1]), let sz = number(s[2]), sx > 0, sy > 0, sz > 0 else {
                throw fail("interpolation")
            }
            interpolation = (SIMD3(sx, sy, sz), (i["in_plane_only"] as? Bool) ?? false, (i["cubic_spline"] as? Bool) ?? false)
        }
        return IBSIConfiguration(name: path, settings: settings, interpolation: interpolation)
    }
}
