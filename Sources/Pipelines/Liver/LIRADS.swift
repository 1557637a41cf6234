/// LI-RADS v2018 CT/MRI diagnostic categories, assigned in the Core's order: LR-NC, LR-TIV, LR-1,
/// LR-2, LR-M, then the diagnostic table (LR-3/4/5) — with the rule that non-targetoid LR-M features
/// give LR-M only when the observation does not meet LR-5 criteria and has no tumour in vein.
/// Features are booleans ("if unsure, absent"); measuring them is the characteriser's job.
public enum LIRADSCategory: String, Sendable, Codable, CaseIterable, Comparable {
    case notCategorizable = "LR-NC"
    case definitelyBenign = "LR-1"
    case probablyBenign = "LR-2"
    case intermediate = "LR-3"
    case probablyHCC = "LR-4"
    case definitelyHCC = "LR-5"
    case malignantNotHCCSpecific = "LR-M"
    case tumourInVein = "LR-TIV"

    /// Orders categories as listed above (for tables and sorting, not a clinical ranking).
    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The management the v2018 Core suggests for the category, in brief.
    public var management: String {
        switch self {
        case .notCategorizable: return "repeat or alternative imaging within 3 months"
        case .definitelyBenign: return "return to routine surveillance in 6 months"
        case .probablyBenign: return "return to surveillance in 6 months; consider repeat imaging within 6 months"
        case .intermediate: return "repeat or alternative imaging in 3-6 months"
        case .probablyHCC: return "multidisciplinary discussion; may include biopsy"
        case .definitelyHCC: return "HCC by imaging: multidisciplinary discussion for consensus management"
        case .malignantNotHCCSpecific: return "multidisciplinary discussion; often biopsy"
        case .tumourInVein: return "multidisciplinary discussion; may include biopsy"
        }
    }
}

/// What the categorisation needs to know of one observation.
public struct LIRADSObservation: Sendable, Equatable, Codable {
    /// Largest outer-edge-to-outer-edge dimension, mm.
    public var sizeMM: Double
    /// Major features.
    public var nonrimAPHE = false, nonperipheralWashout = false, enhancingCapsule = false, thresholdGrowth = false
    /// Targetoid LR-M features (any one gives LR-M): rim APHE, peripheral washout, delayed central enhancement.
    public var rimAPHE = false, peripheralWashout = false, delayedCentralEnhancement = false
    /// Non-targetoid LR-M features: infiltrative appearance, necrosis or severe ischaemia.
    public var infiltrative = false, necrosis = false
    /// Unequivocal enhancing soft tissue in a vein.
    public var tumourInVein = false
    /// Definitely benign (e.g. simple cyst, hemangioma with typical enhancement) or probably benign.
    public var definitelyBenign = false, probablyBenign = false
    /// False when image degradation or a missing phase prevents categorisation.
    public var categorizable = true

    /// An observation of `sizeMM` with no features.
    public init(sizeMM: Double) { self.sizeMM = sizeMM }
}

/// The category and the step that decided it.
public struct LIRADSAssignment: Sendable, Equatable, Codable {
    /// The category.
    public let category: LIRADSCategory
    /// Which rule decided, in LI-RADS words ("diagnostic table: nonrim APHE, 10-19 mm, washout").
    public let reason: String
}

public enum LIRADS {
    /// Assigns the v2018 category of `o`, in the Core's step order.
    public static func categorize(_ o: LIRADSObservation) -> LIRADSAssignment {
        if !o.categorizable { return LIRADSAssignment(category: .notCategorizable, reason: "image degradation or omission") }
        if o.tumourInVein { return LIRADSAssignment(category: .tumourInVein, reason: "enhancing soft tissue in vein") }
        if o.definitelyBenign { return LIRADSAssignment(category: .definitelyBenign, reason: "definitely benign appearance") }
        if o.probablyBenign { return LIRADSAssignment(category: .probablyBenign, reason: "probably benign appearance") }
        let targetoid = [(o.rimAPHE, "rim APHE"), (o.peripheralWashout, "peripheral washout"),
                         (o.delayedCentralEnhancement, "delayed central enhancement")].filter(\.0).map(\.1)
        if !targetoid.isEmpty {
            return LIRADSAssignment(category: .malignantNotHCCSpecific, reason: "targetoid mass: " + targetoid.joined(separator: ", "))
        }
        let table = diagnosticTable(o)
        let nonTargetoid = [(o.infiltrative, "infiltrative appearance"), (o.necrosis, "necrosis")].filter(\.0).map(\.1)
        if !nonTargetoid.isEmpty && table.category != .definitelyHCC {
            return LIRADSAssignment(category: .malignantNotHCCSpecific,
                                    reason: "non-targetoid mass with " + nonTargetoid.joined(separator: ", ") + ", not meeting LR-5")
        }
        return table
    }

    /// The v2018 diagnostic table (Core p. 8): size band × nonrim APHE × count of additional major
    /// features (nonperipheral washout, enhancing capsule, threshold growth), with the 10-19 mm cell
    /// split: one feature gives LR-4 if it is capsule, LR-5 if washout or threshold growth.
    public static func diagnosticTable(_ o: LIRADSObservation) -> LIRADSAssignment {
        let features = [(o.nonperipheralWashout, "washout"), (o.enhancingCapsule, "capsule"),
                        (o.thresholdGrowth, "threshold growth")].filter(\.0).map(\.1)
        let n = features.count
        let band = o.sizeMM < 10 ? "<10 mm" : o.sizeMM < 20 ? "10-19 mm" : ">=20 mm"
        let category: LIRADSCategory
        if !o.nonrimAPHE {
            category = o.sizeMM < 20 ? (n >= 2 ? .probablyHCC : .intermediate) : (n >= 1 ? .probablyHCC : .intermediate)
        } else if o.sizeMM < 10 {
            category = n >= 1 ? .probablyHCC : .intermediate
        } else if o.sizeMM < 20 {
            category = n == 0 ? .intermediate : n >= 2 ? .definitelyHCC : (o.enhancingCapsule ? .probablyHCC : .definitelyHCC)
        } else {
            category = n >= 1 ? .definitelyHCC : .probablyHCC
        }
        let aphe = o.nonrimAPHE ? "nonrim APHE" : "no APHE"
        let extra = features.isEmpty ? "no additional major feature" : features.joined(separator: ", ")
        return LIRADSAssignment(category: category, reason: "diagnostic table: \(aphe), \(band), \(extra)")
    }
}
