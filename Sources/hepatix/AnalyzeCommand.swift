import Foundation
import Hepatix

/// `hepatix analyze DICOM_DIR... | --phantom SEED [--dose D] [--acquisition image|fbp|ir] [--size NX,NY,NZ]
/// [--denoise | --denoiser M.onnx] [--denoise-strength S] [--resect 5,6,7,8] [--cnn-liver | --liver-model M.onnx]
/// [--cnn-lesions | --lesion-model M.onnx] [--tumour-in-vein] [--threads N] --out DIR`:
/// the liver pipeline on a multiphase DICOM study or the built-in phantom study, writing the report, `analysis.json`,
/// NIfTIs and, for a phantom, `evaluation.json` (scores against its truth).
enum AnalyzeCommand {
    /// Options that take a value and flags of `analyzer(_:threads:)`, shared by every command that analyses.
    static let analyzerValued: Set<String> = ["--threads", "--out", "--denoiser", "--denoise-strength", "--resect", "--liver-model", "--lesion-model"]
    static let analyzerFlags: Set<String> = ["--denoise", "--cnn-liver", "--cnn-lesions", "--acquired-seeds", "--lesions-on-acquired",
                                                "--lesions-on-denoised"]

    static func run(_ args: ArraySlice<String>) throws {
        let (paths, rest) = DicomCommand.pathsAndOptions(args)
        if !paths.isEmpty { return try analyzeDicom(paths, rest) }
        let a = try Arguments(args, valued: PhantomArguments.valued.union(analyzerValued).union(["--phantom"]),
                              flags: PhantomArguments.flags.union(analyzerFlags))
        let out = a["--out"] ?? "out/analysis"
        guard let seedText = a["--phantom"], let seed = UInt64(seedText) else { throw CLIError("analyze needs --phantom SEED") }
        let options = try PhantomArguments.options(a)
        try analyzePhantom(seed: seed, anatomy: PhantomArguments.anatomy(a, seed: seed), options: options,
                           analyzer: try analyzer(a, threads: options.threads), out: out)
    }

    /// `hepatix analyze DICOM_DIR... [--threads N] --out DIR`: the pipeline on a multiphase CT study read from DICOM.
    static func analyzeDicom(_ paths: [String], _ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: analyzerValued, flags: analyzerFlags)
        let out = a["--out"] ?? "out/analysis"
        let threads = try a.int("--threads", default: 0)
        let bar = ProgressBar(label: "analyze")
        let start = Date()
        let (study, sources) = try MultiphaseStudy.loadWithSources(dicom: paths, threads: threads)
        let loaded = Date().timeIntervalSince(start)
        let output = try analyzer(a, threads: threads).analyze(study) { stage, fraction in bar.update(fraction, stage) }
        bar.finish()
        let phases = study.phases.keys.sorted { $0.index < $1.index }.map(\.rawValue).joined(separator: ", ")
        var written: [AnalysisStage] = []
        let files = try output.writeOutputs(to: out, note: "DICOM study \(study.name): \(phases).") { written.append($0) }
        let clock = Date()
        let dicom = try output.writeDicom(to: out, sources: sources)
        written.append(AnalysisStage(name: "SEG + SR", seconds: Date().timeIntervalSince(clock)))
        print(String(format: "DICOM loaded in %.1f s; ", loaded) + timing(output.stages))
        print(String(format: "outputs %.1f s (%@); DICOM to report %.1f s, whole command %.1f s", written.reduce(0) { $0 + $1.seconds },
                     written.map { String(format: "%@ %.2f", $0.name, $0.seconds) }.joined(separator: ", "),
                     loaded + output.stages.reduce(0) { $0 + $1.seconds } + written.prefix(2).reduce(0) { $0 + $1.seconds },
                     Date().timeIntervalSince(start)))
        print(String(format: "liver %.0f mL", output.result.liverVolumeML))
        for lesion in output.result.lesions { print("  #\(lesion.number) \(lesion.sentence)") }
        print("report: \(files[0]); DICOM SEG and TID 1500 SR: \(dicom.joined(separator: ", "))")
    }

    /// Renders phantom `seed` (drawn as `anatomy`), analyses it with a progress bar and writes every output into `out`:
    /// `analysis.json`, `evaluation.json`, `timing.json`, NIfTI volumes (results and truth) and `report.html`;
    /// prints the stage times, the scores and one sentence per lesion.
    static func analyzePhantom(seed: UInt64, anatomy: AbdomenAnatomy? = nil, options: AbdomenStudy.Options, analyzer: LiverAnalyzer, out: String) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let bar = ProgressBar(label: "analyze")
        let start = Date()
        let phantom = try AbdomenStudy.render(anatomy: anatomy ?? .generate(seed: seed), noiseSeed: seed, options: options)
        let rendered = Date().timeIntervalSince(start)
        let output = try analyzer.analyze(phantom.study) { stage, fraction in bar.update(fraction, stage) }
        bar.finish()
        try phantom.writeTruthNIfTI(to: out)
        var written: [AnalysisStage] = []
        _ = try output.writeOutputs(to: out, note: options.note(seed: seed)) { written.append($0) }
        let evaluation = try PhantomEvaluation(output, truth: phantom)
        let encoder = LiverAnalysisResult.jsonEncoder()
        try encoder.encode(evaluation).write(to: URL(fileURLWithPath: out + "/evaluation.json"))
        print(String(format: "phantom %llu rendered in %.1f s; ", seed, rendered) + timing(output.stages))
        print("outputs " + timing(written).dropFirst("analysis ".count))
        if phantom.reconstructionSeconds > 0 {
            let toReport = phantom.reconstructionSeconds + (output.stages + written.prefix(2)).reduce(0) { $0 + $1.seconds }
            print(String(format: "reconstruction from projections %.1f s (within the rendering); projections to report %.1f s",
                         phantom.reconstructionSeconds, toReport))
        }
        print(String(format: "liver %.0f mL, Dice %.3f; Couinaud mean Dice %.3f (%@)", output.result.liverVolumeML, evaluation.liverDice,
                     evaluation.meanSegmentDice, evaluation.segmentDice.map { String(format: "%.2f", $0) }.joined(separator: " ")))
        for lesion in output.result.lesions { print("  #\(lesion.number) \(lesion.sentence)") }
        for t in evaluation.lesions {
            let found = t.detected.map { "detected #\($0), \(String(format: "%.1f", t.measuredLongAxisMM!)) mm, \(t.measuredCategory!.rawValue)" } ?? "MISSED"
            print(String(format: "  truth %d %@ %.1f mm %@: %@", t.number, t.kind.rawValue, t.truthLongAxisMM, t.truthCategory.rawValue, found))
        }
        print("false positives: \(evaluation.falsePositives); report: \(out)/report.html")
    }

    /// The pipeline on `threads` workers, with the CNN denoiser when `--denoise` (shipped model) or
    /// `--denoiser M.onnx` is given, at `--denoise-strength S` (0-1) when given; `--resect 5,6,7,8` adds a planned
    /// resection (Couinaud segments removed) to the standard ones whose future liver remnant is reported;
    /// `--cnn-liver` (shipped model) or `--liver-model M.onnx` segments the liver by the CNN path; `--cnn-lesions`
    /// (shipped model) or `--lesion-model M.onnx` adds the multiphase lesion network's proposals to the detector's seeds;
    /// `--acquired-seeds` (with a denoiser) adds the rules' seeds on the acquired phases too; with a denoiser,
    /// `--lesions-on-acquired` finds and measures lesions in the acquired phases (the denoised ones serving the anatomy)
    /// and `--lesions-on-denoised` in the denoised ones; without either the study's noise origin decides
    /// (`LiverAnalyzer.lesionsFromAcquiredPhases`).
    static func analyzer(_ a: Arguments, threads: Int) throws -> LiverAnalyzer {
        var analyzer = LiverAnalyzer()
        analyzer.threads = threads
        var strength = CNNDenoiser.defaultStrength
        if let text = a["--denoise-strength"] {
            guard let s = Float(text) else { throw CLIError("--denoise-strength takes a number from 0 to 1") }
            strength = s
        }
        if let text = a["--resect"] {
            let segments = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !segments.contains(nil) else { throw CLIError("--resect takes Couinaud segment numbers 1-8 separated by commas") }
            do {
                analyzer.resections.append(try FutureLiverRemnant.Resection(name: "planned resection", resectedSegments: segments.compactMap { $0 }))
            } catch let e as LiverAnalysisError { throw CLIError("--resect: \(e)") }
        }
        if a.has("--cnn-liver") || a["--liver-model"] != nil { analyzer.liverNetwork = try CNNLiverSegmenter(path: a["--liver-model"]) }
        if a.has("--cnn-lesions") || a["--lesion-model"] != nil { analyzer.lesionNetwork = try CNNLesionSegmenter(path: a["--lesion-model"]) }
        analyzer.seedsFromAcquiredPhases = a.has("--acquired-seeds")
        switch (a.has("--lesions-on-acquired"), a.has("--lesions-on-denoised")) {
        case (true, true): throw CLIError("--lesions-on-acquired and --lesions-on-denoised exclude each other")
        case (true, false): analyzer.lesionsFromAcquiredPhases = true
        case (false, true): analyzer.lesionsFromAcquiredPhases = false
        case (false, false): analyzer.lesionsFromAcquiredPhases = nil
        }
        if a.has("--denoise") || a["--denoiser"] != nil { analyzer.denoiser = try CNNDenoiser(path: a["--denoiser"], strength: strength) }
        return analyzer
    }

    /// "analysis T s (stage t, ...)": the total and each stage's wall time.
    static func timing(_ stages: [AnalysisStage]) -> String {
        String(format: "analysis %.1f s (%@)", stages.reduce(0) { $0 + $1.seconds },
               stages.map { String(format: "%@ %.2f", $0.name, $0.seconds) }.joined(separator: ", "))
    }
}
