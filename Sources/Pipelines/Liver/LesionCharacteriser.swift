import Foundation

/// Measures a lesion's attenuation in every registered phase against the surrounding liver and turns the
/// numbers into LI-RADS features, each with its threshold:
/// - core = the deepest voxels (beyond 55 % of the maximal depth, at most 30 % of the lesion), rim = outer 35 %; the liver reference is
///   the median of liver voxels 5–20 mm outside the lesion, other lesions and vessels (PV > liver + 35) excluded;
/// - nonrim APHE: arterial core − liver ≥ 15 HU; rim APHE: arterial rim − liver ≥ 15 HU with a core below;
/// - nonperipheral washout: portal venous or delayed core − liver ≤ −5 HU (beyond the margin: a measurable
///   hypoattenuation), the core not hypo in the arterial
///   phase (≥ −5 HU: a temporal reduction, not a hypovascular lesion);
/// - enhancing capsule: in the portal venous or delayed phase, a ring within 3 mm of the lesion's edge is
///   brighter than both the liver and the core by ≥ 12 HU in ≥ 50 % ("most") of 12 in-plane sectors on the lesion's
///   middle slices (cross-section at least half the largest);
/// - hemangioma (definitely benign): the rim's enhancing part (90th percentile) ≥ liver + 60 HU and ≥ core + 60 HU
///   in the arterial phase (peripheral nodules), with centripetal fill-in: the delayed core above the liver (≥ +5 HU);
///   or, for small ones whose nodules blur, the fill-in alone: arterial core ≤ liver, delayed core ≥ liver + 10 HU,
///   rim peak ≥ liver + 25 HU;
/// - simple cyst (definitely benign): a water core (≤ 18 HU: water is 0-15 HU, necrotic tumour 20-40 HU) that does not
///   enhance (portal venous − unenhanced core ≤ 12 HU), measured in the portal venous phase (the registration's
///   reference, which no resampling moves) or as the mean over the phases (half the noise of one; a resampled
///   phase's core may catch the wall of a small cyst), whichever is the surer;
/// - necrosis: a markedly hypoattenuating centre (portal venous core ≤ liver − 40 HU: necrotic tissue is 20-40 HU
///   against a ~110 HU liver, while HCC washout is 10-30 HU below it) inside a wall brighter than it (rim ≥ core
///   + 15 HU) and unequivocally above water (≥ 18 HU beyond the margin: a core that may be water is neither cyst
///   nor necrosis, "if unsure, absent").
/// - tumour in vein: the lesion touches two or more separate pieces of the portal lumen (`PortalLumen`: it fills
///   a branch) and its core enhances (late arterial or portal venous − unenhanced core ≥ 20 HU: tumour, not bland
///   thrombus);
/// Margins are two standard errors of the compared medians (1.25 · σ / √n each), per "if unsure, absent".
public struct LesionCharacteriser: Sendable {
    /// The default rules.
    public init() {}

    /// Median HU of a lesion's core, rim and surrounding liver in each phase.
    public struct Attenuation: Sendable, Codable {
        public var core = SIMD4<Double>(repeating: .nan), rim = SIMD4<Double>(repeating: .nan), liver = SIMD4<Double>(repeating: .nan)
        /// 90th percentile of the rim: its enhancing part ("in whole or in part").
        public var rimPeak = SIMD4<Double>(repeating: .nan)
        public var coreVoxels = 0, rimVoxels = 0, liverVoxels = 0
    }

    /// Attenuation and features of the lesion `voxels` (indices into `grid`); the work runs in a box around the
    /// lesion large enough for the 20 mm liver reference shell. `portalPieces`: how many separate pieces of the portal
    /// lumen the lesion touches (`PortalLumen.piecesTouched`), the geometric half of tumour in vein.
    public func characterise(_ voxels: [Int], phases: [ContrastPhase: [Float]], levels: PhaseLevels, liver: [Bool],
                             otherLesions: [Bool], grid: VolumeGrid, sizeMM: Double, portalPieces: Int = 0) throws -> (Attenuation, [FeatureMeasurement], LIRADSObservation) {
        let box = try VoxelBox(around: voxels, in: grid, marginMM: 21)
        return characteriseInBox(voxels.map { box.inner($0)! }, phases: phases.mapValues(box.extract), levels: levels,
                                 liver: box.extract(liver), otherLesions: box.extract(otherLesions), grid: box.subgrid, sizeMM: sizeMM,
                                 portalPieces: portalPieces)
    }

    func characteriseInBox(_ voxels: [Int], phases: [ContrastPhase: [Float]], levels: PhaseLevels, liver: [Bool],
                           otherLesions: [Bool], grid: VolumeGrid, sizeMM: Double, portalPieces: Int = 0) -> (Attenuation, [FeatureMeasurement], LIRADSObservation) {
        var mask = [Bool](repeating: false, count: grid.count)
        for n in voxels { mask[n] = true }
        let depth = EuclideanDistance.squaredDistance(to: false, in: mask, grid: grid).map { $0.squareRoot() }
        let deepest = voxels.map { depth[$0] }.max() ?? 0
        // The rim always holds the boundary layer (depth of one voxel), however small the lesion.
        let boundary = Float(min(grid.spacing.x, grid.spacing.y)) + 0.01
        // Core: deeper than 55 % of the maximal depth, at most the deepest 30 % of voxels (small or flat lesions
        // are dominated by partial volume) and at least the deepest 5.
        let byDepth = voxels.sorted { depth[$0] > depth[$1] || (depth[$0] == depth[$1] && $0 < $1) }
        let coreCount = min(max(min(5, voxels.count), voxels.count * 3 / 10), byDepth.prefix { depth[$0] >= 0.55 * deepest }.count)
        let core = Array(byDepth.prefix(max(coreCount, min(5, voxels.count))))
        let rim = voxels.filter { depth[$0] <= max(0.35 * deepest, boundary) }
        let outside = EuclideanDistance.squaredDistance(to: true, in: mask, grid: grid)
        let pv = phases[.portalVenous]!
        let pvLevel = levels[.portalVenous]
        let shell = (0..<grid.count).filter {
            liver[$0] && !otherLesions[$0] && outside[$0] >= 25 && outside[$0] <= 400 && Double(pv[$0]) < pvLevel + 35
        }
        var a = Attenuation()
        (a.coreVoxels, a.rimVoxels, a.liverVoxels) = (core.count, rim.count, shell.count)
        for (phase, values) in phases {
            func median(_ set: [Int]) -> Double { LiverSegmenter.median(set.map { Double(values[$0]) }) }
            (a.core[phase.index], a.rim[phase.index], a.liver[phase.index]) = (median(core), median(rim), median(shell))
            let sorted = rim.map { Double(values[$0]) }.sorted()
            a.rimPeak[phase.index] = sorted.isEmpty ? .nan : sorted[sorted.count * 9 / 10]
        }
        func index(_ p: ContrastPhase) -> Int { p.index }
        let (pre, art, port, del) = (0, 1, 2, 3)
        func margin(_ phase: Int, _ n: Int) -> Double {
            2 * Self.medianErrorFactor * Self.noiseSD(levels, phase) * (1 / Double(max(n, 1)) + 1 / Double(max(a.liverVoxels, 1))).squareRoot()
        }
        let coreAP = a.core[art] - a.liver[art], rimAP = a.rim[art] - a.liver[art]
        let corePV = a.core[port] - a.liver[port], coreDP = a.core[del] - a.liver[del]
        let capsule = capsuleContrast(mask: mask, depth: depth, core: core, outside: outside, phases: phases, liverLevel: a.liver, grid: grid)
        var f: [FeatureMeasurement] = []
        let aphe = FeatureMeasurement("nonrim APHE", "arterial core − liver, HU", value: coreAP, threshold: 15, margin: margin(art, core.count))
        let rimAPHE = FeatureMeasurement("rim APHE", "arterial rim − liver, HU", value: rimAP, threshold: 15, margin: margin(art, rim.count),
                                         also: !aphe.present)
        let notHypoAP = coreAP >= -5
        let washoutPV = FeatureMeasurement("nonperipheral washout (portal venous)", "portal venous core − liver, HU", value: corePV,
                                           threshold: -5, margin: margin(port, core.count), below: true, also: notHypoAP)
        let washoutDP = FeatureMeasurement("nonperipheral washout (delayed)", "delayed core − liver, HU", value: coreDP,
                                           threshold: -5, margin: margin(del, core.count), below: true, also: notHypoAP)
        let capsuleF = FeatureMeasurement("enhancing capsule", "sectors of the 0-3 mm shell ≥ 12 HU above liver and core, %",
                                          value: capsule, threshold: 50, margin: 0)
        let rimPeakAP = a.rimPeak[art] - a.liver[art]
        let nodular = FeatureMeasurement("hemangioma pattern", "arterial rim peak − liver, HU (peripheral, delayed fill-in above liver)",
                                         value: rimPeakAP, threshold: 60, margin: margin(art, rim.count / 10),
                                         also: coreDP >= 5 && a.rimPeak[art] - a.core[art] >= 60)
        // Small hemangiomas: the nodules blur into the rim, but the centripetal fill-in stays: a core below the
        // liver in the arterial phase and above it in the delayed phase, with some peripheral enhancement.
        let fillIn = FeatureMeasurement("hemangioma fill-in", "delayed core − liver, HU (arterial core ≤ liver, rim peak ≥ liver + 25)",
                                        value: coreDP, threshold: 10, margin: margin(del, core.count),
                                        also: coreAP <= 0 && rimPeakAP >= 25)
        let hemangioma = nodular.present ? nodular : fillIn
        let coreEnhancement = a.core[port] - a.core[pre]
        // Water in the portal venous core (the registration's reference phase, which no resampling moves: a small
        // cyst's core in a resampled phase can catch its wall), or in the mean over the phases (half the noise).
        let pooled = waterCore(a, coreVoxels: core.count, levels: levels)
        let readings = [(quantity: "portal venous core HU (water, not enhancing)", value: a.core[port], margin: margin(port, core.count)),
                        (quantity: "core HU, mean over the phases (water in each, not enhancing)", value: pooled.value, margin: pooled.margin)]
        // The surer reading: the lower upper bound (value + margin); the feature is present if either passes.
        let water = readings.filter { $0.value.isFinite }.min { $0.value + $0.margin < $1.value + $1.margin } ?? readings[0]
        let cyst = FeatureMeasurement("simple cyst", water.quantity, value: water.value, threshold: 18, margin: water.margin, below: true,
                                      also: coreEnhancement.isFinite ? coreEnhancement <= 12 : true)
        let necrosis = FeatureMeasurement("necrosis", "portal venous core − liver, HU (a markedly hypoattenuating centre in a wall brighter than it)",
                                          value: corePV, threshold: -40, margin: margin(port, core.count), below: true,
                                          also: a.rim[port] - a.core[port] >= 15 && a.core[port] >= 18 + margin(port, core.count))
        let enhancement = max(a.core[art] - a.core[pre], a.core[port] - a.core[pre])
        let inVein = FeatureMeasurement("tumour in vein", "post-contrast − unenhanced core, HU (the lesion interrupts the portal lumen)",
                                        value: enhancement, threshold: 20, margin: margin(pre, core.count), also: portalPieces >= 2)
        f = [aphe, rimAPHE, washoutPV, washoutDP, capsuleF, nodular, fillIn, cyst, necrosis, inVein]
        var o = LIRADSObservation(sizeMM: sizeMM)
        o.nonrimAPHE = aphe.present
        o.rimAPHE = rimAPHE.present && !hemangioma.present
        o.nonperipheralWashout = washoutPV.present || washoutDP.present
        o.enhancingCapsule = capsuleF.present && !hemangioma.present
        o.definitelyBenign = hemangioma.present || cyst.present
        o.necrosis = necrosis.present
        o.tumourInVein = inVein.present
        o.categorizable = phases[.arterial] != nil && (phases[.delayed] != nil || phases[.portalVenous] != nil)
        return (a, f, o)
    }

    /// The standard error of a median of n normal samples is this factor times σ / √n.
    static let medianErrorFactor = 1.25

    /// The liver's noise in `phase` (its robust spread; 10 HU when it could not be measured).
    static func noiseSD(_ levels: PhaseLevels, _ phase: Int) -> Double { levels.spread[phase].isFinite ? levels.spread[phase] : 10 }

    /// The core's attenuation for the water test: the mean of its per-phase medians, with a margin of two standard
    /// errors of that mean. A cyst neither enhances nor washes out, so every phase measures the same water and the
    /// mean of P phases halves the noise of one when P = 4 (one phase alone left a third-dose cyst's 17 HU of noise a
    /// margin as wide as the gap between water and necrotic tissue). A core that enhances in any phase raises the
    /// mean above water, so pooling cannot make an enhancing lesion a cyst; a core that catches its wall in a
    /// misregistered phase raises it too, which only withholds the feature ("if unsure, absent").
    func waterCore(_ a: Attenuation, coreVoxels: Int, levels: PhaseLevels) -> (value: Double, margin: Double) {
        let present = (0..<4).filter { a.core[$0].isFinite }
        guard !present.isEmpty else { return (.nan, 0) }
        let value = present.map { a.core[$0] }.reduce(0, +) / Double(present.count)
        let variance = present.map { p -> Double in
            let sd = Self.noiseSD(levels, p)
            return Self.medianErrorFactor * Self.medianErrorFactor * sd * sd / Double(max(coreVoxels, 1))
        }.reduce(0, +)
        return (value, 2 * variance.squareRoot() / Double(present.count))
    }

    /// Percentage of 12 in-plane sectors (about the lesion's centre, on its slices) whose radial profile
    /// across the lesion edge (1 mm bins of signed distance, −3…+3 mm) peaks ≥ 12 HU above both the liver
    /// and the core, in the portal venous or delayed phase: a thin bright ring wherever the mask's edge fell.
    func capsuleContrast(mask: [Bool], depth: [Float], core: [Int], outside: [Float], phases: [ContrastPhase: [Float]],
                         liverLevel: SIMD4<Double>, grid: VolumeGrid) -> Double {
        let (nx, plane) = (grid.nx, grid.nx * grid.ny)
        let voxels = mask.indices.filter { mask[$0] }
        guard !voxels.isEmpty else { return 0 }
        var centre = SIMD2<Double>.zero
        for n in voxels { centre += SIMD2(Double(n % nx), Double((n % plane) / nx)) }
        centre /= Double(voxels.count)
        var area: [Int: Int] = [:]
        for n in voxels { area[n / plane, default: 0] += 1 }
        let largest = area.values.max() ?? 0
        let slices = area.keys.filter { 2 * area[$0]! >= largest }
        var best = 0.0
        for phase in [ContrastPhase.portalVenous, .delayed] {
            guard let values = phases[phase] else { continue }
            let coreLevel = LiverSegmenter.median(core.map { Double(values[$0]) })
            let reference = max(coreLevel, liverLevel[phase.index]) + 12
            var sums = [Double](repeating: 0, count: 72), counts = [Int](repeating: 0, count: 72)
            for k in slices { for n in (k * plane)..<((k + 1) * plane) {
                let signed = mask[n] ? -Double(depth[n]) : Double(outside[n]).squareRoot()
                guard signed > -3, signed < 3 else { continue }
                let dx = (Double(n % nx) - centre.x) * grid.spacing.x, dy = (Double((n % plane) / nx) - centre.y) * grid.spacing.y
                let sector = min(11, Int((atan2(dy, dx) + .pi) / (2 * .pi) * 12)), bin = min(5, Int(signed + 3))
                sums[sector * 6 + bin] += Double(values[n]); counts[sector * 6 + bin] += 1
            } }
            var bright = 0
            for sector in 0..<12 {
                var ring = false
                for bin in (sector * 6)..<(sector * 6 + 6) where counts[bin] >= 3 && sums[bin] / Double(counts[bin]) >= reference { ring = true }
                if ring { bright += 1 }
            }
            best = max(best, Double(bright) / 12 * 100)
        }
        return best
    }
}
