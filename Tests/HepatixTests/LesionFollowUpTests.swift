import Foundation
import Testing
@testable import Hepatix

/// Follow-up of the default phantom (seed 1: an HCC, a hemangioma, two hypovascular metastases) against the same
/// patient moved by (6, -4, 5) mm and 1.1° with new noise, its malignant lesions grown by half or shrunk to 60 %:
/// every lesion is matched, the measured long-axis changes follow the truth, threshold growth and the RECIST 1.1
/// response come out as the truth says, and the RECIST rules hold at their borders.
@Suite struct LesionFollowUpTests {
    static func analyse(_ anatomy: AbdomenAnatomy, noiseSeed: UInt64) throws -> LiverAnalyzer.Output {
        try LiverAnalyzer().analyze(try AbdomenStudy.render(anatomy: anatomy, noiseSeed: noiseSeed).study)
    }

    @Test func growthAndShrinkageOfThePhantom() throws {
        let anatomy = AbdomenAnatomy.generate(seed: 1)
        let baseline = try Self.analyse(anatomy, noiseSeed: 1)
        for (growth, expected) in [(1.5, LesionFollowUp.Response.progressive), (0.6, .partial)] {
            let grown = anatomy.followUp(growth: growth, shift: SIMD3(6, -4, 5), rotation: 0.02)
            let later = try Self.analyse(grown, noiseSeed: 1001)
            let comparison = try LesionFollowUp(baseline: baseline, followUp: later, intervalDays: 90)
            print("follow-up x\(growth): \(comparison.response.rawValue) (\(comparison.responseReason)); registration \(comparison.registration)")
            #expect(comparison.response == expected, "\(comparison.responseReason)")
            // The registration's translation recovers the move: the 4 mm working grid and the pattern search's
            // rotation error (0.01 rad at ~80 mm from the centre) leave under 1.5 mm.
            let t = SIMD3(comparison.registration[0], comparison.registration[1], comparison.registration[2])
            #expect(((t - SIMD3(6, -4, 5)) * (t - SIMD3(6, -4, 5))).sum().squareRoot() < 1.5, "translation \(t)")
            let matched = comparison.pairs.filter { $0.status == "matched" }
            #expect(matched.count == baseline.result.lesions.count, "\(comparison.pairs.map(\.status))")
            #expect(comparison.pairs.filter { $0.status == "new" }.isEmpty)
            // Truth change per lesion, matched to the measured pair through the baseline lesion's nearest truth centre.
            for pair in matched {
                let lesion = baseline.result.lesions.first { $0.number == pair.baseline }!
                func distance(_ t: PhantomLesion) -> Double { ((t.centre - lesion.centre) * (t.centre - lesion.centre)).sum() }
                let truth = anatomy.lesions.min { distance($0) < distance($1) }!
                let after = grown.lesions[truth.number - 1]
                let truthChange = 100 * (after.longAxisMM / truth.longAxisMM - 1)
                // Long axes are measured to a median 1.3 mm at full dose and single lesions to about 2 mm. An error
                // of 2 mm at each time point moves the change by at most 100 * 2 * (1 + L1/L0) / L0 points (L0, L1:
                // truth long axes), e.g. 26 points for a 12.5 mm lesion shrunk to 7.5 mm, 12 points for a 29 mm one.
                let bound = 100 * 2 * (1 + after.longAxisMM / truth.longAxisMM) / truth.longAxisMM
                #expect(abs(pair.longAxisChangePercent! - truthChange) <= bound,
                        "\(truth.kind) \(truth.longAxisMM) mm: \(pair.longAxisChangePercent!) % against \(truthChange) % (bound \(bound))")
                if growth > 1, truth.kind.isMalignant, pair.longAxisChangePercent! >= 50 { #expect(pair.thresholdGrowth) }
                if !truth.kind.isMalignant { #expect(!pair.thresholdGrowth) }
            }
        }
    }

    @Test func recistBorders() {
        #expect(LesionFollowUp.recist(targets: 2, sum0: 40, sum1: 48, newLesions: 0).0 == .progressive)   // +20 %, +8 mm
        #expect(LesionFollowUp.recist(targets: 1, sum0: 20, sum1: 24, newLesions: 0).0 == .stable)        // +20 % but 4 mm
        #expect(LesionFollowUp.recist(targets: 2, sum0: 40, sum1: 28, newLesions: 0).0 == .partial)       // -30 %
        #expect(LesionFollowUp.recist(targets: 2, sum0: 40, sum1: 29, newLesions: 0).0 == .stable)        // -27.5 %
        #expect(LesionFollowUp.recist(targets: 2, sum0: 40, sum1: 0, newLesions: 0).0 == .complete)
        #expect(LesionFollowUp.recist(targets: 2, sum0: 40, sum1: 30, newLesions: 1).0 == .progressive)
        #expect(LesionFollowUp.recist(targets: 0, sum0: 0, sum1: 0, newLesions: 0).0 == .stable)
    }
}
