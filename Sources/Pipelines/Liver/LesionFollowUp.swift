import Foundation

/// Two analyses of the same patient compared: the follow-up portal venous phase registered to the baseline one,
/// lesions matched by position, per-lesion long-axis and volume change, LI-RADS threshold growth, and the
/// RECIST 1.1 response of the liver's target lesions.
///
/// Rules, as applied here:
/// - Matching: follow-up lesion centres mapped into the baseline frame; pairs taken closest first while the
///   distance is at most max(`gateMM`, half the larger long axis).
/// - Threshold growth (LI-RADS v2018): a long-axis increase of at least 50 % in at most 6 months (183 days).
///   The follow-up category is recomputed with it as a major feature.
/// - RECIST 1.1 targets: up to two measurable lesions (long axis ≥ 10 mm) in the liver at baseline, largest
///   first, excluding LR-1/LR-2 (definitely and probably benign: cysts, typical hemangiomas are not tumour).
///   Sum of long axes (a target not found again counts 0). CR: every target gone; PD: the sum up by ≥ 20 %
///   and ≥ 5 mm, or a new lesion (unmatched, ≥ 10 mm, not LR-1/LR-2); PR: the sum down by ≥ 30 %; SD otherwise.
///   Non-target lesions are listed with their change; their unequivocal progression is left to the reader.
public struct LesionFollowUp: Codable, Sendable {
    /// One baseline lesion and its follow-up counterpart (either side may be missing).
    public struct Pair: Codable, Sendable {
        /// Lesion numbers in each analysis (nil: not found on that side).
        public let baseline: Int?, followUp: Int?
        /// Distance between the matched centres in the baseline frame, mm.
        public let distanceMM: Double?
        public let baselineLongAxisMM: Double?, followUpLongAxisMM: Double?
        public let baselineVolumeML: Double?, followUpVolumeML: Double?
        /// Relative changes, percent (nil unless matched).
        public let longAxisChangePercent: Double?, volumeChangePercent: Double?
        /// LI-RADS threshold growth (matched, interval ≤ 6 months, long axis +50 % or more).
        public let thresholdGrowth: Bool
        public let baselineCategory: LIRADSCategory?, followUpCategory: LIRADSCategory?
        /// "matched", "new" or "not found".
        public let status: String
        /// True for a RECIST target lesion.
        public let target: Bool
    }

    /// RECIST 1.1 overall response of the target lesions (plus new lesions).
    public enum Response: String, Codable, Sendable {
        case complete = "CR", partial = "PR", stable = "SD", progressive = "PD"
    }

    /// Days between the studies.
    public let intervalDays: Double
    /// Registration of the follow-up to the baseline (tx, ty, tz mm; rx, ry, rz rad; sx, sy, sz).
    public let registration: [Double]
    public let pairs: [Pair]
    /// Sum of the targets' long axes at baseline and follow-up, mm, and its change, percent.
    public let baselineSumMM: Double, followUpSumMM: Double, sumChangePercent: Double
    public let response: Response
    /// Why, in RECIST words.
    public let responseReason: String

    /// Smallest matching gate, mm.
    public static let gateMM = 10.0
    /// Longest interval over which LI-RADS threshold growth applies, days (6 months).
    public static let thresholdGrowthDays = 183.0

    /// Compares `followUp` with `baseline`, taken `intervalDays` apart.
    /// - Throws: `LiverAnalysisError` for a negative or non-finite interval or a failed registration.
    public init(baseline: LiverAnalyzer.Output, followUp: LiverAnalyzer.Output, intervalDays: Double, threads: Int = 0) throws {
        guard intervalDays.isFinite, intervalDays >= 0 else { throw LiverAnalysisError("the interval must be a non-negative number of days") }
        var method = PhaseRegistration()
        method.threads = threads
        let fixed = baseline.phases[.portalVenous]!
        let registered = try method.register(followUp.phases[.portalVenous]!, to: fixed)
        guard let inverse = registered.map.inverse else { throw LiverAnalysisError("the follow-up registration is singular") }
        let centre = fixed.centre
        let before = baseline.result.lesions, after = followUp.result.lesions
        let mapped = after.map { centre + inverse.apply($0.centre - centre) }
        var candidates: [(distance: Double, b: Int, f: Int)] = []
        for (b, lesion) in before.enumerated() { for (f, point) in mapped.enumerated() {
            let d = ((lesion.centre - point) * (lesion.centre - point)).sum().squareRoot()
            if d <= max(Self.gateMM, max(lesion.longAxisMM, after[f].longAxisMM) / 2) { candidates.append((d, b, f)) }
        } }
        var partner: [Int: (Int, Double)] = [:], taken = Set<Int>()
        for c in candidates.sorted(by: { ($0.distance, $0.b, $0.f) < ($1.distance, $1.b, $1.f) }) where partner[c.b] == nil && !taken.contains(c.f) {
            partner[c.b] = (c.f, c.distance)
            taken.insert(c.f)
        }
        let benign: Set<LIRADSCategory> = [.definitelyBenign, .probablyBenign]
        let targets = Set(before.indices.filter { before[$0].longAxisMM >= 10 && !benign.contains(before[$0].category) }
            .sorted { before[$0].longAxisMM > before[$1].longAxisMM }.prefix(2))
        var pairs: [Pair] = []
        for (b, lesion) in before.enumerated() {
            guard let (f, distance) = partner[b] else {
                pairs.append(Pair(baseline: lesion.number, followUp: nil, distanceMM: nil, baselineLongAxisMM: lesion.longAxisMM, followUpLongAxisMM: nil,
                                  baselineVolumeML: lesion.volumeML, followUpVolumeML: nil, longAxisChangePercent: nil, volumeChangePercent: nil,
                                  thresholdGrowth: false, baselineCategory: lesion.category, followUpCategory: nil, status: "not found", target: targets.contains(b)))
                continue
            }
            let later = after[f]
            let change = 100 * (later.longAxisMM / lesion.longAxisMM - 1)
            let growth = intervalDays <= Self.thresholdGrowthDays && change >= 50
            var observation = later.observation
            observation.thresholdGrowth = observation.thresholdGrowth || growth
            pairs.append(Pair(baseline: lesion.number, followUp: later.number, distanceMM: distance, baselineLongAxisMM: lesion.longAxisMM,
                              followUpLongAxisMM: later.longAxisMM, baselineVolumeML: lesion.volumeML, followUpVolumeML: later.volumeML,
                              longAxisChangePercent: change, volumeChangePercent: 100 * (later.volumeML / lesion.volumeML - 1),
                              thresholdGrowth: growth, baselineCategory: lesion.category,
                              followUpCategory: LIRADS.categorize(observation).category, status: "matched", target: targets.contains(b)))
        }
        var newLesions = 0
        for (f, later) in after.enumerated() where !taken.contains(f) {
            if later.longAxisMM >= 10 && !benign.contains(later.category) { newLesions += 1 }
            pairs.append(Pair(baseline: nil, followUp: later.number, distanceMM: nil, baselineLongAxisMM: nil, followUpLongAxisMM: later.longAxisMM,
                              baselineVolumeML: nil, followUpVolumeML: later.volumeML, longAxisChangePercent: nil, volumeChangePercent: nil,
                              thresholdGrowth: false, baselineCategory: nil, followUpCategory: later.category, status: "new", target: false))
        }
        let sum0 = targets.reduce(0) { $0 + before[$1].longAxisMM }
        let sum1 = targets.reduce(0) { $0 + (partner[$1].map { after[$0.0].longAxisMM } ?? 0) }
        (self.intervalDays, registration, self.pairs) = (intervalDays, registered.parameters, pairs)
        (baselineSumMM, followUpSumMM) = (sum0, sum1)
        sumChangePercent = sum0 > 0 ? 100 * (sum1 / sum0 - 1) : 0
        (response, responseReason) = Self.recist(targets: targets.count, sum0: sum0, sum1: sum1, newLesions: newLesions)
    }

    /// The RECIST 1.1 response from the target sums and the count of new lesions.
    static func recist(targets: Int, sum0: Double, sum1: Double, newLesions: Int) -> (Response, String) {
        if newLesions > 0 { return (.progressive, "\(newLesions) new lesion(s) of 10 mm or more") }
        guard targets > 0 else { return (.stable, "no measurable target lesion at baseline; no new lesion") }
        // Borders are inclusive; the 1e-9 keeps an exact +20 % or -30 % from rounding to the other side.
        let change = 100 * (sum1 / sum0 - 1)
        if sum1 == 0 { return (.complete, "every target lesion has disappeared") }
        if change >= 20 - 1e-9 && sum1 - sum0 >= 5 - 1e-9 {
            return (.progressive, String(format: "sum of target diameters up %.0f %% (%.1f -> %.1f mm)", change, sum0, sum1))
        }
        if change <= -30 + 1e-9 { return (.partial, String(format: "sum of target diameters down %.0f %% (%.1f -> %.1f mm)", -change, sum0, sum1)) }
        return (.stable, String(format: "sum of target diameters %+.0f %% (%.1f -> %.1f mm)", change, sum0, sum1))
    }
}
