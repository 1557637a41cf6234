import Foundation

/// A synthetic multiphase liver CT study with its ground truth: the embedded default of `hepatix demo`
/// and the reference for the liver pipeline's tests. Everything follows from the seed and the options.
///
/// Each phase is painted with `supersampling`³ samples per voxel in the portal venous frame (partial-volume
/// edges), moved by the phase's small rigid misregistration (trilinear resampling), and given noise.
/// Noise is image-domain by default: white Gaussian noise smoothed by a 3×3 binomial kernel in-plane (the
/// in-plane correlation of filtered backprojection), scaled to `noiseHU / sqrt(dose)`. With a `.fbp` or
/// `.ir` acquisition every phase is instead scanned and reconstructed by `PhantomScanner`.
public struct AbdomenStudy: Sendable {
    /// How a study is rendered.
    public struct Options: Sendable, Equatable {
        /// Voxels along x, y, z and their pitch (mm).
        public var size = SIMD3(256, 256, 80)
        public var spacing = SIMD3(1.5, 1.5, 2.5)
        /// Samples per voxel edge for partial volume.
        public var supersampling = 2
        /// Dose as a fraction of full dose (noise SD grows as 1/sqrt(dose)).
        public var dose = 1.0
        /// Noise SD at full dose, HU (image-domain acquisition).
        public var noiseHU = 10.0
        /// Image-domain noise, or a fan-beam scan reconstructed by FBP or hybrid IR.
        public var acquisition = PhantomAcquisition.image
        /// The scanner of the `.fbp` and `.ir` acquisitions.
        public var scanner = PhantomScanner()
        /// Worker threads (0: one per core); the study does not depend on it.
        public var threads = 0

        /// The default test study (256 × 256 × 80, 1.5 × 1.5 × 2.5 mm).
        public init() {}
    }

    /// The anatomy the study was drawn from.
    public let anatomy: AbdomenAnatomy
    /// The CT phases.
    public let study: MultiphaseStudy
    /// Ground truth on the portal venous grid: tissue codes (`PhantomTissue`), liver mask, Couinaud segment
    /// (0 outside the liver), lesion number (0 outside lesions, capsules excluded).
    public let tissue: [UInt8]
    public let liver: [Bool]
    public let couinaud: [UInt8]
    public let lesionNumber: [UInt8]
    /// Wall time spent reconstructing the phases from their simulated projections (0 for image-domain noise), s.
    public internal(set) var reconstructionSeconds = 0.0

    /// Renders the study drawn from `seed`.
    /// - Throws: `GeometryError` for an invalid grid, `LiverAnalysisError` for a dose outside (0, 1].
    public static func render(seed: UInt64, options: Options = Options()) throws -> AbdomenStudy {
        try render(anatomy: AbdomenAnatomy.generate(seed: seed), noiseSeed: seed, options: options)
    }

    /// Renders `anatomy` (e.g. a follow-up of a seeded one) with noise drawn from `noiseSeed`.
    /// - Throws: `GeometryError` for an invalid grid, `LiverAnalysisError` for a dose outside (0, 1].
    public static func render(anatomy: AbdomenAnatomy, noiseSeed seed: UInt64, options: Options = Options()) throws -> AbdomenStudy {
        guard options.dose > 0, options.dose <= 1 else { throw LiverAnalysisError("dose must be in (0, 1], got \(options.dose)") }
        let grid = try VolumeGrid(nx: options.size.x, ny: options.size.y, nz: options.size.z, spacing: options.spacing)
        let s = max(1, options.supersampling)
        let fine = try VolumeGrid(nx: grid.nx * s, ny: grid.ny * s, nz: grid.nz * s, spacing: grid.spacing / Double(s))
        let samples = PhantomPainter(anatomy: anatomy, grid: fine).paint(threads: options.threads)
        let blocks = try BlockResampler(fine: fine, factors: SIMD3(repeating: s))
        var phases: [ContrastPhase: PatientVolume] = [:]
        var reconstructionSeconds = 0.0
        for phase in ContrastPhase.acquisitionOrder {
            let hu = zip(samples.tissue, samples.lesion).map {
                PhantomPainter.hounsfield(tissue: $0, lesion: $1, phase: phase, lesions: anatomy.lesions)
            }
            var volume = blocks.average(hu)
            if anatomy.phaseShifts[phase.index] != .zero || anatomy.phaseRotations[phase.index] != 0 {
                // The scanner sees the patient moved by T: image(p) = anatomy(T⁻¹ p).
                let map = anatomy.motion(of: phase).inverse!
                volume = AffineResampling.resample(volume, grid: grid, map: map, threads: options.threads)
            }
            let noiseSeed = seed &* 31 &+ UInt64(phase.index)
            if options.acquisition == .image {
                addNoise(&volume, grid: grid, sd: options.noiseHU / options.dose.squareRoot(), seed: noiseSeed, threads: options.threads)
            } else {
                var scanner = options.scanner
                scanner.threads = options.threads
                let scanned = try scanner.scan(volume, grid: grid, dose: options.dose, method: options.acquisition, seed: noiseSeed)
                volume = scanned.image
                reconstructionSeconds += scanned.reconstructionSeconds
            }
            let origin = -SIMD3(Double(grid.nx - 1), Double(grid.ny - 1), Double(grid.nz - 1)) / 2 * grid.spacing
            phases[phase] = try PatientVolume(nx: grid.nx, ny: grid.ny, nz: grid.nz, spacing: grid.spacing, origin: origin,
                                              axisI: SIMD3(1, 0, 0), axisJ: SIMD3(0, 1, 0), axisK: SIMD3(0, 0, 1), voxels: volume)
        }
        let centres = PhantomPainter(anatomy: anatomy, grid: grid).paint(threads: options.threads)
        let painter = PhantomPainter(anatomy: anatomy, grid: grid)
        var liver = [Bool](repeating: false, count: grid.count), couinaud = [UInt8](repeating: 0, count: grid.count)
        var n = 0
        for k in 0..<grid.nz { for j in 0..<grid.ny { for i in 0..<grid.nx {
            let p = painter.position(i, j, k)
            let isLesion = centres.lesion[n] > 0 && (centres.lesion[n] - 1) % 3 != PhantomLesion.LesionPart.capsule.rawValue
            if anatomy.inLiver(p) || isLesion {
                liver[n] = true
                couinaud[n] = anatomy.couinaudSegment(at: p)
            }
            n += 1
        } } }
        let lesionNumber = centres.lesion.map { $0 == 0 || ($0 - 1) % 3 == 2 ? 0 : ($0 - 1) / 3 + 1 }
        var study = AbdomenStudy(anatomy: anatomy, study: try MultiphaseStudy(name: "phantom-\(anatomy.seed)", phases: phases,
                                                                          noiseOrigin: options.acquisition == .image ? .imageDomainSimulation : .reconstruction),
                                 tissue: centres.tissue, liver: liver, couinaud: couinaud, lesionNumber: lesionNumber)
        study.reconstructionSeconds = reconstructionSeconds
        return study
    }

    /// Adds in-plane-correlated Gaussian noise of standard deviation `sd` (deterministic per seed and voxel).
    static func addNoise(_ volume: inout [Float], grid: VolumeGrid, sd: Double, seed: UInt64, threads: Int) {
        guard sd > 0 else { return }
        let (nx, ny, plane) = (grid.nx, grid.ny, grid.nx * grid.ny)
        var white = [Float](repeating: 0, count: grid.count)
        white.withUnsafeMutableBufferPointer { w in
            let out = SendableMutablePointer(w.baseAddress!)
            WorkerPool(threads: threads).forEach(items: grid.nz) { _, k in
                var random = CounterRandom(seed: seed, counter: UInt64(k))
                // Each worker writes only slice k.
                for n in 0..<plane { out.pointer[k * plane + n] = Float(random.normal()) }
            }
        }
        // Separable [1 2 1]/4 in x and y: the SD of smoothed unit noise is 6/16 = 0.375, so scale by sd / 0.375.
        let scale = Float(sd / 0.375)
        for k in 0..<grid.nz {
            let base = k * plane
            for j in 0..<ny { for i in 0..<nx {
                var sum: Float = 0
                for dj in -1...1 { for di in -1...1 {
                    let w: Float = (di == 0 ? 2 : 1) * (dj == 0 ? 2 : 1)
                    let y = min(max(j + dj, 0), ny - 1), x = min(max(i + di, 0), nx - 1)
                    sum += w * white[base + y * nx + x]
                } }
                volume[base + j * nx + i] += scale * sum / 16
            } }
        }
    }
}

extension AbdomenStudy.Options {
    /// One line for reports: the study's seed, dose and how its images were made.
    public func note(seed: UInt64) -> String {
        let method: String
        switch acquisition {
        case .image: method = String(format: "image-domain noise %.1f HU", noiseHU / dose.squareRoot())
        case .fbp, .ir:
            method = String(format: "fan-beam scan, %d views, %.2g photons per ray at full dose, %@", scanner.views,
                            scanner.incidentPhotons, acquisition == .fbp ? "FBP (\(scanner.window.rawValue) window)" : "hybrid IR")
        }
        return String(format: "Synthetic phantom study, seed %llu, %.0f %% dose (%@).", seed, dose * 100, method)
    }
}
