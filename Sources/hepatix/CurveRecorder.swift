import Foundation
import Hepatix

/// `--curve FILE.json`: the accuracy of an iterative reconstruction after every iteration (against the
/// workload's truth), for RMSE-versus-iteration plots.
enum CurveRecorder {
    static func record(_ recipe: IterativeRecipe, workload: Workload, projections: [Float], to path: String) throws {
        guard let truthPath = workload.truthPath else { throw CLIError("--curve needs a workload with a truth image") }
        guard recipe.algorithm != .hybrid else { throw CLIError("--curve follows sirt, ossart, cgls or pwls-tv (hybrid blends once at the end)") }
        let grid = workload.grid, geometry = workload.geometry
        let truth = try RawFloatFile.read(truthPath, count: grid.count)
        let plan = try recipe.makeIterativePlan(geometry: geometry, grid: grid)
        var start: [Float]? = nil
        if recipe.fbpWarmStart {
            let first = try recipe.makeStartPlan(geometry: geometry, grid: grid).reconstruct(projections)
            start = recipe.clampsStart ? first.map { max($0, 0) } : first
        }
        var rows: [[String: Double]] = []
        if let start { rows.append(try ImageMetrics(reconstruction: start, truth: truth, workload: workload).values.merging(["iteration": 0]) { $1 }) }
        var failure: Error?
        _ = try plan.execute(projections: projections, initial: start, progress: nil) { iteration, image in
            do {
                rows.append(try ImageMetrics(reconstruction: image, truth: truth, workload: workload).values
                    .merging(["iteration": Double(iteration)]) { $1 })
            } catch { failure = error }
        }
        if let failure { throw failure }
        let report: [String: Any] = ["algorithm": recipe.algorithm.rawValue, "warm_start": recipe.fbpWarmStart,
                                     "subsets": recipe.options.subsets, "beta": recipe.beta, "delta": recipe.delta, "curve": rows]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        guard FileManager.default.createFile(atPath: path, contents: json) else { throw CLIError("cannot write \(path)") }
    }
}
