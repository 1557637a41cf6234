import Foundation
import Testing
@testable import Hepatix

/// The liver pipeline's acceptance figures on phantom seeds 1–20, at full dose and at a third of it
/// (image-domain noise 10 HU and 17 HU). Bounds are the acceptance lines; the registration bound
/// is ours: the phantom moves each phase by up to 3 mm per axis and 1.5°, and a residual under 2 mm keeps
/// a 10 mm lesion's core inside the lesion.
struct LiverPipelineTests {
    @Test(arguments: [1.0, 1.0 / 3])
    func phantomSeedsOneToTwenty(dose: Double) throws {
        var evaluations: [PhantomEvaluation] = []
        for seed in UInt64(1)...20 {
            var options = AbdomenStudy.Options()
            options.dose = dose
            let phantom = try AbdomenStudy.render(seed: seed, options: options)
            evaluations.append(try PhantomEvaluation(try LiverAnalyzer().analyze(phantom.study), truth: phantom))
        }
        let card = PhantomScorecard(evaluations)
        print(String(format: "liver pipeline, dose %.2f:\n", dose) + card.summary)
        #expect(card.meanLiverDice >= 0.95)
        #expect(card.meanSegmentDice >= 0.85)
        #expect(card.sensitivity10mm >= 0.90)
        #expect(card.falsePositivesPerStudy <= 0.5)
        #expect(card.medianLongAxisErrorMM <= 1.5)
        #expect(card.categoryAgreement >= 0.90)
        #expect(card.worstRegistrationErrorMM <= 2)
    }
}
