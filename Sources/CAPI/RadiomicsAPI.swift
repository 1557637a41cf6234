import CHepatix
import Foundation
import Hepatix

/// `hx_radiomics_settings`: the processing settings and the raw bin choices until compute time.
final class RadiomicsSettingsBox {
    var kind: Int64 = 0, bins: Int64 = 32, width = 25.0, lower: Double? = nil
    var rangeMin: Double? = nil, rangeMax: Double? = nil, sigma = 0.0, ivhStep = 0.0

    /// The Swift settings these choices describe.
    func settings(threads: Int) throws -> RadiomicsSettings {
        let discretisation: Discretisation
        switch kind {
        case 0: discretisation = .none
        case 1: discretisation = .fixedBinNumber(Int(bins))
        default: discretisation = .fixedBinSize(width: width, lowerBound: lower ?? rangeMin ?? .nan)
        }
        var s = RadiomicsSettings(discretisation: discretisation)
        if rangeMin != nil || rangeMax != nil {
            let (lo, hi) = (rangeMin ?? -.infinity, rangeMax ?? .infinity)
            guard lo <= hi else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "re-segmentation range minimum exceeds its maximum") }
            s.range = lo...hi
        }
        s.outlierSigma = sigma > 0 ? sigma : nil
        if ivhStep > 0 { s.volumeHistogram = .intensities(step: ivhStep) }
        s.threads = threads
        return s
    }
}

/// `hx_feature_table`: rows plus C copies of their strings, freed with the table.
final class FeatureTableBox {
    let rows: [RadiomicsFeature]
    let strings: [(tag: UnsafeMutablePointer<CChar>, code: UnsafeMutablePointer<CChar>, aggregation: UnsafeMutablePointer<CChar>)]

    init(_ rows: [RadiomicsFeature]) {
        self.rows = rows
        strings = rows.map { (strdup($0.tag)!, strdup($0.code)!, strdup($0.aggregation)!) }
    }

    deinit { for s in strings { free(s.tag); free(s.code); free(s.aggregation) } }
}

@c @implementation
public func hx_radiomics_settings_create(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in try required(out, "out").pointee = makeHandle(RadiomicsSettingsBox()) }
}

@c @implementation
public func hx_radiomics_settings_set_int(_ ctx: OpaquePointer?, _ settings: OpaquePointer?, _ key: hx_radiomics_option,
                                          _ value: Int64) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(settings, "settings"), as: RadiomicsSettingsBox.self)
        switch key {
        case HX_RAD_DISCRETISATION: box.kind = Int64(try count(value, "discretisation", min: 0, max: 2))
        case HX_RAD_BIN_COUNT: box.bins = Int64(try count(value, "bin count", min: 1, max: 65536))
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) is not an integer option")
        }
    }
}

@c @implementation
public func hx_radiomics_settings_set_double(_ ctx: OpaquePointer?, _ settings: OpaquePointer?, _ key: hx_radiomics_option,
                                             _ value: Double) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(settings, "settings"), as: RadiomicsSettingsBox.self)
        guard value.isFinite else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) must be finite, got \(value)") }
        switch key {
        case HX_RAD_BIN_WIDTH:
            guard value > 0 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "bin width must be > 0, got \(value)") }
            box.width = value
        case HX_RAD_BIN_LOWER: box.lower = value
        case HX_RAD_RANGE_MIN: box.rangeMin = value
        case HX_RAD_RANGE_MAX: box.rangeMax = value
        case HX_RAD_OUTLIER_SIGMA:
            guard value >= 0 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "outlier sigma must be >= 0, got \(value)") }
            box.sigma = value
        case HX_RAD_IVH_STEP:
            guard value >= 0 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "IVH step must be >= 0, got \(value)") }
            box.ivhStep = value
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) is not a floating-point option")
        }
    }
}

@c @implementation
public func hx_radiomics_settings_destroy(_ settings: OpaquePointer?) { releaseHandle(settings, as: RadiomicsSettingsBox.self) }

@c @implementation
public func hx_radiomics_compute(_ ctx: OpaquePointer?, _ image: UnsafePointer<Float>?, _ mask: UnsafePointer<UInt8>?,
                                 _ nx: Int64, _ ny: Int64, _ nz: Int64, _ sx: Double, _ sy: Double, _ sz: Double,
                                 _ settings: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        let pixels = try required(image, "image"), roi = try required(mask, "mask")
        let (x, y, z) = (try count(nx, "nx", max: 65536), try count(ny, "ny", max: 65536), try count(nz, "nz", max: 65536))
        let (total, overflow) = (x * y).multipliedReportingOverflow(by: z)
        guard !overflow, total <= 1 << 28 else {   // 268M voxels: the working copies stay within a few GB
            throw BoundaryError(HX_ERR_OUT_OF_MEMORY, "grid of \(x) x \(y) x \(z) voxels is too large (at most 268435456)")
        }
        let box = settings.map { object($0, as: RadiomicsSettingsBox.self) } ?? RadiomicsSettingsBox()
        let values = (0..<total).map { Double(pixels[$0]) }
        let inside = (0..<total).map { roi[$0] != 0 }
        for v in 0..<total where inside[v] && !values[v].isFinite {
            throw BoundaryError(HX_ERR_NON_FINITE_DATA, "image value at voxel \(v) inside the ROI is not finite")
        }
        let region = try RadiomicsImage(nx: x, ny: y, nz: z, spacing: SIMD3(sx, sy, sz), values: values, mask: inside)
        var s = try box.settings(threads: Int(context.threads))
        if case .fixedBinSize(let width, let lower) = s.discretisation, lower.isNaN {
            s.discretisation = .fixedBinSize(width: width, lowerBound: region.roiValues.min()!)
        }
        out.pointee = makeHandle(FeatureTableBox(try RadiomicsExtractor(settings: s).features(region)))
    }
}

@c @implementation
public func hx_feature_table_count(_ table: OpaquePointer?) -> Int { table.map { object($0, as: FeatureTableBox.self).rows.count } ?? 0 }

@c @implementation
public func hx_feature_table_row(_ ctx: OpaquePointer?, _ table: OpaquePointer?, _ index: Int,
                                 _ tag: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ code: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ aggregation: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ value: UnsafeMutablePointer<Double>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(table, "table"), as: FeatureTableBox.self)
        guard index >= 0 && index < box.rows.count else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "row \(index) of a table with \(box.rows.count) rows")
        }
        tag?.pointee = UnsafePointer(box.strings[index].tag)
        code?.pointee = UnsafePointer(box.strings[index].code)
        aggregation?.pointee = UnsafePointer(box.strings[index].aggregation)
        value?.pointee = box.rows[index].value
    }
}

@c @implementation
public func hx_feature_table_find(_ ctx: OpaquePointer?, _ table: OpaquePointer?, _ key: UnsafePointer<CChar>?,
                                  _ aggregation: UnsafePointer<CChar>?, _ value: UnsafeMutablePointer<Double>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(table, "table"), as: FeatureTableBox.self)
        let name = String(cString: try required(key, "code_or_tag")), aggr = String(cString: try required(aggregation, "aggregation"))
        let out = try required(value, "value")
        guard let row = box.rows.first(where: { ($0.code == name || $0.tag == name) && $0.aggregation == aggr }) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "no feature '\(name)' with aggregation '\(aggr)'")
        }
        out.pointee = row.value
    }
}

@c @implementation
public func hx_feature_table_destroy(_ table: OpaquePointer?) { releaseHandle(table, as: FeatureTableBox.self) }
