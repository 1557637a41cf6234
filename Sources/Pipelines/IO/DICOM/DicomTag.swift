/// A DICOM attribute tag (group, element).
public struct DicomTag: Hashable, Sendable, CustomStringConvertible {
    public let group: UInt16
    public let element: UInt16

    /// The tag (group, element).
    public init(_ group: UInt16, _ element: UInt16) { (self.group, self.element) = (group, element) }

    /// `(gggg,eeee)` in hexadecimal, as DICOM writes tags.
    public var description: String {
        func hex(_ v: UInt16) -> String { let s = String(v, radix: 16, uppercase: true); return String(repeating: "0", count: 4 - s.count) + s }
        return "(\(hex(group)),\(hex(element)))"
    }
}

/// The attributes Hepatix reads, named as in DICOM PS3.6.
public extension DicomTag {
    static let transferSyntaxUID = DicomTag(0x0002, 0x0010)
    static let mediaStorageSOPClassUID = DicomTag(0x0002, 0x0002)
    static let mediaStorageSOPInstanceUID = DicomTag(0x0002, 0x0003)
    static let specificCharacterSet = DicomTag(0x0008, 0x0005)
    static let imageType = DicomTag(0x0008, 0x0008)
    static let sopClassUID = DicomTag(0x0008, 0x0016)
    static let sopInstanceUID = DicomTag(0x0008, 0x0018)
    static let studyDate = DicomTag(0x0008, 0x0020)
    static let seriesDate = DicomTag(0x0008, 0x0021)
    static let acquisitionDate = DicomTag(0x0008, 0x0022)
    static let studyTime = DicomTag(0x0008, 0x0030)
    static let seriesTime = DicomTag(0x0008, 0x0031)
    static let acquisitionTime = DicomTag(0x0008, 0x0032)
    static let contentTime = DicomTag(0x0008, 0x0033)
    static let accessionNumber = DicomTag(0x0008, 0x0050)
    static let modality = DicomTag(0x0008, 0x0060)
    static let manufacturer = DicomTag(0x0008, 0x0070)
    static let referringPhysicianName = DicomTag(0x0008, 0x0090)
    static let studyDescription = DicomTag(0x0008, 0x1030)
    static let seriesDescription = DicomTag(0x0008, 0x103E)
    static let patientName = DicomTag(0x0010, 0x0010)
    static let patientID = DicomTag(0x0010, 0x0020)
    static let patientBirthDate = DicomTag(0x0010, 0x0030)
    static let patientSex = DicomTag(0x0010, 0x0040)
    static let patientAge = DicomTag(0x0010, 0x1010)
    static let contrastBolusAgent = DicomTag(0x0018, 0x0010)
    static let bodyPartExamined = DicomTag(0x0018, 0x0015)
    static let sliceThickness = DicomTag(0x0018, 0x0050)
    static let kvp = DicomTag(0x0018, 0x0060)
    static let protocolName = DicomTag(0x0018, 0x1030)
    static let contrastBolusRoute = DicomTag(0x0018, 0x1040)
    static let contrastBolusVolume = DicomTag(0x0018, 0x1041)
    static let contrastBolusStartTime = DicomTag(0x0018, 0x1042)
    static let gantryDetectorTilt = DicomTag(0x0018, 0x1120)
    static let exposure = DicomTag(0x0018, 0x1152)
    static let convolutionKernel = DicomTag(0x0018, 0x1210)
    static let studyInstanceUID = DicomTag(0x0020, 0x000D)
    static let seriesInstanceUID = DicomTag(0x0020, 0x000E)
    static let studyID = DicomTag(0x0020, 0x0010)
    static let seriesNumber = DicomTag(0x0020, 0x0011)
    static let acquisitionNumber = DicomTag(0x0020, 0x0012)
    static let instanceNumber = DicomTag(0x0020, 0x0013)
    static let imagePositionPatient = DicomTag(0x0020, 0x0032)
    static let imageOrientationPatient = DicomTag(0x0020, 0x0037)
    static let frameOfReferenceUID = DicomTag(0x0020, 0x0052)
    static let sliceLocation = DicomTag(0x0020, 0x1041)
    static let imageComments = DicomTag(0x0020, 0x4000)
    static let rows = DicomTag(0x0028, 0x0010)
    static let columns = DicomTag(0x0028, 0x0011)
    static let numberOfFrames = DicomTag(0x0028, 0x0008)
    static let pixelSpacing = DicomTag(0x0028, 0x0030)
    static let pixelPaddingValue = DicomTag(0x0028, 0x0120)
    static let rescaleIntercept = DicomTag(0x0028, 0x1052)
    static let rescaleSlope = DicomTag(0x0028, 0x1053)
    static let rescaleType = DicomTag(0x0028, 0x1054)
}
