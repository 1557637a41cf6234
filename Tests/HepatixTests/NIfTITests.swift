import Foundation
import Testing
@testable import Hepatix

/// NIfTI reading and writing: round trips, the published example files against their raw forms, and
/// refusal of truncated or hostile files.
struct NIfTITests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    static func temporary(_ name: String) -> String { NSTemporaryDirectory() + "hepatix-nifti-\(getpid())-" + name }

    /// Integer and fractional volumes survive a write and read, plain and gzip-compressed, with their
    /// spacing and a rotated, shifted affine (float32 storage: fractions are checked to float precision).
    @Test(arguments: [".nii", ".nii.gz"])
    func roundTrip(suffix: String) throws {
        let affine = [SIMD4(0.0, -0.8, 0, 12.5), SIMD4(0.8, 0, 0, -3), SIMD4(0, 0, 2.5, 40), SIMD4(0, 0, 0, 1)]
        for integral in [true, false] {
            let values: [Double] = (0..<(7 * 5 * 3)).map { (k: Int) -> Double in
                integral ? Double(k * 37 % 2001 - 1000) : Double(k) * 0.37 - 9.1
            }
            let volume = try NIfTIVolume(nx: 7, ny: 5, nz: 3, spacing: SIMD3(0.8, 0.8, 2.5), values: values, affine: affine)
            let path = Self.temporary("round\(integral)\(suffix)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try volume.write(path)
            let back = try NIfTIVolume.read(path)
            #expect((back.nx, back.ny, back.nz) == (7, 5, 3) && back.spacing == SIMD3(Double(Float(0.8)), Double(Float(0.8)), 2.5))
            #expect(zip(back.values, values).allSatisfy { abs($0 - $1) <= (integral ? 0 : 1e-6 * max(1, abs($1))) })
            #expect(zip(back.affine, affine).allSatisfy { a, b in (0..<4).allSatisfy { abs(a[$0] - b[$0]) < 1e-6 } })
        }
    }

    /// TotalSegmentator's example CT and label map: the NIfTI and the raw forms hold the same voxels, and
    /// the NIfTI affine is the raw form's LPS geometry turned to RAS (x and y negated).
    @Test func totalSegmentatorExampleMatchesRaw() throws {
        let folder = Self.shared + "/data/totalseg-example"
        try #require(FileManager.default.fileExists(atPath: folder + "/example_ct_sm.nii.gz"), "../shared/data/totalseg-example is missing")
        let nifti = try NIfTIVolume.read(folder + "/example_ct_sm.nii.gz")
        let meta = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/example_ct_sm_hu_int16.json"))) as? [String: Any])
        let shape = try #require(meta["shape_xyz"] as? [Int]), origin = try #require(meta["origin_lps_mm"] as? [Double])
        let direction = try #require((meta["direction_lps"] as? [String: Any])?["matrix"] as? [[Double]])
        let spacing = try #require(meta["spacing_mm"] as? [Double])
        #expect([nifti.nx, nifti.ny, nifti.nz] == shape)
        let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/example_ct_sm_hu_int16.raw"))
        let rawValues = raw.withUnsafeBytes { b in (0..<(raw.count / 2)).map { Double(Int16(littleEndian: b.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self))) } }
        #expect(nifti.values == rawValues)
        for r in 0..<3 {
            let flip = r < 2 ? -1.0 : 1.0   // LPS -> RAS
            for c in 0..<3 { #expect(abs(nifti.affine[r][c] - flip * direction[r][c] * spacing[c]) < 1e-4) }
            #expect(abs(nifti.affine[r][3] - flip * origin[r]) < 1e-3)
        }
        let labels = try NIfTIVolume.read(folder + "/example_seg.nii.gz")
        let rawLabels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/example_seg_labels_uint8.raw")))
        #expect([labels.nx, labels.ny, labels.nz] == shape)
        #expect(labels.values == rawLabels.map(Double.init))
        #expect(labels.affine == nifti.affine)
    }

    /// Truncated data, a truncated gzip stream, absurd dimensions, 4D data, an unknown type and a file
    /// that is not NIfTI are refused with a message naming the problem.
    @Test func badFilesAreRefused() throws {
        let volume = try NIfTIVolume(nx: 4, ny: 4, nz: 4, spacing: SIMD3(1, 1, 1), values: (0..<64).map(Double.init))
        let good = Self.temporary("good.nii")
        try volume.write(good)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        func refused(_ mutate: (inout [UInt8]) -> Void, gzip: Bool = false, _ expected: String) throws {
            var b = bytes
            mutate(&b)
            let path = Self.temporary("bad.nii" + (gzip ? ".gz" : ""))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let data = gzip ? try Gzip.deflate(b, path: path) : Data(b)
            try (gzip ? data.prefix(data.count / 2) : data).write(to: URL(fileURLWithPath: path))
            #expect(throws: NIfTIError.self) { _ = try NIfTIVolume.read(path) }
            do { _ = try NIfTIVolume.read(path) } catch { #expect("\(error)".contains(expected), "\(error)") }
        }
        try refused({ $0.removeLast(10) }, "truncated")
        try refused({ _ in }, gzip: true, "truncated")
        try refused({ $0[42] = 0x00; $0[43] = 0x80 }, "out of range")                 // dim[1] = -32768
        try refused({ $0[40] = 4; $0[48] = 2 }, "single 3D volumes")                  // dim[0] = 4, dim[4] = 2
        try refused({ $0[70] = 99 }, "datatype 99")
        try refused({ $0[0] = 1 }, "not NIfTI")
        try refused({ $0[80] = 0; $0[81] = 0; $0[82] = 0xC0; $0[83] = 0x7F }, "positive and finite")   // pixdim[1] = NaN
    }

    /// A small fuzz loop: 400 copies of a valid file with 1-4 random header bytes changed, and 100
    /// random truncations of its gzip form, are each read or refused with an error, never a crash
    /// (a trap here would abort the test process).
    @Test func corruptedHeadersNeverCrash() throws {
        let volume = try NIfTIVolume(nx: 6, ny: 5, nz: 4, spacing: SIMD3(0.5, 0.5, 2), values: (0..<120).map { Double($0) * 1.5 })
        let good = Self.temporary("fuzz.nii")
        try volume.write(good)
        defer { try? FileManager.default.removeItem(atPath: good) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        let path = Self.temporary("fuzzed.nii")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var random = CounterRandom(seed: 99, counter: 0)
        var refused = 0
        for _ in 0..<400 {
            var b = bytes
            for _ in 0...random.below(4) { b[random.below(352)] = UInt8(random.below(256)) }
            try Data(b).write(to: URL(fileURLWithPath: path))
            do { _ = try NIfTIVolume.read(path) } catch { refused += 1 }
        }
        let gz = try Gzip.deflate(bytes, path: path)
        for _ in 0..<100 {
            try gz.prefix(random.below(gz.count)).write(to: URL(fileURLWithPath: path))
            do { _ = try NIfTIVolume.read(path) } catch { refused += 1 }
        }
        #expect(refused > 100, "only \(refused) of 500 corrupted files were refused")
    }
}
