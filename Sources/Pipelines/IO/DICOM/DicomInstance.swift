/// What a folder scan keeps of one DICOM file: identity, patient-space geometry, rescale and the
/// attributes used to group series into contrast phases. Built from a header-only parse.
public struct DicomInstance: Sendable, Equatable {
    /// Path of the file.
    public let path: String
    /// SOP class / instance, study, series and frame-of-reference UIDs. The SOP instance UID falls back
    /// to the meta header's Media Storage SOP Instance UID for files that only carry it there.
    public let sopClassUID: String, sopInstanceUID: String
    public let studyInstanceUID: String, seriesInstanceUID: String, frameOfReferenceUID: String
    public let modality: String
    public let patientName: String, patientID: String
    public let studyDate: String, studyDescription: String, seriesDescription: String
    public let protocolName: String, imageComments: String, imageType: String
    public let seriesNumber: Int?, instanceNumber: Int?
    /// Seconds after midnight (AcquisitionTime, else ContentTime), and the contrast bolus start time.
    public let acquisitionSeconds: Double?, contrastStartSeconds: Double?
    /// Contrast/Bolus Agent and Route (empty when not given).
    public let contrastAgent: String, contrastRoute: String
    /// Image Position (Patient) of the first voxel, mm in LPS, and the row / column direction cosines.
    public let position: SIMD3<Double>?
    public let rowDirection: SIMD3<Double>?, columnDirection: SIMD3<Double>?
    /// Pixel spacing as (between columns, between rows) in mm, i.e. along x then y.
    public let pixelSpacing: SIMD2<Double>?
    public let sliceThickness: Double?
    /// Gantry/Detector Tilt (0018,1120), degrees, when given.
    public let gantryTilt: Double?
    public let rows: Int, columns: Int, frames: Int
    /// Rescale to output units (HU for CT): value = slope * stored + intercept.
    public let rescaleSlope: Double, rescaleIntercept: Double
    public let transferSyntaxUID: String

    /// Slice normal (row × column), when the orientation is given.
    public var normal: SIMD3<Double>? {
        guard let r = rowDirection, let c = columnDirection else { return nil }
        return cross(r, c)
    }

    /// Reads the attributes from an open file.
    /// - Throws: `DicomError` when the file lacks the UIDs every instance must have.
    public init(reading file: DicomFile) throws {
        func text(_ tag: DicomTag) -> String { file.string(tag) ?? "" }
        path = file.path
        sopClassUID = file.string(.sopClassUID) ?? text(.mediaStorageSOPClassUID)
        sopInstanceUID = file.string(.sopInstanceUID) ?? text(.mediaStorageSOPInstanceUID)
        guard !sopInstanceUID.isEmpty else { throw DicomError("\(file.path): no SOP Instance UID") }
        studyInstanceUID = text(.studyInstanceUID)
        seriesInstanceUID = text(.seriesInstanceUID)
        frameOfReferenceUID = text(.frameOfReferenceUID)
        modality = text(.modality)
        patientName = text(.patientName); patientID = text(.patientID)
        studyDate = text(.studyDate); studyDescription = text(.studyDescription)
        seriesDescription = text(.seriesDescription); protocolName = text(.protocolName)
        imageComments = text(.imageComments); imageType = text(.imageType)
        seriesNumber = file.number(.seriesNumber).flatMap { Int(exactly: $0.rounded()) }
        instanceNumber = file.number(.instanceNumber).flatMap { Int(exactly: $0.rounded()) }
        acquisitionSeconds = DicomTime.seconds(file.string(.acquisitionTime) ?? file.string(.contentTime) ?? "")
        contrastStartSeconds = DicomTime.seconds(text(.contrastBolusStartTime))
        contrastAgent = text(.contrastBolusAgent); contrastRoute = text(.contrastBolusRoute)
        position = file.numbers(.imagePositionPatient).flatMap { $0.count == 3 ? SIMD3($0[0], $0[1], $0[2]) : nil }
        let orientation = file.numbers(.imageOrientationPatient).flatMap { $0.count == 6 ? $0 : nil }
        rowDirection = orientation.flatMap { DicomInstance.unit(SIMD3($0[0], $0[1], $0[2])) }
        columnDirection = orientation.flatMap { DicomInstance.unit(SIMD3($0[3], $0[4], $0[5])) }
        // PixelSpacing is (row spacing, column spacing): the step between rows is along y.
        pixelSpacing = file.numbers(.pixelSpacing).flatMap { $0.count == 2 && $0[0] > 0 && $0[1] > 0 ? SIMD2($0[1], $0[0]) : nil }
        sliceThickness = file.number(.sliceThickness)
        gantryTilt = file.number(.gantryDetectorTilt)
        rows = file.number(.rows).flatMap { Int(exactly: $0) } ?? 0
        columns = file.number(.columns).flatMap { Int(exactly: $0) } ?? 0
        frames = file.number(.numberOfFrames).flatMap { Int(exactly: $0.rounded()) } ?? 1
        let slope = file.number(.rescaleSlope) ?? 1
        rescaleSlope = slope == 0 ? 1 : slope
        rescaleIntercept = file.number(.rescaleIntercept) ?? 0
        transferSyntaxUID = text(.transferSyntaxUID)
    }

    /// `v` normalised, or nil when it is (nearly) zero.
    static func unit(_ v: SIMD3<Double>) -> SIMD3<Double>? {
        let length = (v * v).sum().squareRoot()
        return length > 1e-6 ? v / length : nil
    }
}

/// DICOM TM values.
enum DicomTime {
    /// Seconds after midnight of a TM value (`HHMMSS.FFFFFF`, `HHMM`, `HH`, or the old `HH:MM:SS`), nil if invalid.
    static func seconds(_ text: String) -> Double? {
        let digits = text.replacingOccurrences(of: ":", with: "").split(separator: "\\").first.map(String.init) ?? ""
        let parts = digits.split(separator: ".", maxSplits: 1)
        guard let whole = parts.first, whole.count >= 2, whole.count <= 6, whole.count % 2 == 0,
              whole.allSatisfy(\.isNumber) else { return nil }
        let fields = stride(from: 0, to: whole.count, by: 2).map { i -> Double in
            let start = whole.index(whole.startIndex, offsetBy: i)
            return Double(whole[start..<whole.index(start, offsetBy: 2)])!
        }
        var seconds = fields[0] * 3600 + (fields.count > 1 ? fields[1] * 60 : 0) + (fields.count > 2 ? fields[2] : 0)
        if parts.count == 2, let fraction = Double("0." + parts[1]) { seconds += fraction }
        guard fields[0] < 24, fields.count < 2 || fields[1] < 60, fields.count < 3 || fields[2] < 61 else { return nil }
        return seconds
    }
}
