import CDICOM

/// Why DICOM input could not be read, grouped or loaded (or output written): always names the file or
/// series and the problem, so a user can act on it.
public struct DicomError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message.
    public let description: String
    init(_ message: String) { description = message }
}

/// DCMTK's own logging, silenced once before any DCMTK call: its problems come back as error messages.
let dicomLoggingSilenced: Void = cdicom_quiet_logging()

/// The text in a NUL-terminated C character buffer.
func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
