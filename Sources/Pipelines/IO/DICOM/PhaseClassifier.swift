import Foundation

/// The contrast phase of a CT series in a multiphase liver study.
public enum ContrastPhase: String, Sendable, CaseIterable {
    case unenhanced = "unenhanced", arterial = "arterial", portalVenous = "portal venous", delayed = "delayed", unknown = "unknown"
}

/// What a series says about its phase: the text fields, whether contrast was given, and the timing.
public struct PhaseCues: Sendable {
    /// Series Description, Protocol Name and Image Comments joined.
    public var text: String
    /// Contrast/Bolus Agent (empty when none was recorded).
    public var contrastAgent: String
    /// Acquisition time and contrast bolus start time (seconds after midnight), when recorded.
    public var acquisitionSeconds: Double?, contrastStartSeconds: Double?

    /// Cues from their parts.
    public init(text: String, contrastAgent: String = "", acquisitionSeconds: Double? = nil, contrastStartSeconds: Double? = nil) {
        (self.text, self.contrastAgent, self.acquisitionSeconds, self.contrastStartSeconds) = (text, contrastAgent, acquisitionSeconds, contrastStartSeconds)
    }

    /// Seconds from bolus start to acquisition (across midnight if needed), when both are known.
    public var delaySeconds: Double? {
        guard let a = acquisitionSeconds, let s = contrastStartSeconds else { return nil }
        let d = a - s
        return d < -43_200 ? d + 86_400 : d
    }
}

/// The phase assigned to one series, and the rule that decided it.
public struct PhaseAssignment: Sendable, Equatable {
    public let phase: ContrastPhase
    /// Which rule decided, in words (shown by `hepatix dicom ls` and in reports).
    public let reason: String
}

/// Groups the CT series of one study into unenhanced / arterial / portal venous / delayed.
///
/// The rule, applied to each series in turn (the first that decides wins):
/// 1. **Words** in Series Description, Protocol Name or Image Comments (case-insensitive, whole words):
///    unenhanced ("non contrast", "noncontrast", "unenhanced", "native", "plain", "pre contrast", "precontrast",
///    "without contrast", "nc"), then arterial ("arterial", "art", "hap", "lap" — so "late arterial" is
///    arterial), then portal venous ("portal", "venous", "pv", "pvp"), then delayed ("delayed", "delay",
///    "equilibrium", "transitional", "late").
/// 2. **Contrast timing**: with both Contrast Bolus Start Time and Acquisition Time, the delay after the
///    bolus start: ≤ 0 s unenhanced, ≤ 50 s arterial (late arterial is typically 35–45 s), ≤ 120 s portal
///    venous (60–80 s), beyond delayed (2–5 min, LI-RADS "delayed phase").
/// 3. **No agent**: a series without Contrast/Bolus Agent in a study where other series have one is unenhanced.
/// 4. **Time order** (studies of two or more series): the series still undecided, sorted by acquisition time, take the phases not yet used
///    in the order arterial, portal venous, delayed.
/// Anything left is `unknown`.
public enum PhaseClassifier {
    /// Phase per series (same order as `cues`).
    public static func classify(_ cues: [PhaseCues]) -> [PhaseAssignment] {
        let anyAgent = cues.contains { !$0.contrastAgent.isEmpty }
        var result: [PhaseAssignment?] = cues.map { cue in
            if let (phase, word) = byWords(cue.text) { return PhaseAssignment(phase: phase, reason: "description says \"\(word)\"") }
            if let delay = cue.delaySeconds {
                let phase: ContrastPhase = delay <= 0 ? .unenhanced : delay <= 50 ? .arterial : delay <= 120 ? .portalVenous : .delayed
                return PhaseAssignment(phase: phase, reason: "acquired \(Int(delay.rounded())) s after the contrast bolus start")
            }
            if anyAgent, cue.contrastAgent.isEmpty { return PhaseAssignment(phase: .unenhanced, reason: "no contrast agent recorded, unlike other series of the study") }
            return nil
        }
        var unused = [ContrastPhase.arterial, .portalVenous, .delayed].filter { p in !result.contains { $0.map { $0.phase == p } ?? false } }
        let undecided = cues.count < 2 ? [] : cues.indices.filter { result[$0] == nil && cues[$0].acquisitionSeconds != nil }
            .sorted { cues[$0].acquisitionSeconds! < cues[$1].acquisitionSeconds! }
        for index in undecided where !unused.isEmpty {
            result[index] = PhaseAssignment(phase: unused.removeFirst(), reason: "order of acquisition times among the contrast series")
        }
        return result.map { $0 ?? PhaseAssignment(phase: .unknown, reason: "no description, timing or contrast attributes decide") }
    }

    /// Keyword lists in the order they are tried.
    static let words: [(ContrastPhase, [String])] = [
        (.unenhanced, ["non contrast", "noncontrast", "non-contrast", "unenhanced", "native", "plain", "pre contrast",
                       "precontrast", "pre-contrast", "without contrast", "nc"]),
        (.arterial, ["arterial", "art", "hap", "lap"]),
        (.portalVenous, ["portal", "venous", "pv", "pvp"]),
        (.delayed, ["delayed", "delay", "equilibrium", "transitional", "late"]),
    ]

    /// The first phase whose keyword occurs as whole words in `text`, with the keyword.
    static func byWords(_ text: String) -> (ContrastPhase, String)? {
        let tokens = text.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init)
        let padded = " " + tokens.joined(separator: " ") + " "
        for (phase, list) in words {
            for word in list where padded.contains(" \(word) ") { return (phase, word) }
        }
        return nil
    }
}
