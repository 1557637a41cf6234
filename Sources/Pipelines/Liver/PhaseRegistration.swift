import Foundation

/// Registers a contrast phase to the portal venous phase: rigid (three translations, three rotations),
/// then affine without shear (adding a scale per axis), by maximising the normalised cross-correlation
/// of intensities clamped to −200…300 HU (body outline, fat planes, bone and organ borders; contrast
/// changes of the enhancing organs matter little), coarse to fine on block-averaged grids of 8, 4 and 2 mm
/// (for the default 4 mm working spacing), with a pattern search that halves its steps down to
/// 0.05 mm / 0.03° / 0.0005.
public struct PhaseRegistration: Sendable {
    /// Working-grid voxel edge, mm.
    public var workingSpacingMM = 4.0
    /// Margin around the focus box at the finest level, mm.
    public var focusMarginMM = 20.0
    /// Worker threads (0: one per core).
    public var threads = 0

    /// The default method.
    public init() {}

    /// The result: the map (patient mm about the fixed volume's centre, fixed → moving), the moving
    /// volume on the fixed grid, and the correlation before and after.
    public struct Result: Sendable {
        public let map: AffineResampling.Map
        public let parameters: [Double]
        public let registered: PatientVolume
        public let correlationBefore: Double, correlationAfter: Double
    }

    /// One level of the coarse-to-fine search: the working grid's voxel edge (mm), the parameters it moves and
    /// its first and last steps as multiples of (1 mm, 0.01 rad, 0.01 scale).
    struct Level {
        let spacingMM: Double, free: Range<Int>, firstStep: Double, lastStep: Double
    }

    /// Rigid on a grid twice as coarse as the working one, then all nine parameters on the working grid, then a
    /// last polish on a grid twice as fine (the far edge of the liver moves most with rotation and scale).
    var levels: [Level] {
        [Level(spacingMM: 2 * workingSpacingMM, free: 0..<6, firstStep: 4, lastStep: 0.4),
         Level(spacingMM: workingSpacingMM, free: 0..<9, firstStep: 1, lastStep: 0.1),
         Level(spacingMM: workingSpacingMM * 0.75, free: 0..<9, firstStep: 0.2, lastStep: 0.05)]
    }

    /// Registers `moving` to `fixed`. With `focus` (voxel indices of `fixed`, e.g. the liver), the finest level
    /// compares only the focus's bounding box grown by `focusMarginMM`: the organ that must line up, at a
    /// fraction of the cost.
    public func register(_ moving: PatientVolume, to fixed: PatientVolume, focus: [Int]? = nil) throws -> Result {
        if let focus, focus.isEmpty || !focus.allSatisfy({ fixed.voxels.indices.contains($0) }) {
            throw LiverAnalysisError("the registration focus needs voxels of the fixed volume")
        }
        var p: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1]
        var before = Double.nan, best = -Double.infinity
        for level in levels {
            let region = level.spacingMM < workingSpacingMM ? try focus.map { try fixed.cropped(to: VoxelBox(around: $0, in: fixed.voxelGrid(), marginMM: focusMarginMM)) } : nil
            let score = try scorer(moving, region ?? fixed, about: fixed.centre, spacingMM: level.spacingMM)
            best = try score(p)
            if before.isNaN { before = best }
            // Units: mm for translations, 0.01 rad for rotations, 0.01 for scales.
            let unit: [Double] = [1, 1, 1, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]
            var steps = unit.map { $0 * level.firstStep }
            let floor = unit.map { $0 * level.lastStep }
            while level.free.contains(where: { steps[$0] >= floor[$0] }) {
                var improved = false
                for q in level.free where steps[q] >= floor[q] {
                    for sign in [1.0, -1.0] {
                        var trial = p
                        trial[q] += sign * steps[q]
                        let s = try score(trial)
                        if s > best + 1e-7 { (best, p, improved) = (s, trial, true); break }
                    }
                }
                if !improved { for q in level.free { steps[q] /= 2 } }
            }
        }
        let map = Self.map(p)
        return Result(map: map, parameters: p, registered: try moving.resampled(onto: fixed, map: map, threads: threads),
                      correlationBefore: before, correlationAfter: best)
    }

    /// The similarity of parameters p (about `centre`) on a `spacingMM` working grid: correlation of intensities
    /// clamped to −200…300 HU.
    private func scorer(_ moving: PatientVolume, _ fixed: PatientVolume, about centre: SIMD3<Double>,
                        spacingMM: Double) throws -> ([Double]) throws -> Double {
        func factors(_ v: PatientVolume) -> SIMD3<Int> {
            SIMD3(max(1, Int((spacingMM / v.spacing.x).rounded())), max(1, Int((spacingMM / v.spacing.y).rounded())),
                  max(1, Int((spacingMM / v.spacing.z).rounded())))
        }
        let fixedCoarse = try fixed.blockAveraged(factors(fixed)), movingCoarse = try moving.blockAveraged(factors(moving))
        let reference = fixedCoarse.voxels.map { min(max($0, -200), 300) }
        let threads = self.threads
        return { p in
            let sampler = try movingCoarse.sampler(onto: fixedCoarse, map: Self.map(p), about: centre)
            return movingCoarse.voxels.withUnsafeBufferPointer { source in reference.withUnsafeBufferPointer { fixedValues in
                sampler.correlationSums(source.baseAddress!, reference: fixedValues.baseAddress!, low: -200, high: 300, threads: threads)
            } }.correlation
        }
    }

    /// The map of parameters (tx, ty, tz mm; rx, ry, rz radians; sx, sy, sz): p ↦ R·S·p + t.
    static func map(_ p: [Double]) -> AffineResampling.Map {
        let (cx, sx) = (cos(p[3]), sin(p[3])), (cy, sy) = (cos(p[4]), sin(p[4])), (cz, sz) = (cos(p[5]), sin(p[5]))
        // R = Rz · Ry · Rx, then columns scaled by S.
        let r0 = SIMD3(cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx)
        let r1 = SIMD3(sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx)
        let r2 = SIMD3(-sy, cy * sx, cy * cx)
        let scale = SIMD3(p[6], p[7], p[8])
        return AffineResampling.Map(rows: (r0 * scale, r1 * scale, r2 * scale), translation: SIMD3(p[0], p[1], p[2]))
    }
}
