import CDICOM
import Foundation

/// Keeps C copies of Swift strings (and C arrays) alive while a request struct that points at them is
/// passed to CDICOM; everything is freed when the arena goes away.
final class CStringArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { blocks.forEach { free($0) } }

    /// A NUL-terminated copy of `text`.
    func string(_ text: String) -> UnsafePointer<CChar> {
        let copy = strdup(text)!
        blocks.append(UnsafeMutableRawPointer(copy))
        return UnsafePointer(copy)
    }

    /// A C array holding `values` (nil for an empty array).
    func array<T>(_ values: [T]) -> UnsafePointer<T>? {
        guard !values.isEmpty else { return nil }
        let memory = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        memory.initialize(from: values, count: values.count)
        blocks.append(UnsafeMutableRawPointer(memory))
        return UnsafePointer(memory)
    }

    /// The concept as a `cdicom_code`.
    func code(_ concept: CodedConcept) -> cdicom_code {
        cdicom_code(value: string(concept.value), scheme: string(concept.scheme), meaning: string(concept.meaning))
    }

    /// The identity as a `cdicom_object_identity`.
    func identity(_ id: DicomObjectIdentity) -> cdicom_object_identity {
        cdicom_object_identity(series_instance_uid: string(id.seriesInstanceUID), sop_instance_uid: string(id.sopInstanceUID),
                               series_description: string(id.seriesDescription), series_number: Int32(clamping: id.seriesNumber),
                               instance_number: Int32(clamping: id.instanceNumber), content_date: string(id.contentDate),
                               content_time: string(id.contentTime), manufacturer: string(id.manufacturer),
                               model_name: string(id.modelName), device_serial_number: string(id.deviceSerialNumber),
                               software_versions: string(id.softwareVersions))
    }

    /// Hepatix's private coding scheme as a `cdicom_coding_scheme`.
    func hepatixScheme() -> cdicom_coding_scheme {
        cdicom_coding_scheme(designator: string(HepatixCodingScheme.designator), name: string(HepatixCodingScheme.name),
                             responsible_organization: string(HepatixCodingScheme.responsibleOrganization),
                             version: string(HepatixCodingScheme.version))
    }

    /// Calls a CDICOM writer with a message buffer; throws its message as a `DicomError`.
    static func call(_ what: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
        _ = dicomLoggingSilenced
        var message = [CChar](repeating: 0, count: 1024)
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        guard status == 0 else { throw DicomError("\(what): \(cText(message))") }
    }
}
