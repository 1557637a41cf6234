import Foundation

/// The DICOM files a multiphase study was read from: what DICOM outputs (SEG, SR) must reference.
public struct MultiphaseDicomSources: Sendable {
    /// The portal venous series' slices, in the order of the loaded volume's slices.
    public let portalVenous: SliceStack
    public let portalVenousSeriesUID: String
    /// Every image of every loaded phase.
    public let instances: [DicomInstance]
}

extension MultiphaseStudy {
    /// The multiphase CT study in `paths` (folders, files or DICOMDIRs): the first study with a portal venous
    /// series, each contrast phase from its series (phases assigned by `PhaseClassifier`; a phase with several
    /// series takes the first in series order), loaded in HU.
    /// - Throws: `DicomError` when nothing can be read, `LiverAnalysisError` when no study has a portal venous phase.
    public static func load(dicom paths: [String], threads: Int = 0) throws -> MultiphaseStudy {
        try loadWithSources(dicom: paths, threads: threads).study
    }

    /// `load(dicom:threads:)` and the DICOM files behind it.
    public static func loadWithSources(dicom paths: [String], threads: Int = 0) throws -> (study: MultiphaseStudy, sources: MultiphaseDicomSources) {
        let scan = try DicomScanner.scan(paths, threads: threads)
        guard let study = scan.studies().first(where: { $0.series(for: .portalVenous) != nil }) else {
            let found = scan.studies().flatMap { $0.series.map { "\($0.seriesDescription) (\($0.phase.phase.rawValue))" } }
            throw LiverAnalysisError("no study with a portal venous CT series in \(paths.joined(separator: ", ")); series found: "
                                     + (found.isEmpty ? "none" : found.joined(separator: "; ")))
        }
        var phases: [ContrastPhase: PatientVolume] = [:], instances: [DicomInstance] = []
        for phase in ContrastPhase.acquisitionOrder {
            guard let series = study.series(for: phase) else { continue }
            phases[phase] = try DicomSeriesLoader.load(try series.sliceStack(), threads: threads)
            instances += series.instances
        }
        let portal = study.series(for: .portalVenous)!
        let loaded = try MultiphaseStudy(name: study.studyDescription.isEmpty ? study.studyInstanceUID : study.studyDescription, phases: phases)
        return (loaded, MultiphaseDicomSources(portalVenous: try portal.sliceStack(), portalVenousSeriesUID: portal.seriesInstanceUID,
                                               instances: instances))
    }
}
