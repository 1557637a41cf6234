/// Hepatix's private coding scheme, `99HEPATIX` (PS3.3 8.2: designators beginning with "99" are private),
/// for concepts no standard terminology names: the LI-RADS v2018 CT categories and the contrast phase a
/// measurement was taken in. Every report that uses it lists it in its Coding Scheme Identification
/// Sequence. The codes are frozen: never reuse or renumber one (docs/dicom-codes.md lists them).
public enum HepatixCodingScheme {
    /// Coding Scheme Designator, name, responsible organisation and version written with the scheme.
    public static let designator = "99HEPATIX"
    public static let name = "Hepatix private codes"
    public static let responsibleOrganization = "Hepatix project"
    public static let version = "1"

    /// Concept name of a LI-RADS qualitative evaluation.
    public static let liradsCategoryConcept = CodedConcept("HX-0001", designator, "LI-RADS v2018 CT/MRI diagnostic category")
    /// Concept name of the contrast phase modifier on an attenuation measurement.
    public static let contrastPhaseConcept = CodedConcept("HX-0002", designator, "Contrast phase")

    /// The LI-RADS v2018 categories, by their short names ("LR-1" ... "LR-5", "LR-M", "LR-TIV", "LR-NC").
    public static let liradsCategories: [String: CodedConcept] = [
        "LR-NC": CodedConcept("HX-0100", designator, "LR-NC Not categorizable"),
        "LR-1": CodedConcept("HX-0101", designator, "LR-1 Definitely benign"),
        "LR-2": CodedConcept("HX-0102", designator, "LR-2 Probably benign"),
        "LR-3": CodedConcept("HX-0103", designator, "LR-3 Intermediate probability of malignancy"),
        "LR-4": CodedConcept("HX-0104", designator, "LR-4 Probably HCC"),
        "LR-5": CodedConcept("HX-0105", designator, "LR-5 Definitely HCC"),
        "LR-M": CodedConcept("HX-0106", designator, "LR-M Probably or definitely malignant, not HCC specific"),
        "LR-TIV": CodedConcept("HX-0107", designator, "LR-TIV Tumor in vein"),
    ]

    /// The contrast phases as modifier values.
    public static func phase(_ phase: ContrastPhase) -> CodedConcept {
        switch phase {
        case .unenhanced: CodedConcept("HX-0200", designator, "Unenhanced phase")
        case .arterial: CodedConcept("HX-0201", designator, "Late arterial phase")
        case .portalVenous: CodedConcept("HX-0202", designator, "Portal venous phase")
        case .delayed: CodedConcept("HX-0203", designator, "Delayed phase")
        case .unknown: CodedConcept("HX-0209", designator, "Unknown phase")
        }
    }

    /// Couinaud segment `number` (1...8) of the liver as a segmented property type.
    public static func couinaudSegment(_ number: Int) -> CodedConcept? {
        guard (1...8).contains(number) else { return nil }
        let roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"][number - 1]
        return CodedConcept("HX-03\(String(format: "%02d", number))", designator, "Couinaud segment \(roman) of liver")
    }
}
