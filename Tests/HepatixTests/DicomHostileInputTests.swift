import Foundation
import Testing
@testable import Hepatix

/// Hostile DICOM made from a real CT (pydicom's CT_small.dcm): truncated at many points, a wrong VR, absurd
/// lengths, missing pixel data, and a few thousand random mutations. Every one must come back as a value or
/// a `DicomError` naming the file, never a crash (the libFuzzer harness of `make fuzz` goes further).
@Suite struct DicomHostileInputTests {
    static let sample = DicomTestSupport.shared + "/data/pydicom-samples/CT_small.dcm"

    /// Byte offset of the first explicit-VR element with this tag in `bytes`.
    static func offset(of group: UInt16, _ element: UInt16, in bytes: [UInt8]) -> Int? {
        let key: [UInt8] = [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8)]
        return (132..<(bytes.count - 8)).first { Array(bytes[$0..<($0 + 4)]) == key }
    }

    /// Writes `bytes` to a temporary file and runs everything the loader would run on it; returns the
    /// error, or nil when the file read and decoded.
    static func readAll(_ bytes: [UInt8], name: String) throws -> DicomError? {
        let path = NSTemporaryDirectory() + "hepatix-hostile-\(getpid())-\(name).dcm"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let header = try DicomFile(path: path, headerOnly: true)
            _ = try? DicomInstance(reading: header)
            let file = try DicomFile(path: path)
            let layout = try file.pixelLayout()
            guard layout.samplesPerFrame <= 1 << 24 else { return DicomError("frame too large to test") }
            var pixels = [Int32](repeating: 0, count: layout.samplesPerFrame)
            try pixels.withUnsafeMutableBufferPointer { try file.decodeFrame(0, into: $0) }
            return nil
        } catch let error as DicomError {
            #expect(error.description.contains(path), "message does not name the file: \(error)")
            return error
        }
    }

    @Test func truncatedFilesReturnErrors() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        let pixelData = try #require(Self.offset(of: 0x7FE0, 0x0010, in: bytes))
        // Cut inside the preamble, the meta header, the dataset, the pixel data header and the pixel values.
        for cut in [10, 131, 140, 300, 700, pixelData + 6, pixelData + 20, bytes.count / 2 + pixelData / 2, bytes.count - 1] {
            let error = try Self.readAll(Array(bytes.prefix(cut)), name: "cut\(cut)")
            #expect(error != nil, "a file cut at \(cut) of \(bytes.count) bytes was accepted")
        }
    }

    @Test func missingPixelDataIsReported() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        let pixelData = try #require(Self.offset(of: 0x7FE0, 0x0010, in: bytes))
        let error = try #require(try Self.readAll(Array(bytes.prefix(pixelData)), name: "nopixels"))
        #expect(error.description.contains("no pixel data"), "\(error)")
    }

    @Test func wrongVRAndAbsurdLengthsReturnErrors() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        // Rows (0028,0010) US 2 -> "SQ": the rest of the dataset is misparsed.
        var wrongVR = bytes
        let rows = try #require(Self.offset(of: 0x0028, 0x0010, in: bytes))
        wrongVR[rows + 4] = UInt8(ascii: "S"); wrongVR[rows + 5] = UInt8(ascii: "Q")
        #expect(try Self.readAll(wrongVR, name: "vr") != nil)
        // Pixel Data length (OW: 2 reserved bytes then a 32-bit length) of ~4 GB in a 39 KB file.
        var absurd = bytes
        let pixelData = try #require(Self.offset(of: 0x7FE0, 0x0010, in: bytes))
        for i in 0..<4 { absurd[pixelData + 8 + i] = 0xFF }
        absurd[pixelData + 8] = 0xF0
        #expect(try Self.readAll(absurd, name: "length") != nil)
        // Rows' value length 2 -> 0xFFFF: every later element is read from the wrong place.
        var longRows = bytes
        longRows[rows + 6] = 0xFF; longRows[rows + 7] = 0xFF
        #expect(try Self.readAll(longRows, name: "rowslength") != nil)
    }

    /// 2000 random mutations (1-16 bytes each, fixed seed) of the dataset part never crash.
    @Test func randomMutationsNeverCrash() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.sample)))
        var state: UInt64 = 0x9E3779B97F4A7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var refused = 0
        for round in 0..<2000 {
            var mutated = bytes
            for _ in 0..<(1 + Int(next() % 16)) {
                let at = 132 + Int(next() % UInt64(bytes.count - 132))
                mutated[at] = UInt8(truncatingIfNeeded: next())
            }
            if try Self.readAll(mutated, name: "mutation\(round % 4)") != nil { refused += 1 }
        }
        #expect(refused > 0)
    }
}
