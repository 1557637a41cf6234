import Foundation

/// The liver pipeline on a multiphase CT study: registration of every phase to the portal venous phase,
/// classical liver segmentation (with the hypervascular border tissue its one-phase window cuts off,
/// `LiverBorderLesions`), IVC / hepatic-vein / portal landmarks and plane-based Couinaud segments,
/// lesion detection, per-lesion measurement and LI-RADS v2018 categorisation with explanations.
public struct LiverAnalyzer: Sendable {
    /// Worker threads (0: one per core); results do not depend on it.
    public var threads = 0
    public var segmenter = LiverSegmenter()
    public var registration = PhaseRegistration()
    public var landmarks = VesselLandmarks()
    public var detector = LesionDetector()
    public var characteriser = LesionCharacteriser()
    /// The CNN path of liver segmentation (nil: the classical `segmenter`, the default).
    public var liverNetwork: CNNLiverSegmenter? = nil
    /// The multiphase lesion network whose proposals add seeds to `detector` (nil: the detector's rules alone, the
    /// default). It reads the acquired phases (before any denoising), registered onto the portal venous grid.
    public var lesionNetwork: CNNLesionSegmenter? = nil
    /// With `lesionNetwork`: each lesion's occlusion evidence for the result and the report (`CNNLesionSegmenter.evidence`;
    /// about 2.5 s per lesion on 2 cores for a 256² study). It changes no detection, measurement or category, so runs
    /// that only score the analysis (`hepatix evaluate`, the acceptance tests) switch it off.
    public var lesionNetworkEvidence = true
    /// Deep-learning denoising of every phase before analysis (nil: none).
    public var denoiser: CNNDenoiser? = nil
    /// Smallest lesion long axis reported from denoised images, mm. A CNN denoiser leaves residual noise correlated
    /// over a few millimetres, which makes lesion-like spots of 4-6 mm (at 1.5-2.5 mm voxels at most four voxels
    /// across, too small to read any LI-RADS feature); 6 mm was chosen on validation seeds 201-220 at a third of
    /// the dose (false positives per study 0.25, none of the 82 lesions of 10 mm or more lost). Without a denoiser
    /// no floor applies, so that follow-up keeps tracking a shrinking lesion.
    public var denoisedMinimumLongAxisMM = 6.0
    /// With a denoiser, the detector's rules also run on the acquired phases (registered, before denoising) and
    /// their seeds join the proposals: a lesion whose contrast the network smoothed under the rules' floors in the
    /// denoised images is still seeded where the acquired images show it, then grown in the denoised images; the
    /// `denoisedMinimumLongAxisMM` floor does not apply to it (the acquired images, not the network, show it).
    /// Off by default: at a third of the dose it finds more lesions through the simulated scanner (FBP) but adds false
    /// positives under image-domain noise (BENCHMARKS.md, session 2026-12-07 afternoon).
    public var seedsFromAcquiredPhases = false
    /// With a denoiser, whether lesions are detected, grown, measured and characterised in the acquired phases
    /// (registered by the maps found on the denoised ones), the result's liver HU and noise then being theirs; the
    /// denoised phases always serve the liver segmentation, the registration and the vessel landmarks. The network then
    /// shapes the anatomy but not a lesion's edge or HU. nil (the default) decides by the study's `noiseOrigin`:
    /// acquired phases for reconstructed images, denoised ones for the phantom's image-domain noise. The shipped
    /// denoiser trained mostly on that image-domain noise, and keeps 0.85 of lesion contrast there against 0.77 in
    /// fan-beam FBP images. At a third of the dose through the simulated scanner (fan-beam FBP) lesions measured in the
    /// acquired phases keep every lesion figure of plain FBP with the liver and Couinaud figures of the denoised images
    /// (LI-RADS 90.2 % against 80.8 % in the denoised ones), while under the image-domain noise lesions grown in the
    /// acquired images are sized and categorised worse (85.4 % against 90.1 %; BENCHMARKS.md, sessions 2026-12-07
    /// evening and late night). It supersedes `seedsFromAcquiredPhases`, whose seeds the detector then finds itself.
    public var lesionsFromAcquiredPhases: Bool? = nil
    /// Voxel edge the analysis works at, mm: a finer study (thin-slice 512² CT, 0.6-0.9 mm pixels) is
    /// block-averaged to about this (see `workingFactors`) for every stage; the outputs come back on the study's grid.
    public var workingSpacingMM = 1.5
    /// Resections whose future liver remnant the result reports (the standard anatomical ones by default; a
    /// planned atypical resection can be added).
    public var resections = FutureLiverRemnant.Resection.standard

    /// The default pipeline.
    public init() {}

    /// Called between stages with the stage's name and the fraction done; return false to cancel.
    public typealias Progress = (_ stage: String, _ fraction: Double) -> Bool

    /// The measured result and the volumes the report draws.
    public struct Output: Sendable {
        public let result: LiverAnalysisResult
        /// Registered phases on the portal venous grid (denoised, when the analysis denoised them on this grid).
        public let phases: [ContrastPhase: PatientVolume]
        /// With a denoiser: the acquired phases before denoising, registered by the same maps onto the same grid as
        /// `phases`, so that the two can be compared voxel by voxel (nil without a denoiser, and for studies analysed
        /// on a coarser working grid, whose `phases` are the acquired ones).
        public let acquiredPhases: [ContrastPhase: PatientVolume]?
        /// The phases lesions were found and measured in: `acquiredPhases` when the result says
        /// `lesionsFromAcquiredPhases`, else `phases`.
        public var lesionPhases: [ContrastPhase: PatientVolume] {
            result.lesionsFromAcquiredPhases ? acquiredPhases ?? phases : phases
        }
        /// With the CNN liver path: the network's occlusion map on the slice with most liver (nil otherwise).
        public let liverOcclusion: CNNLiverSegmenter.Occlusion?
        /// With the lesion network: its occlusion map around each lesion, by lesion number (`CNNLesionSegmenter.evidence`;
        /// empty without the network).
        public let lesionEvidence: [Int: OcclusionMap]
        /// Liver mask (IVC removed), Couinaud labels (0 outside), lesion numbers (0 outside).
        public let liver: [Bool]
        public let couinaud: [UInt8]
        public let lesionNumber: [UInt8]
        /// Wall time of each stage.
        public let stages: [AnalysisStage]
    }

    /// Analyses `study` on its own grid (callers go through `analyze`, which picks the working grid).
    func analyzeOnGrid(_ given: MultiphaseStudy, progress: Progress?) throws -> Output {
        var stages: [AnalysisStage] = []
        var clock = Date()
        func stage(_ name: String, _ fraction: Double) throws {
            stages.append(.init(name: name, seconds: Date().timeIntervalSince(clock)))
            clock = Date()
            if let progress, !progress(name, fraction) { throw LiverAnalysisError("cancelled after \(name)", cancelled: true) }
        }
        var study = given
        if let denoiser {
            study = try denoised(given, by: denoiser, progress: progress)
            try stage("denoising", 0.1)
        }
        let portal = study.portalVenous
        let grid = try portal.voxelGrid()
        let liverMask = try segmentLiver(portal)
        try stage("liver segmentation", 0.15)
        var registered: [ContrastPhase: PatientVolume] = [.portalVenous: portal]
        var registrations: [LiverAnalysisResult.Registration] = []
        let liverVoxels = liverMask.indices.filter { liverMask[$0] }
        var method = registration
        method.threads = threads
        for phase in [ContrastPhase.unenhanced, .arterial, .delayed] {
            guard let moving = study.phases[phase] else { continue }
            let r = try method.register(moving, to: portal, focus: liverVoxels.isEmpty ? nil : liverVoxels)
            registered[phase] = r.registered
            registrations.append(.init(phase: phase.slug, parameters: r.parameters,
                                       correlationBefore: r.correlationBefore, correlationAfter: r.correlationAfter))
        }
        var acquired: [ContrastPhase: PatientVolume]? = nil
        if denoiser != nil {
            acquired = [.portalVenous: given.portalVenous]
            for r in registrations {
                guard let phase = ContrastPhase.acquisitionOrder.first(where: { $0.slug == r.phase }), let moving = given.phases[phase] else { continue }
                acquired?[phase] = try moving.resampled(onto: portal, map: PhaseRegistration.map(r.parameters), threads: threads)
            }
        }
        try stage("registration", 0.45)
        let raw = registered.mapValues(\.voxels)
        let smoothed = raw.mapValues { MedianFilter.median3($0, grid: grid, threads: threads) }
        var levels = PhaseLevels(smoothed, liver: liverMask)
        func smoothedVolume(_ phase: ContrastPhase) throws -> PatientVolume? {
            guard let v = registered[phase], let values = smoothed[phase] else { return nil }
            return try PatientVolume(nx: v.nx, ny: v.ny, nz: v.nz, spacing: v.spacing, origin: v.origin,
                                     axisI: v.axisI, axisJ: v.axisJ, axisK: v.axisK, voxels: values)
        }
        let found = try landmarks.find(portal: try smoothedVolume(.portalVenous)!, arterial: try smoothedVolume(.arterial),
                                       liver: liverMask, portalLevel: levels[.portalVenous],
                                       arterialLevel: registered[.arterial] != nil ? levels[.arterial] : nil)
        // Hypervascular tissue the segmenter's one-phase window cut off at the liver's border joins the liver (it
        // needs the registered phases), so lesions there are found, grown and measured whole.
        let bordered = LiverBorderLesions.including(liverMask, smoothed: smoothed, levels: levels, grid: grid)
        let liver = zip(bordered, found.cava).map { $0 && !$1 }
        var couinaud = [UInt8](repeating: 0, count: grid.count)
        var segmentVoxels = [Int](repeating: 0, count: 9)
        for k in 0..<grid.nz { for j in 0..<grid.ny { for i in 0..<grid.nx {
            let n = (k * grid.ny + j) * grid.nx + i
            guard liver[n], let planes = found.planes else { continue }
            let s = planes.segment(at: portal.position(i: Double(i), j: Double(j), k: Double(k)))
            couinaud[n] = s
            segmentVoxels[Int(s)] += 1
        } } }
        try stage("vessels and Couinaud segments", 0.55)
        let acquiredValues = acquired?.mapValues(\.voxels)
        let onAcquired = (lesionsFromAcquiredPhases ?? (given.noiseOrigin == .reconstruction)) && acquiredValues != nil
        let lesionRaw = onAcquired ? acquiredValues! : raw
        let lesionSmoothed = onAcquired ? lesionRaw.mapValues { MedianFilter.median3($0, grid: grid, threads: threads) } : smoothed
        levels = PhaseLevels(lesionSmoothed, liver: liver)
        var detector = self.detector
        detector.threads = threads
        if denoiser != nil && !onAcquired { detector.minimumLongAxisMM = max(detector.minimumLongAxisMM, denoisedMinimumLongAxisMM) }
        // The CNN's mask reaches the liver's true edge, whose outer voxels carry partial volume with fat in every phase
        // resampled by the registration; the classical mask stops a voxel short of it. Lesions are sought (and grown)
        // inside that layer, as with the classical mask.
        let searched = liverNetwork == nil ? liver : BinaryMorphology.erode(liver, radius: 1.05 * grid.spacing.max(), grid: grid, threads: threads)
        var proposed = try lesionNetwork.map { network in
            var network = network
            network.threads = threads
            do { return try network.propose(acquired ?? registered) } catch let error as InferenceError {
                throw LiverAnalysisError("the lesion network failed: \(error)")
            }
        }
        let acquiredSeeds = seedsFromAcquiredPhases && !onAcquired ? acquiredValues.map { detector.ruleSeeds(raw: $0, liver: searched, grid: grid) } : nil
        if let acquiredSeeds { proposed = proposed.map { zip($0, acquiredSeeds).map { $0 || $1 } } ?? acquiredSeeds }
        let candidates = detector.detect(raw: lesionRaw, smoothed: lesionSmoothed, levels: levels, liver: searched, grid: grid, proposed: proposed,
                                         floorExempt: acquiredSeeds)
        try stage("lesion detection", 0.75)
        var lesionNumber = [UInt8](repeating: 0, count: grid.count)
        for (index, c) in candidates.enumerated() where index < 255 { for n in c.voxels { lesionNumber[n] = UInt8(index + 1) } }
        let lesionRawLevels = PhaseLevels(lesionRaw, liver: liver)
        let portalLumen = PortalLumen(smoothed: lesionSmoothed, levels: levels, liver: liver, grid: grid, threads: threads)
        let acquiredInput = onAcquired ? nil : acquiredValues.map { values in (phases: values, levels: PhaseLevels(values, liver: liver)) }
        let voxelML = grid.spacing.x * grid.spacing.y * grid.spacing.z / 1000
        var lesions: [LiverAnalysisResult.Lesion] = []
        for (index, c) in candidates.enumerated() where index < 255 {
            let number = index + 1
            let others = lesionNumber.map { $0 != 0 && $0 != UInt8(number) }
            let maskAxes = LesionMeasurement.axialDiameters(c.voxels, grid: grid)
            let (attenuation, features, characterised) = try characteriser.characterise(
                c.voxels, phases: lesionRaw, levels: lesionRawLevels, liver: liver, otherLesions: others, grid: grid, sizeMM: maskAxes.long,
                portalPieces: portalLumen?.piecesTouched(by: PortalLumen.withContiguousTissue(c.voxels, smoothed: lesionSmoothed, levels: levels,
                                                                                             grid: grid), grid: grid) ?? 0)
            // LI-RADS sizes an observation with its capsule: for the HCC pattern (nonrim APHE and washout) or an
            // enhancing capsule, the capsule's voxels join the measurement (not the mask), however sure the capsule
            // feature itself is.
            let size = characterised.nonrimAPHE && characterised.nonperipheralWashout || characterised.enhancingCapsule
                ? LesionMeasurement.axialDiameters(LesionMeasurement.withCapsule(c.voxels, phases: lesionRaw, liverLevel: attenuation.liver,
                                                                                 liver: liver, otherLesions: others, grid: grid), grid: grid)
                : maskAxes
            var observation = characterised
            observation.sizeMM = size.long
            let assignment = LIRADS.categorize(observation)
            let before = try acquiredInput.map { input in
                try characteriser.characterise(c.voxels, phases: input.phases, levels: input.levels, liver: liver, otherLesions: others,
                                               grid: grid, sizeMM: size.long).0
            }
            var centre = SIMD3<Double>.zero
            var votes = [Int](repeating: 0, count: 9)
            for n in c.voxels {
                let (i, j, k) = (n % grid.nx, (n / grid.nx) % grid.ny, n / (grid.nx * grid.ny))
                centre += portal.position(i: Double(i), j: Double(j), k: Double(k))
                votes[Int(couinaud[n])] += 1
            }
            votes[0] = 0
            let segment = votes.indices.max { votes[$0] < votes[$1] } ?? 0
            lesions.append(.init(number: number, centre: centre / Double(c.voxels.count), segment: segment,
                                 longAxisMM: size.long, shortAxisMM: size.short, volumeML: Double(c.voxels.count) * voxelML, slice: size.slice,
                                 confidence: c.confidence, attenuation: attenuation, features: features, observation: observation,
                                 category: assignment.category, reason: assignment.reason,
                                 sentence: LesionExplanation.sentence(size: size.long, segment: segment, observation: observation,
                                                                      category: assignment.category),
                                 attenuationBeforeDenoising: before))
        }
        try stage("characterisation and LI-RADS", 1)
        var lesionEvidence: [Int: OcclusionMap] = [:]
        if var network = lesionNetwork, lesionNetworkEvidence {
            network.threads = threads
            let evidence: [CNNLesionSegmenter.Evidence?]
            do {
                evidence = try network.evidence(acquired ?? registered, lesions: candidates.prefix(255).map(\.voxels), liver: liver) { _, _ in
                    progress?("lesion network occlusion maps", 1) ?? true
                }
            } catch let error as InferenceError {
                throw LiverAnalysisError("the lesion network's occlusion maps failed: \(error)", cancelled: error.description == "cancelled")
            }
            for (index, found) in evidence.enumerated() {
                guard let e = found else { continue }
                lesions[index].networkEvidence = e.measured
                lesionEvidence[index + 1] = e.map
            }
            try stage("lesion network occlusion maps", 1)
        }
        var result = LiverAnalysisResult(
            study: study.name, liverVolumeML: Double(liver.lazy.filter { $0 }.count) * voxelML,
            segmentVolumesML: found.planes == nil ? [] : (1...8).map { Double(segmentVoxels[$0]) * voxelML },
            liverHU: (0..<4).map { lesionRawLevels.median[$0] }, liverNoiseHU: (0..<4).map { lesionRawLevels.spread[$0] },
            planes: found.planes, couinaudProblem: found.problem, registrations: registrations, lesions: lesions)
        result.denoiser = denoiser?.modelName
        result.lesionsFromAcquiredPhases = onAcquired
        if liverNetwork != nil { result.liverSegmentation = "CNN" }
        result.lesionNetwork = lesionNetwork?.modelName
        if found.planes != nil {
            result.futureLiverRemnants = FutureLiverRemnant.remnants(of: resections, couinaud: couinaud, lesionNumber: lesionNumber, voxelML: voxelML)
        }
        var occlusion: CNNLiverSegmenter.Occlusion? = nil
        if var network = liverNetwork {
            network.threads = threads
            do { occlusion = try network.occlusion(portal, slice: Self.widestSlice(of: liver, plane: grid.nx * grid.ny)) } catch let error as InferenceError {
                throw LiverAnalysisError("the liver network's occlusion map failed: \(error)")
            }
            try stage("liver network occlusion map", 1)
        }
        return Output(result: result, phases: registered, acquiredPhases: acquired, liverOcclusion: occlusion, lesionEvidence: lesionEvidence, liver: liver, couinaud: couinaud, lesionNumber: lesionNumber, stages: stages)
    }

    /// The axial slice holding most voxels of `mask` (slices of `plane` voxels; the first of equals).
    public static func widestSlice(of mask: [Bool], plane: Int) -> Int {
        let counts = stride(from: 0, to: mask.count, by: max(1, plane)).map { start in mask[start..<min(mask.count, start + plane)].lazy.filter { $0 }.count }
        return counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
    }

    /// The liver of `portal` by the CNN path when `liverNetwork` is set, else by the classical segmenter.
    private func segmentLiver(_ portal: PatientVolume) throws -> [Bool] {
        guard var network = liverNetwork else {
            var classical = segmenter
            classical.threads = threads
            return try classical.segment(portal).mask
        }
        network.threads = threads
        do { return try network.segment(portal) } catch let error as InferenceError {
            throw LiverAnalysisError("the liver network failed: \(error)")
        }
    }

    /// `study` with every phase through `denoiser`; progress reports the fraction of slices done (up to 0.1).
    private func denoised(_ study: MultiphaseStudy, by denoiser: CNNDenoiser, progress: Progress?) throws -> MultiphaseStudy {
        var phases = study.phases
        let total = study.phases.values.reduce(0) { $0 + $1.nz }
        var done = 0
        do {
            for phase in ContrastPhase.acquisitionOrder {
                guard let volume = phases[phase] else { continue }
                phases[phase] = try denoiser.denoise(volume, threads: threads) { slices, _ in
                    progress?("denoising", 0.1 * Double(done + slices) / Double(total)) ?? true
                }
                done += volume.nz
            }
        } catch let error as InferenceError {
            throw LiverAnalysisError("denoising failed: \(error)", cancelled: error.description == "cancelled")
        }
        return try MultiphaseStudy(name: study.name, phases: phases, noiseOrigin: study.noiseOrigin)
    }
}
