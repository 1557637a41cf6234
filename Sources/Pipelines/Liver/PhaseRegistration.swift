import Foundation

/// Registers a contrast phase to the portal venous phase: rigid (three translations, three rotations),
/// then affine without shear (adding a scale per axis), by maximising the normalised cross-correlation
/// of intensities clamped to −200…300 HU (body outline, fat planes, bone and organ borders; contrast
/// changes of the enhancing organs matter little) on a ~4 mm working grid, with a pattern search that
/// halves its steps down to 0.05 mm / 0.02° / 0.0005.
public struct PhaseRegistration: Sendable {
    /// Working-grid voxel edge, mm.
    public var workingSpacingMM = 4.0
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

    /// Registers `moving` to `fixed`.
    public func register(_ moving: PatientVolume, to fixed: PatientVolume) throws -> Result {
        func factors(_ v: PatientVolume) -> SIMD3<Int> {
            SIMD3(max(1, Int((workingSpacingMM / v.spacing.x).rounded())), max(1, Int((workingSpacingMM / v.spacing.y).rounded())),
                  max(1, Int((workingSpacingMM / v.spacing.z).rounded())))
        }
        let fixedCoarse = try fixed.blockAveraged(factors(fixed)), movingCoarse = try moving.blockAveraged(factors(moving))
        let reference = fixedCoarse.voxels.map { min(max($0, -200), 300) }
        func score(_ p: [Double]) throws -> Double {
            let warped = try movingCoarse.resampled(onto: fixedCoarse, map: Self.map(p), outside: .nan, threads: threads)
            return Self.correlation(reference, warped.voxels.map { $0.isNaN ? .nan : min(max($0, -200), 300) })
        }
        var p: [Double] = [0, 0, 0, 0, 0, 0, 1, 1, 1]
        let before = try score(p)
        var best = before
        // Rigid first (scales fixed), then all nine parameters.
        for free in [0..<6, 0..<9] {
            var steps: [Double] = [2, 2, 2, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02]
            let floor: [Double] = [0.05, 0.05, 0.05, 0.0004, 0.0004, 0.0004, 0.0005, 0.0005, 0.0005]
            while free.contains(where: { steps[$0] >= floor[$0] }) {
                var improved = false
                for q in free where steps[q] >= floor[q] {
                    for sign in [1.0, -1.0] {
                        var trial = p
                        trial[q] += sign * steps[q]
                        let s = try score(trial)
                        if s > best + 1e-7 { (best, p, improved) = (s, trial, true); break }
                    }
                }
                if !improved { for q in free { steps[q] /= 2 } }
            }
        }
        let map = Self.map(p)
        return Result(map: map, parameters: p, registered: try moving.resampled(onto: fixed, map: map, threads: threads),
                      correlationBefore: before, correlationAfter: best)
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

    /// Pearson correlation over voxels where both are defined (NaN marks outside).
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        var n = 0.0, sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for (x, y) in zip(a, b) where !y.isNaN {
            let (u, v) = (Double(x), Double(y))
            n += 1; sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v
        }
        guard n > 1 else { return -1 }
        let cov = sab - sa * sb / n, va = saa - sa * sa / n, vb = sbb - sb * sb / n
        return va > 0 && vb > 0 ? cov / (va * vb).squareRoot() : -1
    }
}
