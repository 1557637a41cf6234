import Foundation
import Testing
@testable import Hepatix

/// The classical liver segmentation on real anatomy: TotalSegmentator's example CT (native phase, 3 mm)
/// against its liver label (5).
struct LiverSegmentationTests {
    /// Dice against TotalSegmentator's liver label. The bound 0.90 is the acceptance line; the
    /// reference is itself model output resampled to 3 mm, so boundary voxels disagree by nature.
    @Test func totalSegmentatorExampleDice() throws {
        let folder = NIfTITests.shared + "/data/totalseg-example"
        try #require(FileManager.default.fileExists(atPath: folder + "/example_ct_sm.nii.gz"), "../shared/data/totalseg-example is missing")
        let ct = try PatientVolume(try NIfTIVolume.read(folder + "/example_ct_sm.nii.gz"))
        let reference = try NIfTIVolume.read(folder + "/example_seg.nii.gz").values.map { $0 == 5 }
        let result = try LiverSegmenter().segment(ct)
        let dice = SegmentationScore.dice(result.mask, reference)
        print(String(format: "totalseg-example liver: Dice %.4f, %.1f mL (reference %.1f mL), level %.1f HU, spread %.1f HU",
                     dice, result.volumeML, Double(reference.filter { $0 }.count) * 0.027, result.levelHU, result.spreadHU))
        #expect(dice >= 0.90)
    }
}
