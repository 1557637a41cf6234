import Foundation
import HepatixKernels

/// The reconstruction part of the demo study: exact analytic scans of the Shepp–Logan phantoms in the
/// three beam geometries (parallel, fan, cone), reconstructed with FBP/FDK and scored against the
/// phantom. The liver study of the pipeline issue will replace the phantom.
public struct PhantomScanDemo {
    /// One reconstructed case.
    public struct Case {
        /// Short name ("fan-beam FBP").
        public let name: String
        /// Reconstructed volume and its grid.
        public let volume: [Float]
        public let grid: VolumeGrid
        /// Interior RMSE against the phantom (1/mm) and reconstruction seconds.
        public let rmse: Double
        public let seconds: Double
    }

    /// Runs the three cases with `threads` workers.
    /// - Throws: `ReconstructionError` if a reconstruction fails.
    public static func run(threads: Int) throws -> [Case] {
        let phantom2D = EllipsoidPhantom.sheppLogan2D(radius: 128)
        let image = try VolumeGrid.image(size: 256, pixel: 1)
        let parallel = try ProjectionGeometry.parallel2D(views: 360, bins: 367, binPitch: 1)
        let fan = try ProjectionGeometry.fan2D(views: 576, columns: 480, columnPitch: 1.2, sourceToIsocentre: 500,
                                               sourceToDetector: 950, equiangular: true)
        let phantom3D = EllipsoidPhantom.sheppLogan3D(radius: 48)
        let cube = try VolumeGrid.cube(size: 128, voxel: 0.75)
        let cone = try ProjectionGeometry.coneBeamCircular(views: 240, columns: 256, rows: 192, columnPitch: 0.8,
                                                           rowPitch: 0.8, sourceToIsocentre: 500, sourceToDetector: 750)
        return [
            try reconstruct("parallel-beam FBP (Hann)", parallel, image, phantom2D, .hann, threads),
            try reconstruct("equiangular fan-beam FBP", fan, image, phantom2D, .ramLak, threads),
            try reconstruct("cone-beam FDK", cone, cube, phantom3D, .ramLak, threads),
        ]
    }

    static func reconstruct(_ name: String, _ g: ProjectionGeometry, _ grid: VolumeGrid, _ phantom: EllipsoidPhantom,
                            _ window: FilterWindow, _ threads: Int) throws -> Case {
        let projections = phantom.project(g, threads: threads)
        let plan = try FBPPlan(geometry: g, grid: grid, options: FBPOptions(window: window, threads: threads))
        let start = Date()
        let volume = try plan.reconstruct(projections)
        let seconds = Date().timeIntervalSince(start)
        return Case(name: name, volume: volume, grid: grid, rmse: interiorRMSE(volume, phantom.rasterize(grid), grid), seconds: seconds)
    }

    /// RMSE over the central slice band, inside the phantom and at least 2 voxels from any edge.
    static func interiorRMSE(_ volume: [Float], _ truth: [Float], _ grid: VolumeGrid) -> Double {
        let plane = grid.nx * grid.ny
        let slices = grid.nz == 1 ? 0..<1 : (grid.nz / 2 - grid.nz / 16)..<(grid.nz / 2 + grid.nz / 16)
        var sum = 0.0, n = 0
        for k in slices {
            for i in 2..<(grid.ny - 2) {
                for j in 2..<(grid.nx - 2) {
                    let idx = k * plane + i * grid.nx + j
                    let t = truth[idx]
                    guard t > 0, [-2, 2].allSatisfy({ truth[idx + $0] == t && truth[idx + $0 * grid.nx] == t }) else { continue }
                    let d = Double(volume[idx] - t)
                    sum += d * d
                    n += 1
                }
            }
        }
        return (sum / Double(max(n, 1))).squareRoot()
    }
}
