import Foundation
import Hepatix

/// `hepatix project --workload DIR/geometry.json [--projector joseph|joseph-strip|joseph-reference]
/// [--threads N] [--repeat K] [--volume 256|512]`: times one forward and one adjoint projection of the
/// workload's truth volume (the work of one SIRT-type iteration) and prints a JSON line.
enum ProjectCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--workload", "--projector", "--threads", "--repeat", "--volume"])
        let workload = try Workload(path: try a.required("--workload"), volumeSize: try a.int("--volume", default: 256))
        guard let kind = ProjectorKind(rawValue: a["--projector"] ?? "joseph") else {
            throw CLIError("unknown projector; one of \(ProjectorKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let pool = WorkerPool(threads: try a.int("--threads", default: 0))
        let repeats = max(1, try a.int("--repeat", default: 3))
        let (geometry, grid) = (workload.geometry, workload.grid)
        let tPlan = Date()
        let pair = try makeProjector(kind, geometry: geometry, grid: grid, maxThreads: pool.threads)
        let planSeconds = Date().timeIntervalSince(tPlan)
        let volume = try workload.truthPath.map { try RawFloatFile.read($0, count: grid.count) } ?? [Float](repeating: 0.02, count: grid.count)
        var projections = [Float](repeating: 0, count: pair.projectionCount), back = [Float](repeating: 0, count: grid.count)
        var forward: [Double] = [], adjoint: [Double] = []
        for _ in 0..<repeats {
            var t = Date()
            volume.withUnsafeBufferPointer { v in projections.withUnsafeMutableBufferPointer { pair.forward(v, into: $0, pool: pool) } }
            forward.append(Date().timeIntervalSince(t))
            t = Date()
            projections.withUnsafeBufferPointer { p in back.withUnsafeMutableBufferPointer { pair.adjoint(p, into: $0, pool: pool) } }
            adjoint.append(Date().timeIntervalSince(t))
        }
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        // Ray-plane samples: every ray meets one plane per voxel along its dominant axis (~max(nx, ny)).
        let samples = Double(pair.projectionCount) * Double(max(grid.nx, grid.ny))
        let report: [String: Any] = [
            "workload": workload.kind, "projector": kind.rawValue, "implementation": String(describing: type(of: pair)),
            "threads": pool.threads, "forward_s": median(forward), "adjoint_s": median(adjoint),
            "forward_all": forward, "adjoint_all": adjoint, "plan_s": planSeconds,
            "samples_per_s": samples / ((median(forward) + median(adjoint)) / 2),
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        print(String(data: json, encoding: .utf8)!)
    }
}
