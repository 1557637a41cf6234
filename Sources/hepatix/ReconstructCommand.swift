import Foundation
import Hepatix

/// `hepatix reconstruct --workload DIR/geometry.json [--filter NAME] [--cutoff C] [--threads N]
/// [--volume 256|512] [--repeat K] [--warmup W] --out OUT.f32`: FBP/FDK of a benchmark workload; writes the image in
/// the truth file's layout plus a JSON sidecar (`OUT.json`) with timings and, when the workload has an
/// analytic truth, RMSE figures.
enum ReconstructCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--workload", "--filter", "--cutoff", "--threads", "--out", "--volume", "--repeat", "--warmup"])
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
        let projections = try RawFloatFile.read(workload.projectionsPath, count: geometry.views.count * geometry.rows * geometry.columns)
        let loadSeconds = Date().timeIntervalSince(tLoad)
        let tPlan = Date()
        let plan = try FBPPlan(geometry: geometry, grid: grid, options: options)
        let planSeconds = Date().timeIntervalSince(tPlan)
        var image = [Float](repeating: 0, count: grid.count)
        var times: [Double] = []
        let bar = ProgressBar(label: "reconstruct")
        for r in 0..<(warmups + repeats) {
            let handler: ProgressHandler? = r == 0 ? { bar.update($0) } : nil
            let t = Date()
            try projections.withUnsafeBufferPointer { p in
                try image.withUnsafeMutableBufferPointer { o in
                    try plan.execute(projections: p, output: o, progress: handler)
                }
            }
            if r >= warmups { times.append(Date().timeIntervalSince(t)) }
        }
        bar.finish()
        try RawFloatFile.write(image, to: out)
        let best = times.min()!, median = times.sorted()[times.count / 2]
        let updates = Double(grid.count) * Double(geometry.views.count)
        var report: [String: Any] = [
            "workload": workload.kind, "filter": options.window.rawValue, "cutoff": options.cutoff,
            "threads": plan.threadCount, "tier": options.tier.rawValue,
            "nx": grid.nx, "ny": grid.ny, "nz": grid.nz, "views": geometry.views.count,
            "seconds_median": median, "seconds_min": best, "seconds_all": times,
            "plan_seconds": planSeconds, "load_seconds": loadSeconds, "gups": updates / median / 1e9,
            "output": out,
            "last_filter_seconds": plan.lastStageSeconds.filter, "last_backprojection_seconds": plan.lastStageSeconds.backprojection,
        ]
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
}
