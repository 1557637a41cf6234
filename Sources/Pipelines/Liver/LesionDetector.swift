/// Finds focal liver lesions in registered, smoothed phases as voxels that depart from the liver
/// in a way vessels do not, then grows each candidate to its full extent:
/// - hypoattenuating in the portal venous phase (`PV < liver − hypoHU`): HCC washout, cysts, metastases;
/// - arterial enhancement without portal venous enhancement (`AP > liver + arterialHU`, `PV < liver + 25`):
///   APHE lesions, rim-enhancing metastases (portal veins stay bright in PV, hepatic veins are dark in AP);
/// - delayed fill-in dark in the arterial phase (`DP > liver + fillInHU`, `PV < liver + 20`, `AP < liver + 10`):
///   hemangioma cores (hepatic veins are bright in PV).
/// Each threshold rises to `noiseSigmas` noise SDs where the images are noisier (low dose).
/// Candidates are opened by `openingRadiusMM` and kept from `minimumDiameterMM` equivalent diameter; each is
/// grown within `growthMM` into voxels that depart from the liver by more than `extentHU` (or `extentSigmas`
/// noise SDs) in any contrast phase, and its axial holes are filled; it must reach `minimumLongAxisMM`. A grown candidate whose deepest voxels are
/// portal-venous bright (`vesselHU`), or brighter than the liver by `risingVesselHU` in the portal venous phase
/// and brighter there than in the arterial phase, is a vessel and is dropped: portal blood keeps rising from the
/// late arterial to the portal venous phase, while every arterially enhancing lesion (HCC, FNH, the rims of
/// metastases) fades; a small portal branch blurred by partial volume or smoothing is no longer bright enough
/// for `vesselHU` alone.
public struct LesionDetector: Sendable {
    public var hypoHU = 20.0, arterialHU = 30.0, fillInHU = 15.0, extentHU = 15.0
    /// Seed thresholds are at least this many noise SDs (the liver's robust spread in each phase).
    public var noiseSigmas = 4.0
    /// The growth threshold is at least this many noise SDs of the (median-smoothed) liver.
    public var extentSigmas = 3.5
    public var openingRadiusMM = 0.0, minimumDiameterMM = 4.0, growthMM = 4.0
    /// Candidates whose deepest 30 % are brighter than the liver by this much in the portal venous phase are vessels.
    public var vesselHU = 35.0
    /// Portal-venous brightness above the liver from which a core that rises from the arterial phase is a vessel.
    public var risingVesselHU = 20.0
    /// Grown candidates whose axial long axis is shorter than this (mm) are dropped (0: none). `LiverAnalyzer`
    /// raises it for denoised images, whose residual noise is correlated over a few millimetres.
    public var minimumLongAxisMM = 0.0
    /// Worker threads (0: one per core).
    public var threads = 0

    /// The default method.
    public init() {}

    /// One candidate: its voxels (indices into the grid) and a confidence in [0, 1] from its contrast-to-noise.
    public struct Candidate: Sendable {
        public let voxels: [Int]
        public let confidence: Double
    }

    /// Candidates inside `liver` (which should exclude the IVC), largest first. Seeds come from `raw` phases
    /// blurred two ways (3D binomial: least noise; in-plane binomial: keeps lesions only two slices thick),
    /// each thresholded at `noiseSigmas` of its own noise; growth and extent use `smoothed` (median) phases,
    /// whose edges stay sharp. `proposed` voxels (e.g. `CNNLesionSegmenter`'s) are seeds too; a candidate that only
    /// they seed (no rule fired there) grows into them as well as into the voxels that depart from the liver, while
    /// candidates the rules seed grow as without proposals - unless proposals make most of the candidate and growing
    /// it without them fails the vessel tests or the long-axis floor (the rules fired on a few noise voxels of a faint
    /// lesion): then it is grown into them too. All pass the same vessel tests and size floors, except that
    /// `minimumLongAxisMM` does not apply to a candidate seeded by a voxel of `floorExempt` (the rules' seeds on the
    /// acquired images of a denoised study: the floor is for the denoiser's correlated residual noise).
    public func detect(raw: [ContrastPhase: [Float]], smoothed: [ContrastPhase: [Float]], levels: PhaseLevels,
                       liver: [Bool], grid: VolumeGrid, proposed: [Bool]? = nil, floorExempt: [Bool]? = nil) -> [Candidate] {
        guard raw[.portalVenous] != nil, let pv = smoothed[.portalVenous] else { return [] }
        let ap = smoothed[.arterial]
        let lPV = levels[.portalVenous]
        let inner = innerLiver(liver, grid: grid)
        var seed = ruleSeeds(raw: raw, inside: inner, liver: liver, grid: grid)
        let ruled = proposed == nil ? nil : seed
        if let proposed {
            for n in 0..<grid.count where proposed[n] && inner[n] { seed[n] = true }
        }
        let opened = openingRadiusMM > 0 ? BinaryMorphology.open(seed, radius: openingRadiusMM, grid: grid, threads: threads) : seed
        let components = ConnectedComponents(opened, grid: grid)
        let voxelMM3 = grid.spacing.x * grid.spacing.y * grid.spacing.z
        let minimumVoxels = Int((Double.pi / 6 * minimumDiameterMM * minimumDiameterMM * minimumDiameterMM / voxelMM3).rounded(.up))
        // Departure from the liver in each contrast phase beyond the noise, for growing.
        let contrastPhases = smoothed.keys.filter { $0 != .unenhanced }.sorted { $0.index < $1.index }
        let floors = contrastPhases.map { max(extentHU, extentSigmas * levels.spread[$0.index]) }
        var candidates: [Candidate] = []
        var members = [[Int]](repeating: [], count: components.count)
        for n in 0..<grid.count where components.labels[n] > 0 { members[Int(components.labels[n]) - 1].append(n) }
        for voxels in members where voxels.count >= minimumVoxels {
            // The candidate's own contrast per phase (median over its seeds): where a voxel departs the same way,
            // it must reach half of it (the partial-volume edge of the lesion); departures the other way (a rim
            // brighter than a dark core) need only clear the noise.
            let own = contrastPhases.map { phase in
                LiverSegmenter.median(voxels.map { Double(smoothed[phase]![$0]) }) - levels[phase]
            }
            func belongs(_ n: Int) -> Bool {
                for (p, phase) in contrastPhases.enumerated() {
                    let d = Double(smoothed[phase]![n]) - levels[phase]
                    guard abs(d) > floors[p] else { continue }
                    if d * own[p] <= 0 || abs(d) >= 0.5 * abs(own[p]) { return true }
                }
                return false
            }
            let onlyProposed = ruled.map { ruled in !voxels.contains { ruled[$0] } } ?? false
            let floor = floorExempt.map { exempt in voxels.contains { exempt[$0] } } == true ? 0 : minimumLongAxisMM
            // Grow inside a box around the candidate (the growth radius plus a voxel of background).
            guard let box = try? VoxelBox(around: voxels, in: grid, marginMM: growthMM + 2 * grid.spacing.max()) else { continue }
            var core = [Bool](repeating: false, count: box.subgrid.count)
            for n in voxels { core[box.inner(n)!] = true }
            let zone = BinaryMorphology.dilate(core, radius: growthMM, grid: box.subgrid, threads: 1)
            /// The candidate grown into the voxels that belong (and into proposals too when `intoProposals`), if it
            /// passes the vessel tests and the long-axis floor.
            func grow(intoProposals: Bool) -> [Int]? {
                let grown = (0..<box.subgrid.count).map { m -> Bool in
                    let n = box.outer(m)
                    return zone[m] && liver[n] && (belongs(n) || (intoProposals && proposed![n]))
                }
                // The grown component holding most of the seeds.
                let connected = ConnectedComponents(grown, grid: box.subgrid)
                var votes = [Int](repeating: 0, count: connected.count + 1)
                for n in voxels { votes[Int(connected.labels[box.inner(n)!])] += 1 }
                votes[0] = 0
                guard let label = votes.indices.max(by: { votes[$0] < votes[$1] || (votes[$0] == votes[$1] && $0 > $1) }), votes[label] > 0 else { return nil }
                let filled = BinaryMorphology.fillHolesPerSlice(connected.mask(of: Int32(label)), grid: box.subgrid)
                let inside = filled.indices.filter { filled[$0] }
                // A vessel caught at a misregistered edge: its deepest voxels (the centreline) are bright in the
                // portal venous phase, which no lesion core is.
                let depth = EuclideanDistance.squaredDistance(to: false, in: filled, grid: box.subgrid)
                let deepest = inside.sorted { depth[$0] > depth[$1] || (depth[$0] == depth[$1] && $0 < $1) }.prefix(max(1, inside.count * 3 / 10))
                let coreLevel = LiverSegmenter.median(deepest.map { Double(pv[box.outer($0)]) })
                if coreLevel > lPV + vesselHU { return nil }
                if let ap, coreLevel > lPV + risingVesselHU,
                   coreLevel > LiverSegmenter.median(deepest.map { Double(ap[box.outer($0)]) }) { return nil }
                let indices = inside.map(box.outer).sorted()
                if floor > 0, LesionMeasurement.axialDiameters(indices, grid: grid).long < floor { return nil }
                return indices
            }
            // A candidate mostly proposed, where the rules fired on a few of its voxels only, is grown into the
            // proposals when growing it by the rules alone fails (a faint lesion whose departures stay under the floors).
            let proposedShare = proposed.map { p in voxels.filter { p[$0] }.count } ?? 0
            guard let indices = grow(intoProposals: onlyProposed)
                    ?? (!onlyProposed && 2 * proposedShare > voxels.count ? grow(intoProposals: true) : nil) else { continue }
            let contrast = voxels.map { abs(Double(pv[$0]) - lPV) }.reduce(0, +) / Double(voxels.count)
            let noise = max(levels.spread[ContrastPhase.portalVenous.index], 1)
            candidates.append(Candidate(voxels: indices, confidence: min(1, contrast / (6 * noise))))
        }
        // Growth may merge candidates of one lesion: keep each voxel set once (the first, larger one wins).
        candidates.sort { $0.voxels.count > $1.voxels.count }
        var taken = Set<Int>()
        return candidates.filter { c in
            guard !c.voxels.contains(where: taken.contains) else { return false }
            taken.formUnion(c.voxels)
            return true
        }
    }

    /// The voxels of `raw` phases where one of the three seed rules fires, inside `liver` a voxel clear of its edge:
    /// each phase blurred two ways (3D binomial; in-plane binomial) and thresholded at `noiseSigmas` of its own noise.
    public func ruleSeeds(raw: [ContrastPhase: [Float]], liver: [Bool], grid: VolumeGrid) -> [Bool] {
        ruleSeeds(raw: raw, inside: innerLiver(liver, grid: grid), liver: liver, grid: grid)
    }

    /// `ruleSeeds(raw:liver:grid:)` given the inner liver (`innerLiver(liver, grid:)`), made once by the caller.
    func ruleSeeds(raw: [ContrastPhase: [Float]], inside inner: [Bool], liver: [Bool], grid: VolumeGrid) -> [Bool] {
        var seed = [Bool](repeating: false, count: grid.count)
        for alongZ in [true, false] {
            let blurred = raw.mapValues { BinomialSmoothing.smooth($0, grid: grid, alongZ: alongZ, threads: threads) }
            markSeeds(&seed, blurred, levels: PhaseLevels(blurred, liver: liver), inside: inner)
        }
        return seed
    }

    /// Seeds keep a voxel clear of the liver's edge along every axis, so the smoothing never mixes in
    /// what lies outside (thick slices make the dome and the tip partial-volume dark).
    func innerLiver(_ liver: [Bool], grid: VolumeGrid) -> [Bool] {
        BinaryMorphology.erode(liver, radius: max(2, 1.05 * grid.spacing.max()), grid: grid, threads: threads)
    }

    /// Marks voxels of `inside` that meet one of the three seed rules in `phases`, thresholds at least
    /// `noiseSigmas` robust SDs of the liver in each phase.
    func markSeeds(_ seed: inout [Bool], _ phases: [ContrastPhase: [Float]], levels: PhaseLevels, inside: [Bool]) {
        guard let pv = phases[.portalVenous] else { return }
        let ap = phases[.arterial], dp = phases[.delayed]
        let (lPV, lAP, lDP) = (levels[.portalVenous], levels[.arterial], levels[.delayed])
        let spread = levels.spread * noiseSigmas
        let hypo = max(hypoHU, spread[ContrastPhase.portalVenous.index])
        let arterial = max(arterialHU, spread[ContrastPhase.arterial.index]), fillIn = max(fillInHU, spread[ContrastPhase.delayed.index])
        for n in 0..<pv.count where inside[n] && !seed[n] {
            let v = Double(pv[n])
            var hit = v < lPV - hypo
            if let ap, !hit { hit = Double(ap[n]) > lAP + arterial && v < lPV + 25 }
            if let ap, let dp, !hit { hit = Double(dp[n]) > lDP + fillIn && v < lPV + 20 && Double(ap[n]) < lAP + 10 }
            seed[n] = hit
        }
    }
}
