import Foundation

extension LiverAnalyzer.Output {
    /// Writes every output of an analysis into `folder` (created if missing) and returns their paths:
    /// `report.html` (with `note` as its acquisition line), `analysis.json` (every number), `timing.json`
    /// (stage times, kept apart so the other files are deterministic) and the NIfTI volumes of `writeNIfTI`.
    /// - Throws: file-system errors.
    public func writeOutputs(to folder: String, note: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = LiverAnalysisResult.jsonEncoder()
        try encoder.encode(result).write(to: URL(fileURLWithPath: folder + "/analysis.json"))
        try encoder.encode(stages).write(to: URL(fileURLWithPath: folder + "/timing.json"))
        try LiverReportHTML.page(self, note: note).write(toFile: folder + "/report.html", atomically: true, encoding: .utf8)
        try writeNIfTI(to: folder)
        let volumes = phases.keys.sorted { $0.index < $1.index }.map { "phase-\($0.slug).nii.gz" } + ["liver.nii.gz", "couinaud.nii.gz", "lesions.nii.gz"]
        return (["report.html", "analysis.json", "timing.json"] + volumes).map { folder + "/" + $0 }
    }
}
