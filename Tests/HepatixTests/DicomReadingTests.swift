import Foundation
import Testing
@testable import Hepatix

/// DICOM reading against external truth: pydicom's decoded hashes of real files in every transfer
/// syntax we have samples for, and series written by an independent generator (pydicom).
struct DicomReadingTests {
    static let samples = DicomTestSupport.shared + "/data/pydicom-samples"

    /// Every sample decodes to exactly the stored values pydicom (+ pylibjpeg-openjpeg) produced:
    /// same min, max, sum and SHA-256 of the values in the manifest's numpy dtype (1-bit SEG frames
    /// unpacked to one byte per pixel). Covers explicit little and big endian, deflated datasets,
    /// JPEG 2000 lossless and a 14-of-16-bit signed CT.
    @Test func pydicomSamplesMatchManifest() throws {
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.samples + "/manifest.json"))) as? [String: [String: Any]])
        #expect(manifest.count == 6)
        for (name, entry) in manifest.sorted(by: { $0.key < $1.key }) {
            let file = try DicomFile(path: Self.samples + "/" + name)
            let layout = try file.pixelLayout()
            #expect(layout.rows == entry["rows"] as? Int && layout.columns == entry["columns"] as? Int, "\(name)")
            #expect(layout.transferSyntax == entry["transfer_syntax_uid"] as? String, "\(name)")
            var values = [Int32](repeating: 0, count: layout.samplesPerFrame)
            try values.withUnsafeMutableBufferPointer { try file.decodeFrame(0, into: $0) }
            let decoded = try #require(entry["decoded_stored_values"] as? [String: Any])
            #expect(Int(values.min()!) == decoded["min"] as? Int && Int(values.max()!) == decoded["max"] as? Int, "\(name)")
            #expect(values.reduce(0) { $0 + Int($1) } == decoded["sum"] as? Int, "\(name)")
            let bytes: [UInt8]
            switch decoded["numpy_dtype"] as? String {
            case "int16": bytes = values.flatMap { withUnsafeBytes(of: Int16($0).littleEndian, Array.init) }
            case "uint8": bytes = values.map { UInt8($0) }
            default: Issue.record("unexpected dtype for \(name)"); continue
            }
            #expect(try DicomTestSupport.sha256(bytes) == decoded["sha256_le_row_major"] as? String, "\(name)")
            if let rescale = entry["rescale_slope_intercept"] as? [Double] {
                let instance = try DicomInstance(reading: file)
                #expect(instance.rescaleSlope == rescale[0] && instance.rescaleIntercept == rescale[1], "\(name)")
            }
        }
    }

    /// Files that are not DICOM, or are cut short, are refused with a message naming the file, never a crash.
    @Test func nonDicomAndTruncatedFilesAreRefused() throws {
        let folder = try DicomTestSupport.temporaryFolder("refuse")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ct = try Data(contentsOf: URL(fileURLWithPath: Self.samples + "/CT_small.dcm"))
        try Data("not dicom at all".utf8).write(to: URL(fileURLWithPath: folder + "/text.dcm"))
        for cut in [0, 100, 131, 140, 600, ct.count - 1000] {
            try ct.prefix(cut).write(to: URL(fileURLWithPath: folder + "/cut\(cut).dcm"))
        }
        let scan = try DicomScanner.scan([folder])
        // Cuts inside the pixel data still parse as headers (pixel data is read later): those must fail on decoding.
        for instance in scan.instances {
            #expect(throws: DicomError.self) {
                let file = try DicomFile(path: instance.path)
                var values = [Int32](repeating: 0, count: 128 * 128)
                _ = try file.pixelLayout()
                try values.withUnsafeMutableBufferPointer { try file.decodeFrame(0, into: $0) }
            }
        }
        #expect(scan.refused.count + scan.instances.count == 7)
        #expect(scan.refused.allSatisfy { $0.reason.contains($0.path) })
    }

    /// Phase rules beyond descriptions: timing after the bolus, a series without agent, and time order.
    @Test func phaseRules() {
        let byTiming = PhaseClassifier.classify([
            PhaseCues(text: "", contrastAgent: "IOHEXOL", acquisitionSeconds: 36_040, contrastStartSeconds: 36_000),
            PhaseCues(text: "", contrastAgent: "IOHEXOL", acquisitionSeconds: 36_075, contrastStartSeconds: 36_000),
            PhaseCues(text: "", contrastAgent: "IOHEXOL", acquisitionSeconds: 36_180, contrastStartSeconds: 36_000),
            PhaseCues(text: "", contrastAgent: "", acquisitionSeconds: 35_900),
        ])
        #expect(byTiming.map(\.phase) == [.arterial, .portalVenous, .delayed, .unenhanced])
        let byOrder = PhaseClassifier.classify([
            PhaseCues(text: "ABDOMEN 5MM", contrastAgent: "X", acquisitionSeconds: 500),
            PhaseCues(text: "ABDOMEN 5MM", contrastAgent: "X", acquisitionSeconds: 100),
            PhaseCues(text: "Late Arterial 1mm", contrastAgent: "X", acquisitionSeconds: 50),
        ])
        #expect(byOrder.map(\.phase) == [.delayed, .portalVenous, .arterial])
        #expect(PhaseClassifier.classify([PhaseCues(text: "C-  native"), PhaseCues(text: "PVP 70s")]).map(\.phase) == [.unenhanced, .portalVenous])
        #expect(PhaseClassifier.classify([PhaseCues(text: "", acquisitionSeconds: 10)]).map(\.phase) == [.unknown])
    }
}
