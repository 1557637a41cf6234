import CDICOM
import Foundation

/// One parsed DICOM file (through DCMTK). Values above 4 KB, pixel data included, stay on disk until a
/// frame is decoded. Not shared between threads: open one per worker.
public final class DicomFile {
    /// The file's path.
    public let path: String
    private let handle: OpaquePointer

    /// Parses `path`; with `headerOnly`, parsing stops at Pixel Data (cheap folder scans).
    /// - Throws: `DicomError` naming the file when it is missing, truncated or not DICOM.
    public init(path: String, headerOnly: Bool = false) throws {
        _ = dicomLoggingSilenced
        var message = [CChar](repeating: 0, count: 512)
        var opened: OpaquePointer?
        guard cdicom_open(path, headerOnly ? 1 : 0, &opened, &message, message.count) == 0, let opened else {
            throw DicomError("\(path): \(cText(message))")
        }
        self.path = path
        handle = opened
    }

    deinit { cdicom_close(handle) }


    /// The attribute's text (dataset first, then the file meta header), or nil when absent.
    /// Multi-valued attributes keep DICOM's backslash separators.
    public func string(_ tag: DicomTag) -> String? {
        text { cdicom_string(handle, tag.group, tag.element, $0, $1) }
    }

    /// The attribute's text inside item `item` of `sequence`, or nil.
    public func string(_ tag: DicomTag, inSequence sequence: DicomTag, item: Int = 0) -> String? {
        guard item >= 0, item < sequenceCount(sequence) else { return nil }
        return text { cdicom_sequence_string(handle, sequence.group, sequence.element, UInt32(item), tag.group, tag.element, $0, $1) }
    }

    /// Items in the sequence `tag` (0 when absent).
    public func sequenceCount(_ tag: DicomTag) -> Int { Int(cdicom_sequence_count(handle, tag.group, tag.element)) }

    /// The attribute's numeric values (DS/IS text or binary US/SS/FL/FD), nil when absent or not numeric.
    public func numbers(_ tag: DicomTag) -> [Double]? {
        guard let text = string(tag), !text.isEmpty else { return nil }
        var values: [Double] = []
        for part in text.split(separator: "\\", omittingEmptySubsequences: false) {
            guard let value = Double(part.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
            values.append(value)
        }
        return values
    }

    /// The first numeric value of the attribute, or nil.
    public func number(_ tag: DicomTag) -> Double? { numbers(tag)?.first }

    /// The pixel data layout, validated (sizes, bits, length of native pixel data).
    public func pixelLayout() throws -> DicomPixelLayout {
        var layout = cdicom_pixel_layout()
        var message = [CChar](repeating: 0, count: 512)
        guard cdicom_pixel_layout_get(handle, &layout, &message, message.count) == 0 else {
            throw DicomError("\(path): \(cText(message))")
        }
        return DicomPixelLayout(layout)
    }

    /// Decodes frame `frame` into `output` (rows * columns * samples stored values, not rescaled).
    public func decodeFrame(_ frame: Int, into output: UnsafeMutableBufferPointer<Int32>) throws {
        var message = [CChar](repeating: 0, count: 512)
        guard frame >= 0, frame <= Int(UInt32.max), let base = output.baseAddress,
              cdicom_decode_frame(handle, UInt32(frame), base, output.count, &message, message.count) == 0 else {
            throw DicomError("\(path): frame \(frame): \(cText(message))")
        }
    }

    private func text(_ read: (UnsafeMutablePointer<CChar>, Int) -> Int) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer { read($0.baseAddress!, $0.count) }
        if length < 0 { return nil }
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: length + 1)
            _ = buffer.withUnsafeMutableBufferPointer { read($0.baseAddress!, $0.count) }
        }
        return cText(buffer)
    }
}

/// How a file stores its pixels (PS3.3 Image Pixel module), as read and validated by `DicomFile`.
public struct DicomPixelLayout: Sendable, Equatable {
    public let rows: Int, columns: Int, frames: Int, samplesPerPixel: Int
    public let bitsAllocated: Int, bitsStored: Int, pixelRepresentation: Int
    /// True when the pixel data is compressed (encapsulated).
    public let encapsulated: Bool
    /// Transfer syntax UID the file was read with, and the photometric interpretation.
    public let transferSyntax: String, photometric: String

    /// Stored values per frame.
    public var samplesPerFrame: Int { rows * columns * samplesPerPixel }

    init(_ c: cdicom_pixel_layout) {
        rows = Int(c.rows); columns = Int(c.columns); frames = Int(c.frames); samplesPerPixel = Int(c.samples_per_pixel)
        bitsAllocated = Int(c.bits_allocated); bitsStored = Int(c.bits_stored); pixelRepresentation = Int(c.pixel_representation)
        encapsulated = c.encapsulated != 0
        transferSyntax = withUnsafeBytes(of: c.transfer_syntax) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        photometric = withUnsafeBytes(of: c.photometric) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
