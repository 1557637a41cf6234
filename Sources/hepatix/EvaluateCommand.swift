import Foundation
import Hepatix

/// `hepatix evaluate --seeds 1-20 [--dose 1,0.33] [--threads N] [--out FILE.json]`: the liver pipeline on
/// many phantom studies, scored against their truth (the acceptance figures of the liver analysis).
enum EvaluateCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: PhantomArguments.valued.union(AnalyzeCommand.analyzerValued).union(["--seeds"]),
                              flags: PhantomArguments.flags.union(AnalyzeCommand.analyzerFlags).union(["--verbose"]))
        let range = (a["--seeds"] ?? "1-20").split(separator: "-").compactMap { UInt64($0) }
        guard range.count == 2 || range.count == 1 else { throw CLIError("--seeds takes A-B or A") }
        let seeds = range[0]...(range.last!)
        let doses = try (a["--dose"] ?? "1").split(separator: ",").map { text -> Double in
            guard let d = Double(text) else { throw CLIError("--dose takes numbers separated by commas") }
            return d
        }
        var report: [String: PhantomScorecard] = [:]
        for dose in doses {
            var evaluations: [PhantomEvaluation] = []
            for seed in seeds {
                var options = try PhantomArguments.options(a, readDose: false)
                options.dose = dose
                let phantom = try AbdomenStudy.render(anatomy: PhantomArguments.anatomy(a, seed: seed), noiseSeed: seed, options: options)
                var analyzer = try AnalyzeCommand.analyzer(a, threads: options.threads)
                analyzer.lesionNetworkEvidence = false   // explanations only: no figure depends on them
                let e = try PhantomEvaluation(try analyzer.analyze(phantom.study), truth: phantom)
                evaluations.append(e)
                if a.has("--verbose") {
                    let misses = e.lesions.filter { $0.detected == nil }.map { "\($0.kind.rawValue) \(Int($0.truthLongAxisMM.rounded())) mm" }
                    let wrong = e.lesions.filter { $0.detected != nil && $0.measuredCategory != $0.truthCategory }
                        .map { "\($0.kind.rawValue) \($0.truthCategory.rawValue)->\($0.measuredCategory!.rawValue)" }
                    let sized = e.lesions.compactMap { l in l.measuredLongAxisMM.map { (l, $0) } }.filter { abs($0.1 - $0.0.truthLongAxisMM) > 1.5 }
                        .map { String(format: "%@ %.1f->%.1f", $0.0.kind.rawValue, $0.0.truthLongAxisMM, $0.1) }
                    print(String(format: "seed %llu dose %.2f: liver %.3f, segments %.3f, FP %d, noise %.1f HU, registration %.2f mm, missed [%@], miscategorised [%@], long axis off by > 1.5 mm [%@]", seed, dose,
                                 e.liverDice, e.meanSegmentDice, e.falsePositives, e.liverNoiseHU, e.registrationErrorMM.values.max() ?? 0, misses.joined(separator: ", "),
                                 wrong.joined(separator: ", "), sized.joined(separator: ", ")))
                    fflush(nil)
                }
            }
            let card = PhantomScorecard(evaluations)
            report[String(format: "%.2f", dose)] = card
            print(String(format: "dose %.2f:", dose))
            print(card.summary)
        }
        if let out = a["--out"] {
            let encoder = LiverAnalysisResult.jsonEncoder()
            try encoder.encode(report).write(to: URL(fileURLWithPath: out))
        }
    }
}
