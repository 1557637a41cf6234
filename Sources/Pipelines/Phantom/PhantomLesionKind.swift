/// The focal liver lesions the phantom can hold, each with its enhancement pattern per phase (unenhanced,
/// late arterial, portal venous, delayed) for its core, rim and capsule, and the LI-RADS features that
/// pattern shows by design (the ground truth; the pipeline must measure them from the images).
public enum PhantomLesionKind: String, Sendable, Codable, CaseIterable {
    /// Hepatocellular carcinoma: nonrim APHE, nonperipheral washout, enhancing capsule.
    case hcc
    /// Hemangioma: peripheral nodular arterial enhancement that parallels the blood pool, centripetal fill-in.
    case hemangioma
    /// Simple cyst: water attenuation, no enhancement.
    case cyst
    /// Hypovascular metastasis: hypoattenuating in every phase around a non-enhancing necrotic core.
    case hypovascularMetastasis
    /// Rim-enhancing metastasis: rim APHE (targetoid) with a hypoenhancing centre.
    case rimMetastasis
    /// Focal nodular hyperplasia: homogeneous APHE, isoattenuating in the portal venous and delayed phases.
    case fnh

    /// Core HU per phase.
    public var core: SIMD4<Float> {
        switch self {
        case .hcc: return SIMD4(45, 125, 85, 68)
        case .hemangioma: return SIMD4(40, 45, 105, 112)
        case .cyst: return SIMD4(5, 5, 6, 6)
        case .hypovascularMetastasis: return SIMD4(25, 26, 28, 28)   // necrosis: not water, not enhancing
        case .rimMetastasis: return SIMD4(38, 45, 70, 68)
        case .fnh: return SIMD4(52, 150, 112, 91)
        }
    }

    /// Rim HU per phase (the outer `rimFraction` of the radius); equal to the core where there is no rim.
    public var rim: SIMD4<Float> {
        switch self {
        case .hemangioma: return SIMD4(40, 240, 160, 112)     // peripheral nodules near the aorta's level
        case .hypovascularMetastasis: return SIMD4(35, 55, 80, 75)   // enhancing wall, hypo to liver
        case .rimMetastasis: return SIMD4(40, 135, 112, 88)
        default: return core
        }
    }

    /// Outer share of the radius that is rim.
    public var rimFraction: Double {
        switch self {
        case .hemangioma: return 0.25
        case .hypovascularMetastasis: return 0.4
        case .rimMetastasis: return 0.3
        default: return 0
        }
    }

    /// Capsule HU per phase (a 1.5 mm shell outside the lesion), nil when the lesion has none.
    public var capsule: SIMD4<Float>? { self == .hcc ? SIMD4(50, 72, 135, 125) : nil }

    /// Hemangioma rims are nodular: the rim enhances only in `nodules` sectors around the lesion.
    public var rimNodules: Int { self == .hemangioma ? 5 : 0 }

    /// The LI-RADS observation this lesion presents by design, at `sizeMM`.
    public func truthObservation(sizeMM: Double) -> LIRADSObservation {
        var o = LIRADSObservation(sizeMM: sizeMM)
        switch self {
        case .hcc: (o.nonrimAPHE, o.nonperipheralWashout, o.enhancingCapsule) = (true, true, true)
        case .hemangioma, .cyst: o.definitelyBenign = true
        case .hypovascularMetastasis: o.necrosis = true
        case .rimMetastasis: o.rimAPHE = true
        case .fnh: o.nonrimAPHE = true
        }
        return o
    }
}
