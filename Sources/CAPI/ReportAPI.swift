import CHepatix
import Foundation
import Hepatix

/// `hx_report`: findings built up call by call before `hx_dicom_write_report`.
final class ReportBox { var findings: [ReportedFinding] = [] }

/// The phase named as `ContrastPhase` spells it ("arterial", "portal venous", ...).
func contrastPhase(_ name: UnsafePointer<CChar>?) throws -> ContrastPhase {
    let text = String(cString: try required(name, "phase"))
    guard let phase = ContrastPhase(rawValue: text) else {
        throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown phase '\(text)' (unenhanced, arterial, portal venous, delayed, unknown)")
    }
    return phase
}

/// Finding `index` of `report`, or HX_ERR_INVALID_ARGUMENT.
func findingIndex(_ report: ReportBox, _ index: Int) throws -> Int {
    guard index >= 0, index < report.findings.count else {
        throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "finding \(index) is not below the \(report.findings.count) added")
    }
    return index
}

@c @implementation
public func hx_report_create(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in try required(out, "out").pointee = makeHandle(ReportBox()) }
}

@c @implementation
public func hx_report_add_finding(_ ctx: OpaquePointer?, _ report: OpaquePointer?, _ trackingID: UnsafePointer<CChar>?,
                                  _ segmentNumber: Int32, _ kind: Int32, _ index: UnsafeMutablePointer<Int>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(report, "report"), as: ReportBox.self)
        let id = String(cString: try required(trackingID, "tracking_id"))
        guard !id.isEmpty, id.utf8.count <= 64 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "tracking_id must be 1...64 characters") }
        guard (1...65535).contains(segmentNumber) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "segment_number must be 1...65535, got \(segmentNumber)")
        }
        let finding: CodedConcept
        switch kind {
        case Int32(HX_SEGMENT_LIVER.rawValue): finding = .liver
        case Int32(HX_SEGMENT_LESION.rawValue): finding = .lesion
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "a finding is HX_SEGMENT_LIVER or HX_SEGMENT_LESION, got \(kind)")
        }
        box.findings.append(ReportedFinding(trackingID: id, trackingUID: DicomUID.make(), finding: finding,
                                            segmentNumber: Int(segmentNumber), measurements: []))
        index?.pointee = box.findings.count - 1
    }
}

@c @implementation
public func hx_report_add_measurement(_ ctx: OpaquePointer?, _ report: OpaquePointer?, _ finding: Int, _ what: hx_measurement,
                                      _ value: Double, _ phase: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(report, "report"), as: ReportBox.self)
        let i = try findingIndex(box, finding)
        let v = try finite(value, "value")
        let measurement: ReportedMeasurement
        switch what {
        case HX_MEASURE_VOLUME_ML: measurement = .volume(millilitres: v)
        case HX_MEASURE_LONG_AXIS_MM: measurement = .longAxis(millimetres: v)
        case HX_MEASURE_SHORT_AXIS_MM: measurement = .shortAxis(millimetres: v)
        case HX_MEASURE_MEAN_HU: measurement = .meanAttenuation(hounsfield: v, phase: try contrastPhase(phase))
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown measurement \(what.rawValue)")
        }
        box.findings[i].measurements.append(measurement)
    }
}

@c @implementation
public func hx_report_set_lirads(_ ctx: OpaquePointer?, _ report: OpaquePointer?, _ finding: Int,
                                 _ category: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(report, "report"), as: ReportBox.self)
        let i = try findingIndex(box, finding)
        let name = String(cString: try required(category, "category"))
        guard let evaluation = ReportedFinding.liradsEvaluation(name) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown LI-RADS category '\(name)' (LR-1...LR-5, LR-M, LR-TIV, LR-NC)")
        }
        box.findings[i].evaluations.removeAll { $0.concept == HepatixCodingScheme.liradsCategoryConcept }
        box.findings[i].evaluations.append(evaluation)
    }
}

@c @implementation
public func hx_report_destroy(_ report: OpaquePointer?) { releaseHandle(report, as: ReportBox.self) }

@c @implementation
public func hx_dicom_write_report(_ ctx: OpaquePointer?, _ report: OpaquePointer?, _ scan: OpaquePointer?, _ index: Int,
                                  _ segmentationPath: UnsafePointer<CChar>?, _ path: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(report, "report"), as: ReportBox.self)
        let scanBox = object(try required(scan, "scan"), as: DicomScanBox.self)
        let seg = String(cString: try required(segmentationPath, "segmentation_path"))
        let output = String(cString: try required(path, "path"))
        guard !box.findings.isEmpty else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "the report has no findings") }
        let entry = try scanBox.entry(index)
        let sources = entry.study.series.filter { $0.modality == entry.series.modality }.flatMap(\.instances)
        try MeasurementReportWriter.write(box.findings, sources: sources, segmentation: seg,
                                          segmentedSeriesUID: entry.series.seriesInstanceUID,
                                          identity: DicomObjectIdentity(seriesDescription: "Hepatix measurement report", seriesNumber: 902),
                                          to: output)
    }
}
