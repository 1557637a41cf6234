import Foundation

extension MultiphaseStudy {
    /// The multiphase CT study in `paths` (folders, files or DICOMDIRs): the first study with a portal venous
    /// series, each contrast phase from its series (phases assigned by `PhaseClassifier`; a phase with several
    /// series takes the first in series order), loaded in HU.
    /// - Throws: `DicomError` when nothing can be read, `LiverAnalysisError` when no study has a portal venous phase.
    public static func load(dicom paths: [String], threads: Int = 0) throws -> MultiphaseStudy {
        let scan = try DicomScanner.scan(paths, threads: threads)
        guard let study = scan.studies().first(where: { $0.series(for: .portalVenous) != nil }) else {
            let found = scan.studies().flatMap { $0.series.map { "\($0.seriesDescription) (\($0.phase.phase.rawValue))" } }
            throw LiverAnalysisError("no study with a portal venous CT series in \(paths.joined(separator: ", ")); series found: "
                                     + (found.isEmpty ? "none" : found.joined(separator: "; ")))
        }
        var phases: [ContrastPhase: PatientVolume] = [:]
        for phase in ContrastPhase.acquisitionOrder {
            guard let series = study.series(for: phase) else { continue }
            phases[phase] = try DicomSeriesLoader.load(try series.sliceStack(), threads: threads)
        }
        return try MultiphaseStudy(name: study.studyDescription.isEmpty ? study.studyInstanceUID : study.studyDescription, phases: phases)
    }
}
