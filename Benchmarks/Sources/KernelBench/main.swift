import Foundation
import Hepatix

/// Times the weighted backprojector alone (no filtering) on synthetic data and prints GUPS
/// (voxel updates per second / 1e9). Usage: KernelBench [threads] [repeats]
let threads = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 1 : 1
let repeats = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 5 : 5

func time(_ name: String, _ g: ProjectionGeometry, _ grid: VolumeGrid) throws {
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
