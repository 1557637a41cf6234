import Foundation
import Testing
@testable import Hepatix

/// Measured micro-CT (the tomopy tooth, `Tests/Fixtures/tomopy-tooth`): loading, the rotation-centre
/// search and refusal of broken datasets.
struct TomoReconstructionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tomopy-tooth").path

    @Test func loadsTheTooth() throws {
        let d = try TomoDataset.load(folder: Self.fixture)
        #expect(d.rows == 2 && d.columns == 640 && d.angles.count == 181)
        #expect(abs(d.angles[180] - 180 * .pi / 181) < 1e-12)   // k * pi / 181: the scan stops short of pi
        let (p, clipped) = TomoReconstruction.lineIntegrals(d)
        #expect(clipped == 0)
        #expect(p.min()! > -0.2 && p.max()! < 2.5)   // the README's transmissions 0.1417...1.1026
    }

    /// The documented centre is 296.0 (rows 296.15 and 295.95 by TomoPy's entropy criterion). The issue
    /// asks for 0.5 column; our histogram counts only pixels inside the circle, which moves the minimum
    /// by a few hundredths, so 0.5 is a real bound, not a loose one (a half-pixel-biased shift or a
    /// flipped sign lands 0.5 to 48 columns away).
    @Test func findsTheDocumentedCentre() throws {
        let d = try TomoDataset.load(folder: Self.fixture)
        let result = try TomoReconstruction.reconstruct(d, options: { var o = TomoReconstruction.Options(); o.threads = 2; return o }())
        #expect(abs(result.centre - 296.0) < 0.5)
        #expect(result.rowCentres.allSatisfy { abs($0 - 296.0) < 0.5 })
        #expect(result.slices.count == 2 * 640 * 640 && result.slices.allSatisfy(\.isFinite))
        // Attenuation inside the tooth (image centre) is positive, air far outside is near zero.
        let centre = result.slices[320 * 640 + 320], corner = result.slices[20 * 640 + 320]
        #expect(centre > 10 * abs(corner))
    }

    /// Truncated, oversized or mistyped files are refused with a message, never a crash.
    @Test func refusesBrokenDatasets() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hx-tomo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.fixture) where !name.hasSuffix(".md") {
            try FileManager.default.copyItem(atPath: Self.fixture + "/" + name, toPath: dir + "/" + name)
        }
        _ = try TomoDataset.load(folder: dir)
        let raw = dir + "/projections_float32.raw", json = dir + "/projections_float32.json"
        let original = try Data(contentsOf: URL(fileURLWithPath: json))
        try Data(try Data(contentsOf: URL(fileURLWithPath: raw)).prefix(1000)).write(to: URL(fileURLWithPath: raw))
        #expect(throws: TomoDataset.Failure.self) { try TomoDataset.load(folder: dir) }
        for hostile in [#"{"dtype": "float32", "shape_c_order": [4294967296, 4294967296, 2]}"#,
                        #"{"dtype": "int8", "shape_c_order": [181, 2, 640]}"#, #"{"shape_c_order": "x"}"#, "not json"] {
            try Data(hostile.utf8).write(to: URL(fileURLWithPath: json))
            #expect(throws: TomoDataset.Failure.self) { try TomoDataset.load(folder: dir) }
        }
        try original.write(to: URL(fileURLWithPath: json))
        try FileManager.default.removeItem(atPath: dir + "/flats_float32.raw")
        #expect(throws: TomoDataset.Failure.self) { try TomoDataset.load(folder: dir) }
    }
}
