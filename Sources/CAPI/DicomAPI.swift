import CHepatix
import Foundation
import Hepatix

/// `hx_dicom_scan`: the scan, its series in study order, and C copies of their strings.
final class DicomScanBox {
    let scan: DicomScan
    let entries: [(study: DicomStudy, series: DicomSeries)]
    let strings: [[UnsafeMutablePointer<CChar>]]   // study, series, modality, description, phase

    init(_ scan: DicomScan) {
        self.scan = scan
        entries = scan.studies().flatMap { study in study.series.map { (study, $0) } }
        strings = entries.map { entry -> [UnsafeMutablePointer<CChar>] in
            let texts: [String] = [entry.study.studyInstanceUID, entry.series.seriesInstanceUID, entry.series.modality,
                                   entry.series.seriesDescription, entry.series.phase.phase.rawValue]
            return texts.map { text in strdup(text)! }
        }
    }

    deinit { strings.joined().forEach { free($0) } }

    /// Entry `index`, or HX_ERR_INVALID_ARGUMENT.
    func entry(_ index: Int) throws -> (study: DicomStudy, series: DicomSeries) {
        guard index >= 0, index < entries.count else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "series index \(index) is not below the \(entries.count) series found")
        }
        return entries[index]
    }

    /// The slice stack of series `index`; a series that cannot form a volume is HX_ERR_UNSUPPORTED.
    func stack(_ index: Int) throws -> SliceStack {
        do { return try entry(index).series.sliceStack() } catch let error as DicomError {
            throw BoundaryError(HX_ERR_UNSUPPORTED, error.description)
        }
    }
}

/// `hx_volume`.
final class VolumeBox { let value: PatientVolume; init(_ v: PatientVolume) { value = v } }

@c @implementation
public func hx_dicom_scan_path(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { box in
        let target = try required(out, "out")
        let location = try existingPath(path)
        let scan = try DicomScanner.scan([location], threads: Int(box.threads))
        guard !scan.instances.isEmpty else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "no DICOM files under \(location) (\(scan.refused.count) file(s) refused)")
        }
        target.pointee = makeHandle(DicomScanBox(scan))
    }
}

@c @implementation
public func hx_dicom_scan_series_count(_ scan: OpaquePointer?) -> Int {
    scan.map { object($0, as: DicomScanBox.self).entries.count } ?? 0
}

@c @implementation
public func hx_dicom_scan_refused_count(_ scan: OpaquePointer?) -> Int {
    scan.map { object($0, as: DicomScanBox.self).scan.refused.count } ?? 0
}

@c @implementation
public func hx_dicom_series_info(_ ctx: OpaquePointer?, _ scan: OpaquePointer?, _ index: Int,
                                 _ studyUID: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ seriesUID: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ modality: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ description: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ phase: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ images: UnsafeMutablePointer<Int64>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(scan, "scan"), as: DicomScanBox.self)
        let entry = try box.entry(index)
        let strings = box.strings[index]
        for (output, value) in zip([studyUID, seriesUID, modality, description, phase], strings) { output?.pointee = UnsafePointer(value) }
        images?.pointee = Int64(entry.series.instances.count)
    }
}

@c @implementation
public func hx_dicom_scan_destroy(_ scan: OpaquePointer?) { releaseHandle(scan, as: DicomScanBox.self) }

@c @implementation
public func hx_dicom_load_series(_ ctx: OpaquePointer?, _ scan: OpaquePointer?, _ index: Int,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { box in
        let target = try required(out, "out")
        let scanBox = object(try required(scan, "scan"), as: DicomScanBox.self)
        let stack = try scanBox.stack(index)
        target.pointee = makeHandle(VolumeBox(try DicomSeriesLoader.load(stack, threads: Int(box.threads))))
    }
}

@c @implementation
public func hx_volume_size(_ ctx: OpaquePointer?, _ volume: OpaquePointer?, _ nx: UnsafeMutablePointer<Int64>?,
                           _ ny: UnsafeMutablePointer<Int64>?, _ nz: UnsafeMutablePointer<Int64>?) -> hx_status {
    withContext(ctx) { _ in
        let v = object(try required(volume, "volume"), as: VolumeBox.self).value
        nx?.pointee = Int64(v.nx); ny?.pointee = Int64(v.ny); nz?.pointee = Int64(v.nz)
    }
}

@c @implementation
public func hx_volume_geometry(_ ctx: OpaquePointer?, _ volume: OpaquePointer?, _ spacing: UnsafeMutablePointer<Double>?,
                               _ origin: UnsafeMutablePointer<Double>?, _ direction: UnsafeMutablePointer<Double>?) -> hx_status {
    withContext(ctx) { _ in
        let v = object(try required(volume, "volume"), as: VolumeBox.self).value
        for i in 0..<3 {
            spacing?[i] = v.spacing[i]
            origin?[i] = v.origin[i]
            direction?[i] = v.axisI[i]; direction?[3 + i] = v.axisJ[i]; direction?[6 + i] = v.axisK[i]
        }
    }
}

@c @implementation
public func hx_volume_copy_voxels(_ ctx: OpaquePointer?, _ volume: OpaquePointer?, _ out: UnsafeMutablePointer<Float>?,
                                  _ count: Int) -> hx_status {
    withContext(ctx) { _ in
        let v = object(try required(volume, "volume"), as: VolumeBox.self).value
        let target = try required(out, "out")
        guard count == v.voxels.count else {
            throw BoundaryError(HX_ERR_SIZE_MISMATCH, "out holds \(count) floats, the volume has \(v.voxels.count)")
        }
        v.voxels.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: count) }
    }
}

@c @implementation
public func hx_volume_destroy(_ volume: OpaquePointer?) { releaseHandle(volume, as: VolumeBox.self) }

/// The coded segment a `hx_segment_kind` stands for.
func segmentDefinition(kind: Int32, name: String, mask: [UInt8], trackingIndex: Int) throws -> SegmentDefinition {
    let algorithm = "Hepatix " + BuildInfo.versionString
    let couinaudI = Int32(HX_SEGMENT_COUINAUD_I.rawValue)
    switch kind {
    case Int32(HX_SEGMENT_LIVER.rawValue):
        var liver = SegmentDefinition.liver(mask: mask, algorithm: algorithm)
        liver.label = name
        return liver
    case Int32(HX_SEGMENT_LESION.rawValue):
        return .lesion(name, trackingUID: DicomUID.make(), mask: mask, algorithm: algorithm)
    case couinaudI..<(couinaudI + 8):
        let type = HepatixCodingScheme.couinaudSegment(Int(kind - couinaudI) + 1)!
        return SegmentDefinition(label: name, category: .anatomicalStructure, type: type, algorithmName: algorithm,
                                 colour: DisplayColour(UInt8(40 + 25 * (kind % 8)), 120, UInt8(200 - 20 * (kind % 8))), mask: mask)
    default:
        throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "segment \(trackingIndex + 1): unknown kind \(kind)")
    }
}

@c @implementation
public func hx_dicom_write_segmentation(_ ctx: OpaquePointer?, _ scan: OpaquePointer?, _ index: Int, _ labels: UnsafePointer<UInt8>?,
                                        _ count: Int, _ kinds: UnsafePointer<Int32>?,
                                        _ names: UnsafePointer<UnsafePointer<CChar>?>?, _ segmentCount: Int,
                                        _ path: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        let scanBox = object(try required(scan, "scan"), as: DicomScanBox.self)
        let (labels, kinds, names) = (try required(labels, "labels"), try required(kinds, "kinds"), try required(names, "names"))
        let output = String(cString: try required(path, "path"))
        guard (1...255).contains(segmentCount) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "segment_count must be 1...255, got \(segmentCount)")
        }
        let stack = try scanBox.stack(index)
        guard stack.isUniform else {
            throw BoundaryError(HX_ERR_UNSUPPORTED, "the series was resampled (\(stack.issues.joined(separator: "; "))); a SEG needs one frame per source slice")
        }
        let voxels = stack.slices[0].rows * stack.slices[0].columns * stack.slices.count
        guard count == voxels else { throw BoundaryError(HX_ERR_SIZE_MISMATCH, "labels hold \(count) voxels, the series \(voxels)") }
        let values = Array(UnsafeBufferPointer(start: labels, count: count))
        if let bad = values.first(where: { Int($0) > segmentCount }) {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "label \(bad) is beyond segment_count \(segmentCount)")
        }
        let segments = try (0..<segmentCount).map { s -> SegmentDefinition in
            let name = String(cString: try required(names[s], "names[\(s)]"))
            let label = UInt8(s + 1)
            return try segmentDefinition(kind: kinds[s], name: name, mask: values.map { $0 == label ? 1 : 0 }, trackingIndex: s)
        }
        try SegmentationWriter.write(segments, on: stack, identity: DicomObjectIdentity(seriesDescription: "Hepatix segmentation",
                                                                                       seriesNumber: 901), to: output)
    }
}
