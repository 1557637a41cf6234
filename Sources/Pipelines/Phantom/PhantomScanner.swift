import Foundation
import HepatixKernels

/// How the phantom's phases become CT images.
public enum PhantomAcquisition: String, Sendable, Codable, CaseIterable {
    /// Image-domain noise: in-plane-correlated Gaussian noise of `noiseHU / sqrt(dose)` (fast, no scan).
    case image
    /// Every axial slice scanned in fan beam (Joseph projector), Poisson + electronic noise at the dose, FBP (Shepp-Logan).
    case fbp
    /// The same scan reconstructed by hybrid IR (Hann FBP start, PWLS-TV iterations, blended).
    case ir
}

/// A single-slice fan-beam CT scanner for the phantom: attenuation from HU at 70 keV, a 2π equiangular
/// fan-beam scan of each axial slice with the engine's Joseph projector, photon noise from
/// `LowDoseSimulator`, and FBP or hybrid IR back to HU.
///
/// The scan projects the voxelised phase (partial-volume painted), so it omits the continuous-object
/// effects an analytic projection would add; what it adds over image-domain noise is the real noise
/// texture of the reconstruction (streaks, correlation, object-dependent variance) and what IR does to it.
public struct PhantomScanner: Sendable, Equatable {
    /// Linear attenuation of water at 70 keV (1/mm); HU = 1000 (µ − µw) / µw.
    public static let waterMu = 0.0193
    /// Views over 2π, detector columns (at least; see `scan`), source-isocentre and source-detector distances (mm):
    /// a clinical scanner's proportions at this matrix.
    public var views = 720, columns = 400
    public var sourceToIsocentre = 570.0, sourceToDetector = 1040.0
    /// Detector samples per image pixel across the field at the isocentre (at least; see `scan`).
    public var samplesPerPixel = 1.5
    /// Incident photons per ray at full dose and electronic noise (photons): calibrated so that full-dose
    /// FBP gives ≈ 10 HU SD in the liver of the default study (9.9 HU over test seeds 1-20), the noise of the
    /// image-domain acquisition.
    public var incidentPhotons = 8.7e5, electronicNoise = 5.0
    /// The window of the FBP ramp filter of `.fbp`: Shepp-Logan, the nearest of the engine's windows to a clinical
    /// soft-tissue kernel on this grid (a 70 HU edge rises 10-90 % over 2.67 mm, against 3.21 mm with Hann and
    /// ≈ 1.9 mm for a kernel of MTF50 ≈ 3.5 lp/cm; `PhantomScannerTests`).
    public var window = FilterWindow.sheppLogan
    /// Hybrid IR settings for `.ir`.
    public var iterations = 8, beta = 60.0, blend = 1.0
    /// Worker threads (0: one per core); images do not depend on it.
    public var threads = 0

    /// The default scanner.
    public init() {}

    /// Scans `hu` (a `grid.nz`-slice stack of HU) at `dose` and reconstructs it with `method`; returns the images
    /// and the wall time spent reconstructing them from their projections (seconds). The detector samples the
    /// field `samplesPerPixel` times per image pixel at the isocentre (columns ≥ `samplesPerPixel` × the field's width
    /// across the fan / the pixel), so that the ramp filter's window, not the detector, limits the resolution.
    /// - Throws: `LiverAnalysisError` for `.image` (not a scan), reconstruction or simulation errors.
    public func scan(_ hu: [Float], grid: VolumeGrid, dose: Double, method: PhantomAcquisition,
                     seed: UInt64) throws -> (image: [Float], reconstructionSeconds: Double) {
        guard method != .image else { throw LiverAnalysisError("image-domain noise is not a scan") }
        let slice = try VolumeGrid(nx: grid.nx, ny: grid.ny, nz: 1, spacing: grid.spacing)
        // Column pitch: the field of view's diagonal across the fan at the detector, with a margin.
        let reach = hypot(Double(grid.nx) * grid.spacing.x, Double(grid.ny) * grid.spacing.y) / 2 + 5
        let halfFan = asin(reach / sourceToIsocentre)
        let columns = max(self.columns, Int((samplesPerPixel * 2 * reach / min(grid.spacing.x, grid.spacing.y)).rounded(.up)))
        let pitch = 2 * halfFan * sourceToDetector / Double(columns - 1)
        let geometry = try ProjectionGeometry.fan2D(views: views, columns: columns, columnPitch: pitch, sourceToIsocentre: sourceToIsocentre,
                                                    sourceToDetector: sourceToDetector, equiangular: true)
        let pool = WorkerPool(threads: threads)
        let projector = try makeProjector(.joseph, geometry: geometry, grid: slice, maxThreads: pool.threads)
        let reconstructor: any VolumeReconstructor
        if method == .fbp {
            reconstructor = try FBPPlan(geometry: geometry, grid: slice, options: FBPOptions(window: window, threads: threads))
        } else {
            var recipe = IterativeRecipe(.hybrid, iterations: iterations, threads: threads)
            recipe.beta = beta
            recipe.blend = blend
            reconstructor = try recipe.makePlan(geometry: geometry, grid: slice)
        }
        let simulator = try LowDoseSimulator(incidentPhotons: incidentPhotons, electronicNoise: electronicNoise)
        let plane = grid.nx * grid.ny
        var out = [Float](repeating: 0, count: hu.count)
        var mu = [Float](repeating: 0, count: plane), clean = [Float](repeating: 0, count: projector.projectionCount)
        var image = [Float](repeating: 0, count: plane)
        let w = Float(Self.waterMu)
        var reconstructing = 0.0
        for k in 0..<grid.nz {
            for n in 0..<plane { mu[n] = max(0, w * (1 + hu[k * plane + n] / 1000)) }
            mu.withUnsafeBufferPointer { m in clean.withUnsafeMutableBufferPointer { projector.forward(m, into: $0, pool: pool) } }
            let noisy = try simulator.simulate(clean, dose: dose, seed: seed &* 1_000_003 &+ UInt64(k), threads: threads)
            let clock = Date()
            try noisy.withUnsafeBufferPointer { p in
                try image.withUnsafeMutableBufferPointer { try reconstructor.execute(projections: p, output: $0, progress: nil) }
            }
            reconstructing += Date().timeIntervalSince(clock)
            for n in 0..<plane { out[k * plane + n] = 1000 * (image[n] / w - 1) }
        }
        return (out, reconstructing)
    }
}
