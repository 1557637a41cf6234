/// Plain-language sentences for a lesion, in LI-RADS terms.
public enum LesionExplanation {
    /// "20 mm observation in segment VIII with nonrim APHE, washout and enhancing capsule: LR-5".
    public static func sentence(size: Double, segment: Int, observation o: LIRADSObservation, category: LIRADSCategory) -> String {
        var findings: [String] = []
        if o.definitelyBenign { findings.append("a definitely benign appearance") }
        if o.nonrimAPHE { findings.append("nonrim APHE") }
        if o.rimAPHE { findings.append("rim APHE (targetoid)") }
        if o.nonperipheralWashout { findings.append("washout") }
        if o.enhancingCapsule { findings.append("enhancing capsule") }
        if o.thresholdGrowth { findings.append("threshold growth") }
        if o.necrosis { findings.append("necrosis") }
        if o.tumourInVein { findings.append("enhancing tissue filling a portal vein (tumour in vein)") }
        let list: String
        switch findings.count {
        case 0: list = "without major features"
        case 1: list = "with " + findings[0]
        default: list = "with " + findings.dropLast().joined(separator: ", ") + " and " + findings.last!
        }
        let place = segment > 0 ? " in segment \(CouinaudPlanes.roman(UInt8(segment)))" : ""
        return "\(Int(size.rounded())) mm observation\(place) \(list): \(category.rawValue)"
    }

    /// What the lesion network's decision rests on, in words: "Lesion network: mean lesion probability 0.92 over the
    /// observation on its widest slice. Made to look like liver in one phase at a time, it loses 72 % in the
    /// arterial phase and 1 % in the delayed phase, and gains 5 % in the portal venous phase: the network relies most on
    /// the arterial phase."
    public static func networkSentence(_ evidence: LiverAnalysisResult.NetworkEvidence) -> String {
        func name(_ slug: String) -> String { ContrastPhase.acquisitionOrder.first { $0.slug == slug }?.rawValue ?? slug }
        func list(_ falls: [LiverAnalysisResult.PhaseFall]) -> String {
            let parts = falls.map { String(format: "%.0f %%", 100 * abs($0.fall)) + " in the \(name($0.phase)) phase" }
            return parts.count < 2 ? parts.joined() : parts.dropLast().joined(separator: ", ") + " and " + parts.last!
        }
        let p = String(format: "%.2f", evidence.probability)
        var text = "Lesion network: mean lesion probability \(p) over the observation on its widest slice"
            + (evidence.probability > 0.5 ? "." : ", so the network does not mark it (the detector's rules found it).")
        let ranked = evidence.phaseFalls.sorted { $0.fall > $1.fall }
        let (losses, gains) = (ranked.filter { $0.fall >= 0 }, ranked.filter { $0.fall < 0 }.reversed())
        guard !ranked.isEmpty else { return text }
        text += " Made to look like liver in one phase at a time, it "
            + [losses.isEmpty ? nil : "loses " + list(losses), gains.isEmpty ? nil : "gains " + list(Array(gains))]
                .compactMap { $0 }.joined(separator: ", and ")
            + (ranked[0].fall > 0 ? ": the network relies most on the \(name(ranked[0].phase)) phase." : ".")
        return text
    }
}
