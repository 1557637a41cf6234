import Foundation
import Hepatix

/// `hepatix reconstruct --workload DIR/geometry.json [--filter NAME] [--cutoff C] [--threads N]
/// [--volume 256|512] [--repeat K] [--warmup W] [--algorithm A ...] [--dose D --photons I0 --seed S] --out OUT.f32`: FBP/FDK of a benchmark workload; writes the image in
/// the truth file's layout plus a JSON sidecar (`OUT.json`) with timings and, when the workload has an
/// analytic truth, RMSE figures.
enum ReconstructCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--workload", "--filter", "--cutoff", "--threads", "--out", "--volume", "--repeat", "--warmup", "--algorithm", "--iterations", "--subsets", "--beta", "--delta", "--dose", "--photons", "--seed", "--blend", "--tomo", "--relaxation", "--curve"],
                                flags: ["--warm-start"])
        if let folder = a["--tomo"] { return try TomoCommand.run(folder: folder, arguments: a) }
        let workload = try Workload(path: try a.required("--workload"), volumeSize: try a.int("--volume", default: 256))
        let out = try a.required("--out")
        var options = FBPOptions()
        if let f = a["--filter"] {
            guard let w = FilterWindow(rawValue: f) else {
                throw CLIError("unknown filter '\(f)'; one of \(FilterWindow.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.window = w
        }
        if let c = a["--cutoff"] {
            guard let v = Double(c) else { throw CLIError("--cutoff expects a number") }
            options.cutoff = v
        }
        options.threads = try a.int("--threads", default: 0)
        let repeats = max(1, try a.int("--repeat", default: 1))
        // Untimed runs first (page faults, caches), as the peers' timing harness does.
        let warmups = max(0, try a.int("--warmup", default: repeats > 1 ? 1 : 0))
        let geometry = workload.geometry, grid = workload.grid

        let tLoad = Date()
        var projections = try RawFloatFile.read(workload.projectionsPath, count: geometry.views.count * geometry.rows * geometry.columns)
        var simulation: [String: Any] = [:]
        if let doseText = a["--dose"] {
            // Lower-dose scan simulated from the clean line integrals (Poisson + no electronic noise).
            guard let dose = Double(doseText), let photons = Double(a["--photons"] ?? "1e5") else {
                throw CLIError("--dose and --photons expect numbers")
            }
            let seed = UInt64(try a.int("--seed", default: 1))
            projections = try LowDoseSimulator(incidentPhotons: photons).simulate(projections, dose: dose, seed: seed)
            simulation = ["dose": dose, "photons": photons, "seed": seed]
        }
        let loadSeconds = Date().timeIntervalSince(tLoad)
        let algorithm = a["--algorithm"] ?? "fbp"
        let iterations = try a.int("--iterations", default: algorithm == "hybrid" ? 10 : 50)
        let tPlan = Date()
        let plan: any VolumeReconstructor
        if algorithm == "fbp" {
            plan = try FBPPlan(geometry: geometry, grid: grid, options: options)
        } else {
            guard let method = IterativeAlgorithm(rawValue: algorithm) else {
                throw CLIError("unknown algorithm '\(algorithm)'; one of fbp, \(IterativeAlgorithm.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var recipe = try Self.recipe(a, method, iterations: iterations, threads: options.threads)
            if a["--filter"] != nil || a["--cutoff"] != nil { recipe.startFBP = options }   // the FBP that starts hybrid / warm starts
            plan = try recipe.makePlan(geometry: geometry, grid: grid)
            if let curvePath = a["--curve"] {
                try CurveRecorder.record(recipe, workload: workload, projections: projections, to: curvePath)
            }
        }
        var output = [Float](repeating: 0, count: grid.count)
        let reconstruct = { (progress: ProgressHandler?) throws -> [Float] in
            try projections.withUnsafeBufferPointer { p in
                try output.withUnsafeMutableBufferPointer { try plan.execute(projections: p, output: $0, progress: progress) }
            }
            return output
        }
        let stages = { () -> [String: Any] in
            guard let fbp = plan as? FBPPlan else { return [:] }
            return ["last_filter_seconds": fbp.lastStageSeconds.filter, "last_backprojection_seconds": fbp.lastStageSeconds.backprojection]
        }
        let planSeconds = Date().timeIntervalSince(tPlan)
        var image = [Float]()
        var times: [Double] = []
        let bar = ProgressBar(label: "reconstruct")
        for r in 0..<(warmups + repeats) {
            let handler: ProgressHandler? = r == 0 ? { bar.update($0) } : nil
            let t = Date()
            image = try reconstruct(handler)
            if r >= warmups { times.append(Date().timeIntervalSince(t)) }
        }
        bar.finish()
        try RawFloatFile.write(image, to: out)
        let best = times.min()!, median = times.sorted()[times.count / 2]
        let updates = Double(grid.count) * Double(geometry.views.count)
        var report: [String: Any] = [
            "workload": workload.kind, "filter": options.window.rawValue, "cutoff": options.cutoff,
            "algorithm": algorithm, "iterations": algorithm == "fbp" ? 0 : iterations,
            "threads": WorkerPool(threads: options.threads).threads, "tier": options.tier.rawValue,
            "nx": grid.nx, "ny": grid.ny, "nz": grid.nz, "views": geometry.views.count,
            "seconds_median": median, "seconds_min": best, "seconds_all": times,
            "plan_seconds": planSeconds, "load_seconds": loadSeconds, "gups": updates / median / 1e9,
            "output": out,
        ]
        report.merge(stages()) { $1 }
        report.merge(simulation) { $1 }
        if let truthPath = workload.truthPath {
            let truth = try RawFloatFile.read(truthPath, count: grid.count)
            let metrics = try ImageMetrics(reconstruction: image, truth: truth, workload: workload)
            report.merge(metrics.dictionary) { $1 }
        }
        let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        let sidecar = (out as NSString).deletingPathExtension + ".json"
        guard FileManager.default.createFile(atPath: sidecar, contents: json) else { throw CLIError("cannot write \(sidecar)") }
        print(String(data: json, encoding: .utf8)!)
    }

    /// The iterative recipe the command line asks for.
    static func recipe(_ a: Arguments, _ method: IterativeAlgorithm, iterations: Int, threads: Int) throws -> IterativeRecipe {
        var recipe = IterativeRecipe(method, iterations: iterations, threads: threads)
        recipe.options.subsets = try a.int("--subsets", default: 1)
        recipe.fbpWarmStart = a.has("--warm-start")
        for (flag, path) in [("--beta", \IterativeRecipe.beta), ("--delta", \.delta), ("--blend", \.blend),
                             ("--relaxation", \.options.relaxation)] {
            guard let text = a[flag] else { continue }
            guard let v = Double(text) else { throw CLIError("\(flag) expects a number") }
            recipe[keyPath: path] = v
        }
        return recipe
    }
}
