import Foundation
import Testing
@testable import Hepatix

/// The liver pipeline on an independent study: the shared DICOM generator's three-phase liver phantom
/// (`../shared/peers/dicom/gen_ct_series.py`, written with pydicom, not by Hepatix), read from DICOM. Its
/// liver is an ellipsoid without hepatic veins, so the Couinaud landmarks must be reported missing without
/// failing the analysis; its three lesions come with their expected LI-RADS categories. The analysis is then
/// written as DICOM SEG + TID 1500 SR on the study and judged by the shared validator (dciodvfy, dcentvfy,
/// dsrdump, highdicom, pydicom and semantic checks) and read back by highdicom.
struct DicomLiverStudyTests {
    @Test func sharedGeneratorStudyFromDicom() throws {
        let folder = try DicomTestSupport.temporaryFolder("liver-study")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try DicomTestSupport.generateStudy(folder, ["--rows", "256", "--slices", "64", "--noise", "10", "--seed", "3"])
        let (study, sources) = try MultiphaseStudy.loadWithSources(dicom: [folder])
        #expect(Set(study.phases.keys) == [.arterial, .portalVenous, .delayed])
        let output = try LiverAnalyzer().analyze(study)
        let result = output.result
        #expect(result.planes == nil && result.couinaudProblem != nil, "no hepatic veins: segments reported unavailable")

        // Truth labels are [z][y][x] in instance order; instance k lies at z = first_z − (k − 1)·spacing.
        let truth = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/truth.json"))) as! [String: Any]
        let geometry = truth["geometry"] as! [String: Any]
        let firstZ = (geometry["first_slice_ipp"] as! [Double])[2], spacing = geometry["slice_spacing_mm"] as! Double
        let labels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/truth_labels_u8_zyx.raw")))
        let portal = study.portalVenous
        let plane = portal.nx * portal.ny
        try #require(labels.count == plane * portal.nz)
        var truthLiver = [Bool](repeating: false, count: labels.count)
        for k in 0..<portal.nz {
            let instance = Int(((firstZ - portal.position(i: 0, j: 0, k: Double(k)).z) / spacing).rounded())
            try #require((0..<portal.nz).contains(instance))
            for n in 0..<plane { truthLiver[k * plane + n] = labels[instance * plane + n] > 0 }
        }
        let dice = SegmentationScore.dice(output.liver, truthLiver)
        print(String(format: "shared DICOM liver phantom: liver Dice %.3f, %d lesions: %@", dice, result.lesions.count,
                     result.lesions.map(\.sentence).joined(separator: "; ")))
        // The issue's bound for real CT (0.90); this phantom is simpler than real CT and measured 0.982.
        #expect(dice >= 0.90)
        for lesion in truth["lesions"] as! [[String: Any]] {
            let centre = lesion["center"] as! [Double], radius = lesion["radius"] as! Double
            let expected = lesion["expected_lirads"] as! String
            let found = result.lesions.first { l in
                let d = l.centre - SIMD3(centre[0], centre[1], centre[2])
                return (d * d).sum().squareRoot() < radius
            }
            try #require(found != nil, "lesion \(lesion["id"]!) (\(expected)) not detected")
            // Expected categories as the generator states them ("LR-3/LR-4", "benign (LR-1)").
            #expect(expected.contains(found!.category.rawValue), "\(lesion["id"]!): \(found!.sentence), expected \(expected)")
            // LI-RADS measures outer edge to outer edge, capsule included: the generator draws L1's capsule as a
            // 2 mm shell outside its radius. Masks are whole 1.5 mm pixels, so each end may be off by one pixel
            // (with the generator's unsmoothed edges): 3 mm.
            let outer = 2 * radius + (lesion["id"] as! String == "L1" ? 4 : 0)
            #expect(abs(found!.longAxisMM - outer) <= 3, "\(lesion["id"]!): long axis \(found!.longAxisMM) mm for \(outer) mm")
        }
        try checkDicomOutputs(output, sources: sources, folder: folder)
    }

    /// SEG + SR of `output` pass every judge; highdicom finds one measurement group per finding with the
    /// categories and long axes of the analysis.
    func checkDicomOutputs(_ output: LiverAnalyzer.Output, sources: MultiphaseDicomSources, folder: String) throws {
        let written = try output.writeDicom(to: folder + "/hepatix", sources: sources)
        let validator = DicomTestSupport.shared + "/peers/dicom/validate_dicom_outputs.py"
        let (status, report) = try DicomTestSupport.run(DicomTestSupport.python,
                                                        [validator, "--ct-dir", folder] + sources.portalVenous.slices.map(\.path) + written)
        #expect(status == 0, "\(report.split(separator: "\n").filter { $0.contains("FAIL") || $0.hasPrefix("    ") }.joined(separator: "\n"))")
        let code = """
        import sys, json, highdicom as hd
        sr = hd.sr.srread(sys.argv[1])
        groups = sr.content.get_volumetric_roi_measurement_groups()
        print(json.dumps([dict(id=g.tracking_identifier, m={m.name.meaning: float(m.value) for m in g.get_measurements()},
                               q=[q.value.meaning for q in g.get_qualitative_evaluations()]) for g in groups]))
        """
        let groups = try #require(try JSONSerialization.jsonObject(with: Data(try DicomTestSupport.python(code, [written[1]]).utf8)) as? [[String: Any]])
        let lesions = output.result.lesions
        #expect(groups.map { $0["id"] as? String } == ["Liver"] + lesions.map { "L\($0.number)" })
        for (group, lesion) in zip(groups.dropFirst(), lesions) {
            let long = (group["m"] as? [String: Double])?["Long Axis"]
            #expect(long.map { abs($0 - lesion.longAxisMM) < 1e-6 } == true, "\(group)")
            #expect((group["q"] as? [String])?.first?.hasPrefix(lesion.category.rawValue + " ") == true, "\(group)")
        }
    }
}
