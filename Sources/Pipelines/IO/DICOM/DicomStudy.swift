/// One series of a study: its instances (in scan order) and what identifies it.
public struct DicomSeries: Sendable {
    public let seriesInstanceUID: String
    public let instances: [DicomInstance]
    /// Contrast phase and the rule that assigned it (CT series of a study; `.unknown` otherwise).
    public internal(set) var phase: PhaseAssignment

    /// Modality, Series Number and Series Description of the first instance.
    public var modality: String { instances[0].modality }
    public var seriesNumber: Int? { instances[0].seriesNumber }
    public var seriesDescription: String { instances[0].seriesDescription }

    /// The slices ordered along the normal with their spacing checked.
    /// - Throws: `DicomError` when the instances do not form a volume.
    public func sliceStack() throws -> SliceStack {
        try SliceStack(instances, name: "series \(seriesNumber.map(String.init) ?? "?") \"\(seriesDescription)\" (\(seriesInstanceUID))")
    }

    /// What the phase classifier reads from this series (earliest acquisition time of its images).
    var phaseCues: PhaseCues {
        let first = instances[0]
        return PhaseCues(text: [first.seriesDescription, first.protocolName, first.imageComments].joined(separator: " "),
                         contrastAgent: first.contrastAgent,
                         acquisitionSeconds: instances.compactMap(\.acquisitionSeconds).min(),
                         contrastStartSeconds: first.contrastStartSeconds)
    }
}

/// One study (Study Instance UID) with its series, in Series Number order.
public struct DicomStudy: Sendable {
    public let studyInstanceUID: String
    public let series: [DicomSeries]
    /// Patient and study attributes of the first instance.
    public var patientName: String { series[0].instances[0].patientName }
    public var patientID: String { series[0].instances[0].patientID }
    public var studyDate: String { series[0].instances[0].studyDate }
    public var studyDescription: String { series[0].instances[0].studyDescription }

    /// The series assigned to `phase` (the first by Series Number if several).
    public func series(for phase: ContrastPhase) -> DicomSeries? { series.first { $0.phase.phase == phase } }

    /// Groups instances by study and series; CT image series of each study get their contrast phase.
    static func group(_ instances: [DicomInstance]) -> [DicomStudy] {
        var studyOrder: [String] = [], bySeries: [String: [String: [DicomInstance]]] = [:], seriesOrder: [String: [String]] = [:]
        for instance in instances {
            if bySeries[instance.studyInstanceUID] == nil { studyOrder.append(instance.studyInstanceUID) }
            if bySeries[instance.studyInstanceUID, default: [:]][instance.seriesInstanceUID] == nil {
                seriesOrder[instance.studyInstanceUID, default: []].append(instance.seriesInstanceUID)
            }
            bySeries[instance.studyInstanceUID, default: [:]][instance.seriesInstanceUID, default: []].append(instance)
        }
        let unknown = PhaseAssignment(phase: .unknown, reason: "not a CT image series")
        return studyOrder.map { study in
            var list = seriesOrder[study]!.map { DicomSeries(seriesInstanceUID: $0, instances: bySeries[study]![$0]!, phase: unknown) }
            list.sort { ($0.seriesNumber ?? Int.max, $0.seriesInstanceUID) < ($1.seriesNumber ?? Int.max, $1.seriesInstanceUID) }
            let ct = list.indices.filter { list[$0].modality == "CT" && list[$0].instances[0].rows > 0 }
            for (index, assignment) in zip(ct, PhaseClassifier.classify(ct.map { list[$0].phaseCues })) {
                list[index].phase = assignment
            }
            return DicomStudy(studyInstanceUID: study, series: list)
        }
    }
}
