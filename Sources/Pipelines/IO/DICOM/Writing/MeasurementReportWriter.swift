import CDICOM

/// One numeric measurement of a finding (TID 1419): a concept, a value in UCUM units, whether it is a
/// mean over the region, and an optional modifier (the contrast phase of an attenuation).
public struct ReportedMeasurement: Sendable {
    public var concept: CodedConcept
    public var units: CodedConcept
    public var value: Double
    public var isMean: Bool
    public var modifier: (concept: CodedConcept, value: CodedConcept)?

    public init(concept: CodedConcept, units: CodedConcept, value: Double, isMean: Bool = false,
                modifier: (concept: CodedConcept, value: CodedConcept)? = nil) {
        (self.concept, self.units, self.value, self.isMean, self.modifier) = (concept, units, value, isMean, modifier)
    }

    /// Volume in millilitres.
    public static func volume(millilitres: Double) -> ReportedMeasurement {
        ReportedMeasurement(concept: .volume, units: .millilitre, value: millilitres)
    }

    /// Long axis (longest in-plane diameter) in millimetres.
    public static func longAxis(millimetres: Double) -> ReportedMeasurement {
        ReportedMeasurement(concept: .longAxis, units: .millimetre, value: millimetres)
    }

    /// Short axis (longest diameter perpendicular to the long axis) in millimetres.
    public static func shortAxis(millimetres: Double) -> ReportedMeasurement {
        ReportedMeasurement(concept: .shortAxis, units: .millimetre, value: millimetres)
    }

    /// Mean attenuation (HU) over the region in one contrast phase.
    public static func meanAttenuation(hounsfield: Double, phase: ContrastPhase) -> ReportedMeasurement {
        ReportedMeasurement(concept: .attenuationCoefficient, units: .hounsfieldUnit, value: hounsfield, isMean: true,
                            modifier: (HepatixCodingScheme.contrastPhaseConcept, HepatixCodingScheme.phase(phase)))
    }
}

/// One finding of the report (a TID 1411 volumetric ROI group) tied to a segment of the SEG.
public struct ReportedFinding: Sendable {
    public var trackingID: String, trackingUID: String
    public var finding: CodedConcept
    public var findingSite: CodedConcept
    /// Segment Number (1-based) of the finding's segment in the SEG.
    public var segmentNumber: Int
    public var measurements: [ReportedMeasurement]
    /// Qualitative evaluations as (concept, value), e.g. the LI-RADS category.
    public var evaluations: [(concept: CodedConcept, value: CodedConcept)]

    public init(trackingID: String, trackingUID: String, finding: CodedConcept, findingSite: CodedConcept = .liver,
                segmentNumber: Int, measurements: [ReportedMeasurement],
                evaluations: [(concept: CodedConcept, value: CodedConcept)] = []) {
        (self.trackingID, self.trackingUID, self.finding, self.findingSite) = (trackingID, trackingUID, finding, findingSite)
        (self.segmentNumber, self.measurements, self.evaluations) = (segmentNumber, measurements, evaluations)
    }

    /// The LI-RADS category ("LR-1" ... "LR-5", "LR-M", "LR-TIV", "LR-NC") as an evaluation, nil for an unknown name.
    public static func liradsEvaluation(_ category: String) -> (concept: CodedConcept, value: CodedConcept)? {
        HepatixCodingScheme.liradsCategories[category].map { (HepatixCodingScheme.liradsCategoryConcept, $0) }
    }
}

/// Writes a TID 1500 measurement report (Enhanced SR, through DCMTK dcmsr/cmr) on a SEG written by
/// `SegmentationWriter`: per finding its tracking identity, finding and site, referenced segment and source
/// series, measurements and evaluations; evidence lists every source image and the SEG.
public enum MeasurementReportWriter {
    /// Writes the report.
    /// - Parameters:
    ///   - sources: every image a measurement was taken on (all phases); the segmented series among them.
    ///   - segmentation: path of the SEG the findings' segment numbers refer to.
    ///   - segmentedSeriesUID: the series the SEG was drawn on.
    /// - Throws: `DicomError` naming the problem (no findings, unreadable SEG or sources, DCMTK refusing a value).
    public static func write(_ findings: [ReportedFinding], sources: [DicomInstance], segmentation: String,
                             segmentedSeriesUID: String, identity: DicomObjectIdentity, to path: String) throws {
        guard !findings.isEmpty else { throw DicomError("no findings to report") }
        for finding in findings where finding.segmentNumber < 1 || finding.segmentNumber > 65535 {
            throw DicomError("finding \(finding.trackingID): segment number \(finding.segmentNumber) is not 1...65535")
        }
        let arena = CStringArena()
        let groups = findings.map { finding in
            let measurements = finding.measurements.map { m in
                cdicom_measurement(concept: arena.code(m.concept), units: arena.code(m.units), value: m.value,
                                   derivation_mean: m.isMean ? 1 : 0,
                                   modifier_concept: m.modifier.map { arena.code($0.concept) } ?? cdicom_code(),
                                   modifier_value: m.modifier.map { arena.code($0.value) } ?? cdicom_code())
            }
            return cdicom_measurement_group(
                tracking_id: arena.string(finding.trackingID), tracking_uid: arena.string(finding.trackingUID),
                finding: arena.code(finding.finding), finding_site: arena.code(finding.findingSite),
                segment_number: UInt16(finding.segmentNumber), measurements: arena.array(measurements),
                measurement_count: measurements.count, evaluation_concepts: arena.array(finding.evaluations.map { arena.code($0.concept) }),
                evaluation_values: arena.array(finding.evaluations.map { arena.code($0.value) }),
                evaluation_count: finding.evaluations.count)
        }
        let paths = sources.map { Optional(arena.string($0.path)) }
        var request = cdicom_sr_request(
            source_paths: arena.array(paths), source_count: paths.count, segmentation_path: arena.string(segmentation),
            segmented_series_uid: arena.string(segmentedSeriesUID), groups: arena.array(groups), group_count: groups.count,
            schemes: arena.array([arena.hepatixScheme()]), scheme_count: 1, identity: arena.identity(identity),
            device_observer_uid: arena.string(deviceObserverUID), device_observer_name: arena.string("Hepatix"),
            output_path: arena.string(path))
        try CStringArena.call("writing measurement report \(path)") { cdicom_write_measurement_report(&request, $0, $1) }
    }

    /// Device Observer UID of the Hepatix software (fixed, under the 2.25 root).
    public static let deviceObserverUID = "2.25.200385213416337165546413298763204351021"
}
