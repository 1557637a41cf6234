import Foundation
import Testing
@testable import Hepatix

/// Series written by an independent generator (`../shared/peers/dicom/gen_ct_series.py`, pydicom):
/// phases, geometry and HU against its truth; slices named in random order; missing, duplicated and
/// tilted slices; DICOMDIR.
@Suite(.serialized) struct DicomSeriesTests {
    /// One noise-free 3-phase study (96 x 96 x 24, 4 mm pixels, 2.5 mm slices, files named by hash), generated once.
    static let study: Result<String, Error> = Result {
        let folder = try DicomTestSupport.temporaryFolder("study")
        try DicomTestSupport.generateStudy(folder, ["--rows", "96", "--slices", "24", "--noise", "0", "--shuffle-names"])
        return folder
    }

    static func truth(_ folder: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json"))) as? [String: Any])
    }

    /// The three series get arterial / portal venous / delayed, the volume sits where the truth says
    /// (LPS, slices ascending along the normal), and every labelled voxel has its phase's HU exactly.
    @Test func threePhaseStudyLoadsWithPhasesGeometryAndHU() throws {
        let folder = try Self.study.get()
        let truth = try Self.truth(folder)
        let phases = try #require(truth["phases"] as? [String: [String: Any]])
        let geometry = try #require(truth["geometry"] as? [String: Any])
        let labels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/truth_labels_u8_zyx.raw")))
        let studies = try DicomScanner.scan([folder]).studies()
        #expect(studies.count == 1 && studies[0].series.count == 3)
        let names = ["arterial": ContrastPhase.arterial, "portal": .portalVenous, "delayed": .delayed]
        let pixel = try #require(geometry["pixel_spacing_mm"] as? Double), step = try #require(geometry["slice_spacing_mm"] as? Double)
        let firstIPP = try #require(geometry["first_slice_ipp"] as? [Double])
        let (n, nz) = (96, 24)
        for (key, phase) in names {
            let info = try #require(phases[key])
            let series = try #require(studies[0].series(for: phase), "no \(phase) series")
            #expect(series.seriesInstanceUID == info["series_uid"] as? String)
            let stack = try series.sliceStack()
            #expect(stack.issues.isEmpty && stack.tiltDegrees < 1e-6)
            let volume = try DicomSeriesLoader.load(stack)
            #expect((volume.nx, volume.ny, volume.nz) == (n, n, nz))
            #expect(abs(volume.spacing.x - pixel) < 1e-9 && abs(volume.spacing.z - step) < 1e-9)
            // Instance 1 is the top slice (z = first_slice_ipp.z); ascending order puts it last.
            let top = volume.position(i: 0, j: 0, k: Double(nz - 1))
            #expect(abs(top.x - firstIPP[0]) < 1e-4 && abs(top.y - firstIPP[1]) < 1e-4 && abs(top.z - firstIPP[2]) < 1e-4)
            #expect(volume.axisK == SIMD3(0, 0, 1))
            let hu = try #require(info["hu"] as? [String: Double])
            let expected: [UInt8: Double] = [2: hu["l1"]!, 3: hu["l2"]!, 4: hu["cyst"]!, 5: hu["capsule"]!]
            var checked = 0, wrong = 0
            for k in 0..<nz {
                for p in 0..<(n * n) {
                    guard let value = expected[labels[(nz - 1 - k) * n * n + p]] else { continue }
                    checked += 1
                    if Double(volume.voxels[k * n * n + p]) != value { wrong += 1 }
                }
            }
            #expect(checked > 100 && wrong == 0, "\(key): \(wrong) of \(checked) lesion voxels differ")
        }
    }

    /// A stack with one slice removed and another duplicated: both are reported, the duplicate is
    /// dropped, and the gap is filled by linear interpolation so the volume keeps its true spacing.
    @Test func missingAndDuplicateSlicesAreReportedAndRepaired() throws {
        let source = try Self.study.get() + "/portal"
        let folder = try DicomTestSupport.temporaryFolder("gaps")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
        for name in files { try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name) }
        let complete = try DicomSeriesLoader.load(try #require(try DicomScanner.scan([source]).studies().first?.series.first).sliceStack())
        let scan = try DicomScanner.scan([folder])
        let ordered = try #require(scan.studies().first?.series.first).sliceStack().slices
        try FileManager.default.removeItem(atPath: ordered[10].path)
        try FileManager.default.copyItem(atPath: ordered[3].path, toPath: folder + "/copy.dcm")
        let stack = try #require(try DicomScanner.scan([folder]).studies().first?.series.first).sliceStack()
        #expect(stack.issues.contains { $0.hasPrefix("duplicate positions: 1") })
        #expect(stack.issues.contains { $0.hasPrefix("missing slices: 1") })
        let repaired = try DicomSeriesLoader.load(stack)
        #expect(repaired.nz == complete.nz && repaired.origin == complete.origin && repaired.spacing == complete.spacing)
        let plane = complete.nx * complete.ny
        for k in [0, 3, 9, 11, 23] {
            #expect(Array(repaired.voxels[k * plane..<(k + 1) * plane]) == Array(complete.voxels[k * plane..<(k + 1) * plane]))
        }
        for p in stride(from: 0, to: plane, by: 97) {
            let mean = (complete.voxels[9 * plane + p] + complete.voxels[11 * plane + p]) / 2
            #expect(repaired.voxels[10 * plane + p] == mean)
        }
    }

    /// Image positions shifted in plane by tan(15°) per slice step (a tilted gantry): the tilt is measured
    /// and reported, and the volume's slice axis follows the positions (a sheared, exact geometry).
    @Test func gantryTiltIsDetected() throws {
        let folder = try DicomTestSupport.temporaryFolder("tilt")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try DicomTestSupport.python("""
            import pydicom, glob, math, os, sys
            src, dst = sys.argv[1], sys.argv[2]
            for p in glob.glob(src + '/*.dcm'):
                ds = pydicom.dcmread(p)
                x, y, z = [float(v) for v in ds.ImagePositionPatient]
                ds.ImagePositionPatient = [x, round(y - z * math.tan(math.radians(15)), 4), z]
                ds.save_as(os.path.join(dst, os.path.basename(p)))
            """, [try Self.study.get() + "/arterial", folder])
        let stack = try #require(try DicomScanner.scan([folder]).studies().first?.series.first).sliceStack()
        #expect(abs(stack.tiltDegrees - 15) < 0.01)
        #expect(stack.issues.contains { $0.hasPrefix("gantry tilt") })
        let volume = try DicomSeriesLoader.load(stack)
        let last = stack.slices.last!.position!
        #expect(simd_distance(volume.position(i: 0, j: 0, k: Double(volume.nz - 1)), last) < 1e-6)
    }

    /// A DICOMDIR written by DCMTK's dcmmkdir leads to the same series as scanning the folder.
    @Test func dicomdirIsFollowed() throws {
        let folder = try DicomTestSupport.temporaryFolder("dicomdir")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try Self.study.get() + "/delayed"
        for (index, name) in try FileManager.default.contentsOfDirectory(atPath: source).sorted().enumerated() {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/IM\(index)")
        }
        let (status, output) = try DicomTestSupport.run("/usr/bin/dcmmkdir", ["--input-directory", folder, "--output-file", folder + "/DICOMDIR", "--recurse"])
        #expect(status == 0, "\(output)")
        let fromDir = try DicomScanner.scan([folder + "/DICOMDIR"])
        #expect(fromDir.instances.count == 24 && fromDir.refused.isEmpty)
        #expect(try fromDir.studies()[0].series[0].sliceStack().issues.isEmpty)
    }
}

private func simd_distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
