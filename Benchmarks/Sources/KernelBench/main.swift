import Foundation
import Hepatix

/// Times the weighted backprojector alone (no filtering) on synthetic data and prints GUPS
/// (voxel updates per second / 1e9), then the Joseph projector pairs. Usage: KernelBench [threads] [repeats] [name filter]
let threads = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1 : 1
let repeats = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5 : 5
let filter = CommandLine.arguments.count > 3 ? CommandLine.arguments[3] : ""

func time(_ name: String, _ g: ProjectionGeometry, _ grid: VolumeGrid) throws {
    guard filter.isEmpty || name.contains(filter) else { return }
    let bp = try WeightedBackprojector(geometry: g, grid: grid, maxThreads: threads)
    for i in 0..<bp.store.storage.count { bp.store.storage[i] = Float(i % 97) * 0.01 }
    var out = [Float](repeating: 0, count: grid.count)
    let pool = WorkerPool(threads: threads)
    var times: [Double] = []
    for _ in 0..<(repeats + 1) {
        let t = Date()
        _ = out.withUnsafeMutableBufferPointer { bp.execute(into: $0.baseAddress!, pool: pool) }
        times.append(Date().timeIntervalSince(t))
    }
    let best = times.dropFirst().min()!
    let updates = Double(grid.count) * Double(g.views.count)
    print(String(format: "%-34@ %8.2f ms  %6.2f GUPS  (%d threads, tier %@)", name, best * 1000, updates / best / 1e9,
                 threads, bp.tier.rawValue))
}

for views in [16, 90, 720] {
    try time("parallel 512^2 x \(views) views", .parallel2D(views: views, bins: 729, binPitch: 1), .image(size: 512, pixel: 1))
}
try time("fan 512^2 x 1152 views (W2)", .fan2D(views: 1152, columns: 736, columnPitch: 1.4, sourceToIsocentre: 595,
                                                 sourceToDetector: 1085.6), .image(size: 512, pixel: 0.7))
for views in [8, 90] {
    try time("cone 256^3 x \(views) views (W3 shape)",
             .coneBeamCircular(views: views, columns: 512, rows: 384, columnPitch: 0.8, rowPitch: 0.8,
                               sourceToIsocentre: 1000, sourceToDetector: 1500), .cube(size: 256, voxel: 0.75))
}

/// Times one forward and one adjoint projection of the Joseph pair (the work of one SIRT iteration).
func timeProjector(_ name: String, _ g: ProjectionGeometry, _ grid: VolumeGrid, repeats: Int) throws {
    guard filter.isEmpty || name.contains(filter) else { return }
    let p = try makeProjector(.joseph, geometry: g, grid: grid, maxThreads: threads)
    let x = (0..<grid.count).map { Float($0 % 89) * 0.01 }
    var y = [Float](repeating: 0, count: p.projectionCount), back = [Float](repeating: 0, count: grid.count)
    let pool = WorkerPool(threads: threads)
    var forward: [Double] = [], adjoint: [Double] = []
    for _ in 0..<(repeats + 1) {
        var t = Date()
        x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { p.forward(xs, into: $0, pool: pool, views: nil) } }
        forward.append(Date().timeIntervalSince(t))
        t = Date()
        y.withUnsafeBufferPointer { ys in back.withUnsafeMutableBufferPointer { p.adjoint(ys, into: $0, pool: pool, views: nil) } }
        adjoint.append(Date().timeIntervalSince(t))
    }
    let (f, a) = (forward.dropFirst().min()!, adjoint.dropFirst().min()!)
    let samples = Double(g.views.count * g.rows * g.columns) * Double(max(grid.nx, grid.ny))
    print(String(format: "%-34@ forward %8.1f ms  adjoint %8.1f ms  (%.2f G ray-plane samples/s each way, %d threads, %@)",
                 name, f * 1000, a * 1000, samples / ((f + a) / 2) / 1e9, threads, String(describing: type(of: p))))
}

do {
    try timeProjector("Joseph parallel 512^2 x 720 (W1)", .parallel2D(views: 720, bins: 729, binPitch: 1), .image(size: 512, pixel: 1),
                      repeats: repeats)
    try timeProjector("Joseph fan 512^2 x 1152 (W2)", .fan2D(views: 1152, columns: 736, columnPitch: 1.4, sourceToIsocentre: 595,
                                                             sourceToDetector: 1085.6), .image(size: 512, pixel: 0.7), repeats: repeats)
    try timeProjector("Joseph cone 256^3 x 360 (W3)",
                      .coneBeamCircular(views: 360, columns: 512, rows: 384, columnPitch: 0.8, rowPitch: 0.8,
                                        sourceToIsocentre: 1000, sourceToDetector: 1500), .cube(size: 256, voxel: 0.75),
                      repeats: min(repeats, 1))
}
