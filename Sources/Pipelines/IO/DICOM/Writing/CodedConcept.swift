/// A coded concept as DICOM writes it (PS3.3 Code Sequence Macro): code value, coding scheme
/// designator and code meaning.
public struct CodedConcept: Sendable, Equatable, Hashable {
    public let value: String, scheme: String, meaning: String

    /// A concept from its three parts.
    public init(_ value: String, _ scheme: String, _ meaning: String) {
        (self.value, self.scheme, self.meaning) = (value, scheme, meaning)
    }
}

/// Standard codes the writers use (SNOMED CT "SCT", DICOM "DCM", UCUM units).
public extension CodedConcept {
    // Segmented property categories (CID 7150) and types (CID 7151, 7166).
    static let anatomicalStructure = CodedConcept("91723000", "SCT", "Anatomical Structure")
    static let morphologicallyAbnormalStructure = CodedConcept("49755003", "SCT", "Morphologically Altered Structure")
    static let liver = CodedConcept("10200004", "SCT", "Liver")
    static let lesion = CodedConcept("52988006", "SCT", "Lesion")
    static let mass = CodedConcept("4147007", "SCT", "Mass")
    // TID 1419 measurement names (CID 7469 is extensible) and UCUM units (CID 7181).
    static let volume = CodedConcept("118565006", "SCT", "Volume")
    static let longAxis = CodedConcept("103339001", "SCT", "Long Axis")
    static let shortAxis = CodedConcept("103340004", "SCT", "Short Axis")
    static let attenuationCoefficient = CodedConcept("112031", "DCM", "Attenuation Coefficient")
    static let millilitre = CodedConcept("ml", "UCUM", "milliliter")
    static let millimetre = CodedConcept("mm", "UCUM", "millimeter")
    static let hounsfieldUnit = CodedConcept("[hnsf'U]", "UCUM", "Hounsfield unit")
}
