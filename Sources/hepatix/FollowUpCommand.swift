import Foundation
import Hepatix

/// `hepatix followup BASELINE_DIR FOLLOWUP_DIR --interval-days D | --phantom SEED [--growth G] [--interval-days D]`
/// `[--dose F] [--denoise] [--threads N] --out DIR`: analyses two studies of one patient and compares them
/// (per-lesion long-axis and volume change, LI-RADS threshold growth, RECIST 1.1 response); writes
/// `followup.json` and both analyses (`baseline/`, `followup/`) into DIR. With `--phantom` the follow-up is the
/// same phantom with its malignant lesions scaled by G (default 1.5), the patient moved by (6, -4, 5) mm and
/// turned 1.1°, and new noise; the truth change is printed beside the measured one.
enum FollowUpCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let (paths, rest) = DicomCommand.pathsAndOptions(args)
        let a = try Arguments(rest, valued: PhantomArguments.valued.union(["--phantom", "--growth", "--interval-days", "--out", "--denoiser", "--denoise-strength"]),
                              flags: ["--denoise"])
        let out = a["--out"] ?? "out/followup"
        let threads = try a.int("--threads", default: 0)
        let analyzer = try AnalyzeCommand.analyzer(a, threads: threads)
        let days = try a["--interval-days"].map { text -> Double in
            guard let d = Double(text) else { throw CLIError("--interval-days takes a number") }
            return d
        }
        let baseline: MultiphaseStudy, later: MultiphaseStudy
        var truth: [PhantomLesion] = [], grownTruth: [PhantomLesion] = []
        if let seedText = a["--phantom"] {
            guard let seed = UInt64(seedText) else { throw CLIError("--phantom takes a seed") }
            guard let growth = Double(a["--growth"] ?? "1.5"), growth > 0, growth < 3 else { throw CLIError("--growth takes a factor in (0, 3)") }
            let options = try PhantomArguments.options(a)
            let anatomy = AbdomenAnatomy.generate(seed: seed)
            let grown = anatomy.followUp(growth: growth, shift: SIMD3(6, -4, 5), rotation: 0.02)
            baseline = try AbdomenStudy.render(anatomy: anatomy, noiseSeed: seed, options: options).study
            later = try AbdomenStudy.render(anatomy: grown, noiseSeed: seed &+ 1000, options: options).study
            (truth, grownTruth) = (anatomy.lesions, grown.lesions)
        } else {
            guard paths.count == 2 else { throw CLIError("followup takes BASELINE_DIR FOLLOWUP_DIR (or --phantom SEED)") }
            guard days != nil else { throw CLIError("followup of DICOM studies needs --interval-days") }
            baseline = try MultiphaseStudy.load(dicom: [paths[0]], threads: threads)
            later = try MultiphaseStudy.load(dicom: [paths[1]], threads: threads)
        }
        let bar = ProgressBar(label: "follow-up")
        let first = try analyzer.analyze(baseline) { stage, f in bar.update(f / 2, "baseline: " + stage) }
        let second = try analyzer.analyze(later) { stage, f in bar.update(0.5 + f / 2, "follow-up: " + stage) }
        bar.finish()
        let comparison = try LesionFollowUp(baseline: first, followUp: second, intervalDays: days ?? 90, threads: threads)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        _ = try first.writeOutputs(to: out + "/baseline", note: "Baseline study \(baseline.name).")
        _ = try second.writeOutputs(to: out + "/followup", note: "Follow-up study \(later.name).")
        try LiverAnalysisResult.jsonEncoder().encode(comparison).write(to: URL(fileURLWithPath: out + "/followup.json"))
        print(String(format: "interval %.0f days; RECIST 1.1: %@ (%@)", comparison.intervalDays, comparison.response.rawValue, comparison.responseReason))
        for p in comparison.pairs {
            func mm(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "-" }
            func pct(_ v: Double?) -> String { v.map { String(format: "%+.0f %%", $0) } ?? "-" }
            var line = "  \(p.status)\(p.target ? " (target)" : ""): #\(p.baseline.map(String.init) ?? "-") -> #\(p.followUp.map(String.init) ?? "-"), "
            line += "long axis \(mm(p.baselineLongAxisMM)) -> \(mm(p.followUpLongAxisMM)) mm (\(pct(p.longAxisChangePercent))), volume \(pct(p.volumeChangePercent))"
            line += ", \(p.baselineCategory?.rawValue ?? "-") -> \(p.followUpCategory?.rawValue ?? "-")\(p.thresholdGrowth ? ", threshold growth" : "")"
            print(line)
        }
        for (t, g) in zip(truth, grownTruth) {
            print(String(format: "  truth %d %@: long axis %.1f -> %.1f mm (%+.0f %%)", t.number, t.kind.rawValue, t.longAxisMM, g.longAxisMM,
                         100 * (g.longAxisMM / t.longAxisMM - 1)))
        }
        print("follow-up: \(out)/followup.json")
    }
}
