import Foundation

extension LiverAnalyzer.Output {
    /// Writes every output of an analysis into `folder` (created if missing) and returns their paths:
    /// `report.html` (with `note` as its acquisition line), `analysis.json` (every number), `timing.json`
    /// (stage times, kept apart so the other files are deterministic), `radiomics.json` (IBSI features of every
    /// lesion, `LesionRadiomics`) and the NIfTI volumes of `writeNIfTI`.
    /// `timed` hears each writer's wall time ("radiomics", "report", "NIfTI").
    /// - Throws: file-system errors, `RadiomicsError` when a lesion's features cannot be computed.
    public func writeOutputs(to folder: String, note: String, timed: ((AnalysisStage) -> Void)? = nil) throws -> [String] {
        var clock = Date()
        func lap(_ name: String) {
            timed?(AnalysisStage(name: name, seconds: Date().timeIntervalSince(clock)))
            clock = Date()
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = LiverAnalysisResult.jsonEncoder()
        try encoder.encode(result).write(to: URL(fileURLWithPath: folder + "/analysis.json"))
        try encoder.encode(stages).write(to: URL(fileURLWithPath: folder + "/timing.json"))
        try encoder.encode(try LesionRadiomics(self)).write(to: URL(fileURLWithPath: folder + "/radiomics.json"))
        lap("radiomics")
        var quality = result.denoiser.map { note + " Every phase was denoised by the CNN \($0) before analysis." } ?? note
        if result.lesionsFromAcquiredPhases {
            quality += " Lesions were found, measured and categorised in the acquired images; the denoised ones served the liver, registration and vessel landmarks."
        }
        if result.liverSegmentation == "CNN" { quality += " The liver was segmented by the CNN path (trained on phantoms only: see Models/README.md)." }
        if result.lesionNetwork != nil { quality += " Lesion seeds were also proposed by the multiphase lesion CNN (trained on phantoms only: see Models/README.md)." }
        try LiverReportHTML.page(self, note: quality).write(toFile: folder + "/report.html", atomically: true, encoding: .utf8)
        lap("report")
        try writeNIfTI(to: folder)
        lap("NIfTI")
        let volumes = phases.keys.sorted { $0.index < $1.index }.map { "phase-\($0.slug).nii.gz" } + ["liver.nii.gz", "couinaud.nii.gz", "lesions.nii.gz"]
        return (["report.html", "analysis.json", "timing.json", "radiomics.json"] + volumes).map { folder + "/" + $0 }
    }
}
