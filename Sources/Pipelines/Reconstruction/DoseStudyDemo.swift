import Foundation
import HepatixKernels

/// The dose part of the demo study: one parallel-beam scan of the 2D Shepp–Logan phantom simulated at
/// 100 %, 50 %, 33 % and 25 % of a full dose (Poisson photon noise plus electronic noise), each
/// reconstructed by FBP (Hann) and by hybrid IR (FBP start, PWLS-TV iterations), scored inside the
/// phantom against the pixelised truth.
public struct DoseStudyDemo {
    /// One dose level.
    public struct Level {
        /// Fraction of the full dose.
        public let dose: Double
        /// The two images (`grid.count` floats) and their interior RMSE (1/mm).
        public let fbp: [Float], iterative: [Float]
        public let fbpRMSE: Double, iterativeRMSE: Double
    }

    /// The grid every level is reconstructed on.
    public let grid: VolumeGrid
    /// Photons per ray at full dose and the levels.
    public let fullDosePhotons: Double
    public let levels: [Level]

    /// Simulates and reconstructs every level with `threads` workers (same seed at every level).
    /// - Throws: `ReconstructionError` if a reconstruction fails.
    public static func run(threads: Int, doses: [Double] = [1, 0.5, 1.0 / 3, 0.25], photons: Double = 2e4) throws -> DoseStudyDemo {
        let phantom = EllipsoidPhantom.sheppLogan2D(radius: 128)
        let grid = try VolumeGrid.image(size: 256, pixel: 1)
        let geometry = try ProjectionGeometry.parallel2D(views: 360, bins: 367, binPitch: 1)
        let clean = phantom.project(geometry, threads: threads)
        let truth = phantom.rasterize(grid)
        let fbp = try FBPPlan(geometry: geometry, grid: grid, options: FBPOptions(window: .hann, threads: threads))
        var recipe = IterativeRecipe(.hybrid, iterations: 20, threads: threads)
        recipe.beta = 100
        recipe.blend = 1
        let hybrid = try recipe.makePlan(geometry: geometry, grid: grid)
        let simulator = try LowDoseSimulator(incidentPhotons: photons, electronicNoise: 5)
        let levels = try doses.map { dose -> Level in
            let noisy = try simulator.simulate(clean, dose: dose, seed: 2026, threads: threads)
            let a = try fbp.reconstruct(noisy)
            var b = [Float](repeating: 0, count: grid.count)
            try noisy.withUnsafeBufferPointer { p in try b.withUnsafeMutableBufferPointer { try hybrid.execute(projections: p, output: $0, progress: nil) } }
            return Level(dose: dose, fbp: a, iterative: b, fbpRMSE: PhantomScanDemo.interiorRMSE(a, truth, grid),
                         iterativeRMSE: PhantomScanDemo.interiorRMSE(b, truth, grid))
        }
        return DoseStudyDemo(grid: grid, fullDosePhotons: photons, levels: levels)
    }
}
