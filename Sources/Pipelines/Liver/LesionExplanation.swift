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
}
