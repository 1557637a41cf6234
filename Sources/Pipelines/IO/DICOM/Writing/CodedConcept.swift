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
    /// Segmented property category (CID 7150) of organs.
    static let anatomicalStructure = CodedConcept("91723000", "SCT", "Anatomical Structure")
    /// Segmented property category (CID 7150) of lesions.
    static let morphologicallyAbnormalStructure = CodedConcept("49755003", "SCT", "Morphologically Altered Structure")
    /// Segmented property type (CID 7166) and finding site.
    static let liver = CodedConcept("10200004", "SCT", "Liver")
    /// Segmented property type (CID 7151) and finding of a liver observation.
    static let lesion = CodedConcept("52988006", "SCT", "Lesion")
    /// TID 1419 measurement name (CID 7469 is extensible).
    static let volume = CodedConcept("118565006", "SCT", "Volume")
    /// TID 1419 measurement name: longest in-plane diameter.
    static let longAxis = CodedConcept("103339001", "SCT", "Long Axis")
    /// TID 1419 measurement name: longest diameter perpendicular to the long axis.
    static let shortAxis = CodedConcept("103340004", "SCT", "Short Axis")
    /// TID 1419 measurement name of a CT value.
    static let attenuationCoefficient = CodedConcept("112031", "DCM", "Attenuation Coefficient")
    /// UCUM unit (CID 7181).
    static let millilitre = CodedConcept("ml", "UCUM", "milliliter")
    /// UCUM unit (CID 7181).
    static let millimetre = CodedConcept("mm", "UCUM", "millimeter")
    /// UCUM unit (CID 7181).
    static let hounsfieldUnit = CodedConcept("[hnsf'U]", "UCUM", "Hounsfield unit")
}
