import Foundation
import Testing
@testable import Hepatix

/// The liver pipeline's acceptance figures on phantom seeds 1–20, at full dose (image-domain noise 10 HU, the
/// classical pipeline) and at a third of it (17 HU) in the low-dose configuration: the shipped CNN denoiser at its
/// default strength (0.5) and the shipped lesion network's proposals (`hepatix analyze --denoise --cnn-lesions`).
/// Bounds are the acceptance lines; the registration bound is ours:
/// the phantom moves each phase by up to 3 mm per axis and 1.5°, and a residual under 2 mm keeps a 10 mm
/// lesion's core inside the lesion.
struct LiverPipelineTests {
    /// Scorecard of seeds 1–20 at `dose`. Studies run two at a time, each on one thread (the stages scale
    /// to about 1.7 of 2 cores; two single-threaded studies use both fully); results do not depend on threads.
    static func scorecard(dose: Double, denoiser: CNNDenoiser? = nil, lesionNetwork: CNNLesionSegmenter? = nil) throws -> PhantomScorecard {
        var configured = LiverAnalyzer()
        configured.denoiser = denoiser
        configured.lesionNetwork = lesionNetwork
        configured.lesionNetworkEvidence = false   // explanations only (CNNLesionEvidenceTests): no figure depends on them
        configured.threads = 1
        let analyzer = configured
        let seeds = Array(UInt64(1)...20)
        let results = ResultSlots<Result<PhantomEvaluation, Error>>(count: seeds.count)
        DispatchQueue.concurrentPerform(iterations: seeds.count) { index in
            results[index] = Result {
                var options = AbdomenStudy.Options()
                options.dose = dose
                options.threads = 1
                let phantom = try AbdomenStudy.render(seed: seeds[index], options: options)
                return try PhantomEvaluation(try analyzer.analyze(phantom.study), truth: phantom)
            }
        }
        let card = PhantomScorecard(try results.values.map { try $0!.get() })
        let configuration = (denoiser == nil ? "" : ", CNN-denoised") + (lesionNetwork == nil ? "" : ", lesion network")
        print(String(format: "liver pipeline, dose %.2f%@:\n", dose, configuration) + card.summary)
        return card
    }

    @Test func acceptanceAtFullDoseAndAThird() throws {
        let full = try Self.scorecard(dose: 1)
        #expect(full.meanLiverDice >= 0.95)
        #expect(full.meanSegmentDice >= 0.85)
        #expect(full.sensitivity10mm >= 0.90)
        #expect(full.falsePositivesPerStudy <= 0.5)
        #expect(full.medianLongAxisErrorMM <= 1.5)
        #expect(full.categoryAgreement >= 0.90)
        let third = try Self.scorecard(dose: 1.0 / 3, denoiser: try CNNDenoiser(), lesionNetwork: try CNNLesionSegmenter())
        #expect(third.meanLiverDice >= 0.95)
        #expect(third.meanSegmentDice >= 0.85)
        // Coarse-to-fine registration with the last level on the liver's box: worst 1.04 mm (full) and 1.11 mm
        // (a third, denoised) over the liver in seeds 1-20.
        #expect(max(full.worstRegistrationErrorMM, third.worstRegistrationErrorMM) <= 2)
        // Future liver remnant of the five standard resections against the phantom's own segments: mean 1.32, worst
        // 2.82 percentage points at full dose (seeds 1-20). Bounds: 2 points on average and 5 at worst, below the
        // 10-point steps between the usual minimums (20/30/40 %) and the ~5 % spread of manual CT volumetry.
        for card in [full, third] { #expect(card.meanRemnantErrorPoints <= 2 && card.worstRemnantErrorPoints <= 5) }
        // Small spots in denoised images are dropped (`LiverAnalyzer.denoisedMinimumLongAxisMM`, chosen on validation seeds 201-220).
        #expect(third.falsePositivesPerStudy <= 0.5)
        #expect(third.medianLongAxisErrorMM <= 1.5)
        // LI-RADS agreement at a third: 87.7 % with the lesion network before HCCs were measured with their capsule
        // (`LesionMeasurement.withCapsule`; 13 mm HCCs measured under 10 mm: LR-4), 90.1 % (73/81) after.
        #expect(third.categoryAgreement >= 0.90)
        // Detection at a third within 0.03 of full dose: the denoiser alone reached 0.914 (74/81; full dose 0.988);
        // the lesion network's proposals find four of its seven misses, 0.963 (78/81). The line is checked against the
        // full-dose pipeline as shipped (classical); against full dose with the same network (1.000) a third is 0.037
        // short (BENCHMARKS.md).
        #expect(third.sensitivity10mm >= full.sensitivity10mm - 0.03)
    }
}

/// Slots written once each from concurrent workers (distinct indices) and read after they finish.
final class ResultSlots<Value>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(index: Int) -> Value? {
        get { lock.withLock { storage[index] } }
        set { lock.withLock { storage[index] = newValue } }
    }
    var values: [Value?] { lock.withLock { storage } }
}
