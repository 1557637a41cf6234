import Foundation

/// What identifies a DICOM object Hepatix writes and the equipment that wrote it. Patient and study
/// attributes are never here: they are copied from the source images.
public struct DicomObjectIdentity: Sendable {
    public var seriesInstanceUID: String
    public var sopInstanceUID: String
    public var seriesDescription: String
    public var seriesNumber: Int
    public var instanceNumber: Int
    /// Content Date (YYYYMMDD) and Time (HHMMSS); fix them for byte-reproducible files.
    public var contentDate: String, contentTime: String
    public var manufacturer = "Hepatix project"
    public var modelName = "Hepatix"
    public var deviceSerialNumber = "1"
    public var softwareVersions = BuildInfo.versionString

    /// A new object: fresh UIDs and the current date and time (UTC).
    public init(seriesDescription: String, seriesNumber: Int, instanceNumber: Int = 1, date: Date = Date()) {
        seriesInstanceUID = DicomUID.make()
        sopInstanceUID = DicomUID.make()
        self.seriesDescription = seriesDescription
        self.seriesNumber = seriesNumber
        self.instanceNumber = instanceNumber
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd"
        contentDate = formatter.string(from: date)
        formatter.dateFormat = "HHmmss"
        contentTime = formatter.string(from: date)
    }
}
