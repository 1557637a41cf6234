import Foundation
import Testing
@testable import Hepatix

/// The CNN path of liver segmentation with the shipped network (`Models/ct-liver-seg-2.5d.onnx`, trained on phantom
/// seeds 101-130): on a phantom study it was not trained on, and on TotalSegmentator's real example CT (native phase,
/// 3 mm, flipped in-plane axes), which it reaches only through resampling onto its training grid.
struct CNNLiverSegmenterTests {
    @Test func phantomStudyItWasNotTrainedOn() throws {
        var options = AbdomenStudy.Options()
        options.threads = 2
        let phantom = try AbdomenStudy.render(seed: 21, options: options)
        var network = try CNNLiverSegmenter()
        network.threads = 2
        let cnn = SegmentationScore.dice(try network.segment(phantom.study.portalVenous), phantom.liver)
        let classical = SegmentationScore.dice(try LiverSegmenter().segment(phantom.study.portalVenous).mask, phantom.liver)
        print(String(format: "seed 21 liver Dice: CNN %.4f, classical %.4f", cnn, classical))
        // Validation seeds 221-223 (training log, Models/ct-liver-seg-2.5d.json) measured 0.990-0.994 at full dose and a third; the acceptance
        // line for liver segmentation is 0.95.
        #expect(cnn >= 0.95)
        // Its occlusion map rests on the liver: covering liver with fat lowers the liver probability (largest fall
        // 20.7 % on the widest slice), covering the rest of the body hardly does. The phantom's grid is the training
        // grid, so the map's pixels are the study's.
        let k = LiverAnalyzer.widestSlice(of: phantom.liver, plane: 256 * 256)
        let occlusion = try network.occlusion(phantom.study.portalVenous, slice: k)
        let liver = Array(phantom.liver[(k * 256 * 256)..<((k + 1) * 256 * 256)])
        let body = occlusion.image.voxels.map { $0 > -500 }
        func mean(_ pick: (Int) -> Bool) -> Double {
            let chosen = occlusion.sensitivity.indices.filter(pick)
            return chosen.reduce(0) { $0 + Double(occlusion.sensitivity[$1]) } / Double(max(1, chosen.count))
        }
        let (inside, outside) = (mean { liver[$0] }, mean { body[$0] && !liver[$0] })
        print(String(format: "occlusion sensitivity: liver %.4f, rest of the body %.4f, largest %.4f", inside, outside, occlusion.sensitivity.max() ?? 0))
        #expect(inside > 4 * max(outside, 0))
        let strongest = try #require(occlusion.sensitivity.indices.max { occlusion.sensitivity[$0] < occlusion.sensitivity[$1] })
        #expect(liver[strongest])
    }

    /// The whole pipeline with the network: lesions are sought one voxel inside its mask, whose edge voxels carry partial
    /// volume with fat in the registered phases (without that rule seed 21 gave 40 false positives along the edge).
    @Test func pipelineWithTheNetworkKeepsLesionsAndNoEdgeFalsePositives() throws {
        var options = AbdomenStudy.Options()
        options.threads = 2
        let phantom = try AbdomenStudy.render(seed: 21, options: options)
        var analyzer = LiverAnalyzer()
        (analyzer.threads, analyzer.liverNetwork) = (2, try CNNLiverSegmenter())
        let output = try analyzer.analyze(phantom.study)
        let score = try PhantomEvaluation(output, truth: phantom)
        #expect(output.result.liverSegmentation == "CNN" && output.liverOcclusion != nil)
        #expect(score.liverDice >= 0.95)
        // Seeds 1-20 at full dose with the network: 0.10 false positives per study, 81/81 lesions >= 10 mm (seed 21: 0, 4/4).
        #expect(score.falsePositives <= 1)
        #expect(score.lesions.filter { $0.truthLongAxisMM >= 10 }.allSatisfy { $0.detected != nil })
    }

    @Test func realCTThroughTheTrainingGrid() throws {
        let folder = NIfTITests.shared + "/data/totalseg-example"
        try #require(FileManager.default.fileExists(atPath: folder + "/example_ct_sm.nii.gz"), "../shared/data/totalseg-example is missing")
        let ct = try PatientVolume(try NIfTIVolume.read(folder + "/example_ct_sm.nii.gz"))
        let reference = try NIfTIVolume.read(folder + "/example_seg.nii.gz").values.map { $0 == 5 }
        let dice = SegmentationScore.dice(try CNNLiverSegmenter().segment(ct), reference)
        // The same voxels declared with the patient's axes, so that the network sees them mirrored left-right and
        // front-back, as they are stored.
        let stored = try PatientVolume(nx: ct.nx, ny: ct.ny, nz: ct.nz, spacing: ct.spacing, origin: ct.origin,
                                       axisI: SIMD3(1, 0, 0), axisJ: SIMD3(0, 1, 0), axisK: SIMD3(0, 0, 1), voxels: ct.voxels)
        let mirrored = (try? CNNLiverSegmenter().segment(stored)).map { SegmentationScore.dice($0, reference) } ?? 0
        print(String(format: "totalseg-example liver, CNN path: Dice %.4f; seen mirrored %.4f (classical: see LiverSegmentationTests)", dice, mirrored))
        // Measured 0.832, mirrored 0.767 (the classical segmenter: 0.930, LiverSegmentationTests): a network trained on
        // phantoms only loses on real anatomy, so the classical path stays the default (Models/README.md). The output is
        // deterministic, so the bound 0.80 is a regression guard 0.03 under the measurement: it moves only when the model
        // or the resampling changes. Reading the grid along the patient's axes must beat the mirrored view.
        #expect(dice >= 0.80)
        #expect(dice > mirrored)
    }

    @Test func trainingGridCoversAnyOrientation() throws {
        // A 3 mm volume with both in-plane axes flipped, like the real example: the training grid runs along the
        // patient's axes from the lowest corner and covers every voxel centre.
        let volume = try PatientVolume(nx: 10, ny: 8, nz: 4, spacing: SIMD3(3, 3, 3), origin: SIMD3(30, 20, -5),
                                       axisI: SIMD3(-1, 0, 0), axisJ: SIMD3(0, -1, 0), axisK: SIMD3(0, 0, 1),
                                       voxels: [Float](repeating: 0, count: 320))
        let grid = try CNNLiverSegmenter.trainingGrid(covering: volume)
        #expect(grid.axisI == SIMD3(1, 0, 0) && grid.axisJ == SIMD3(0, 1, 0) && grid.spacing == CNNLiverSegmenter.trainingSpacingMM)
        #expect(grid.origin == SIMD3(3, -1, -5))
        #expect(grid.nx == 19 && grid.ny == 15 && grid.nz == 4)  // 27 mm / 1.5 + 1, 21 / 1.5 + 1, 9 / 2.5 rounded down + 1
        // A study already on the training grid is its own training grid (no resampling).
        let phantomLike = try PatientVolume(nx: 6, ny: 5, nz: 3, spacing: CNNLiverSegmenter.trainingSpacingMM, origin: SIMD3(1, 2, 3),
                                            axisI: SIMD3(1, 0, 0), axisJ: SIMD3(0, 1, 0), axisK: SIMD3(0, 0, 1),
                                            voxels: [Float](repeating: 0, count: 90))
        let same = try CNNLiverSegmenter.trainingGrid(covering: phantomLike)
        #expect(same.nx == 6 && same.ny == 5 && same.nz == 3 && same.origin == phantomLike.origin)
    }

    @Test func refusesModelsOfAnotherInterface() throws {
        // The denoiser gives one channel; a liver network must give two.
        #expect(throws: InferenceError.self) { try CNNLiverSegmenter(model: try CNNDenoiser().model) }
    }
}
