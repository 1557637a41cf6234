import Foundation

extension LiverAnalyzer.Output {
    /// Writes the analysis as DICOM beside the study it came from: `seg.dcm`, a Segmentation on the portal venous
    /// series (the liver, Couinaud segments I-VIII when they were found, each lesion with its tracking identity),
    /// and `sr.dcm`, a TID 1500 measurement report on it (liver volume; per lesion long and short axis, volume,
    /// mean core attenuation in each phase and the LI-RADS category). Returns the two paths.
    /// - Throws: `DicomError` when the portal venous series was resampled on loading (SEG frames must match its
    ///   slices), its grid does not match the analysis, or DCMTK refuses a value.
    public func writeDicom(to folder: String, sources: MultiphaseDicomSources) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let algorithm = "Hepatix \(BuildInfo.versionString) liver pipeline"
        var segments = [SegmentDefinition.liver(mask: liver.map { $0 ? 1 : 0 }, algorithm: algorithm)]
        if result.planes != nil {
            for s in 1...8 {
                let mask = couinaud.map { $0 == UInt8(s) ? UInt8(1) : 0 }
                guard mask.contains(1), let type = HepatixCodingScheme.couinaudSegment(s) else { continue }
                segments.append(SegmentDefinition(label: "Couinaud \(CouinaudPlanes.roman(UInt8(s)))", category: .anatomicalStructure, type: type,
                                                  algorithmName: algorithm, colour: DisplayColour(70, 110 + UInt8(s) * 15, 220), mask: mask))
            }
        }
        var findings = [ReportedFinding(trackingID: "Liver", trackingUID: DicomUID.make(), finding: .liver, segmentNumber: 1,
                                        measurements: [.volume(millilitres: result.liverVolumeML)])]
        for lesion in result.lesions {
            let uid = DicomUID.make(), name = "L\(lesion.number)"
            segments.append(.lesion(name, trackingUID: uid, mask: lesionNumber.map { Int($0) == lesion.number ? 1 : 0 }, algorithm: algorithm))
            var measurements: [ReportedMeasurement] = [.longAxis(millimetres: lesion.longAxisMM), .shortAxis(millimetres: lesion.shortAxisMM),
                                                        .volume(millilitres: lesion.volumeML)]
            for phase in ContrastPhase.acquisitionOrder where lesion.attenuation.core[phase.index].isFinite {
                measurements.append(.meanAttenuation(hounsfield: lesion.attenuation.core[phase.index], phase: phase))
            }
            findings.append(ReportedFinding(trackingID: name, trackingUID: uid, finding: .lesion, segmentNumber: segments.count,
                                            measurements: measurements,
                                            evaluations: ReportedFinding.liradsEvaluation(lesion.category.rawValue).map { [$0] } ?? []))
        }
        let seg = folder + "/seg.dcm", sr = folder + "/sr.dcm"
        try SegmentationWriter.write(segments, on: sources.portalVenous,
                                     identity: DicomObjectIdentity(seriesDescription: "Hepatix liver segmentation", seriesNumber: 901), to: seg)
        try MeasurementReportWriter.write(findings, sources: sources.instances, segmentation: seg, segmentedSeriesUID: sources.portalVenousSeriesUID,
                                          identity: DicomObjectIdentity(seriesDescription: "Hepatix measurement report", seriesNumber: 902), to: sr)
        return [seg, sr]
    }
}
