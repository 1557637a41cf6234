/// Axial diameters of a lesion mask, RECIST style: the long axis is the longest outer-edge-to-outer-edge
/// in-plane distance on any axial slice (voxel-centre distance plus one pixel), the short axis the
/// longest extent perpendicular to it on that slice.
public enum LesionMeasurement {
    /// Long and short axis (mm) and the slice of the long axis.
    public static func axialDiameters(_ voxels: [Int], grid: VolumeGrid) -> (long: Double, short: Double, slice: Int) {
        let (nx, plane) = (grid.nx, grid.nx * grid.ny)
        var bySlice: [Int: [SIMD2<Double>]] = [:]
        for n in voxels {
            bySlice[n / plane, default: []].append(SIMD2(Double(n % nx) * grid.spacing.x, Double((n % plane) / nx) * grid.spacing.y))
        }
        var best = (long: 0.0, short: 0.0, slice: 0)
        let pixel = (grid.spacing.x + grid.spacing.y) / 2
        for (k, points) in bySlice.sorted(by: { $0.key < $1.key }) {
            var longest = 0.0, direction = SIMD2<Double>(1, 0)
            for a in 0..<points.count { for b in (a + 1)..<max(a + 1, points.count) {
                let d = points[b] - points[a], length = (d * d).sum().squareRoot()
                if length > longest { (longest, direction) = (length, d / length) }
            } }
            if longest + pixel > best.long {
                let normal = SIMD2(-direction.y, direction.x)
                let projections = points.map { ($0 * normal).sum() }
                let short = (projections.max() ?? 0) - (projections.min() ?? 0) + pixel
                best = (longest + pixel, short, k)
            }
        }
        return best
    }

    /// The observation as LI-RADS measures it, outer edge to outer edge with its capsule: `voxels` plus their in-plane
    /// neighbours (liver, no other lesion) at least `capsuleHU` above the liver in the portal venous or delayed phase
    /// (`liverLevel`: the liver's HU per phase, by `ContrastPhase.index`). The detector's masks stop inside a capsule,
    /// which is bright in those phases where an HCC is dark; a 1.5 mm capsule on each side is 3 mm of the size
    /// (13 mm phantom HCCs measured 9.6 mm without it: LR-4 instead of LR-5). 25 HU asks for most of a capsule's
    /// contrast (the phantom's is 25 HU portal venous, 35 HU delayed), so liver noise rarely passes; chosen from
    /// 20 / 25 / 30 HU on the validation seeds 201-212 by the median long-axis error.
    public static func withCapsule(_ voxels: [Int], phases: [ContrastPhase: [Float]], liverLevel: SIMD4<Double>,
                                   liver: [Bool], otherLesions: [Bool], grid: VolumeGrid, capsuleHU: Double = 25) -> [Int] {
        let bright = [ContrastPhase.portalVenous, .delayed].compactMap { phase in
            phases[phase].map { (values: $0, floor: Float(liverLevel[phase.index] + capsuleHU)) }
        }
        let lesion = Set(voxels)
        var outline = lesion
        for n in voxels {
            let (i, j) = (n % grid.nx, (n / grid.nx) % grid.ny)
            for dj in -1...1 { for di in -1...1 where di != 0 || dj != 0 {
                guard (0..<grid.nx).contains(i + di), (0..<grid.ny).contains(j + dj) else { continue }
                let m = n + dj * grid.nx + di
                guard !lesion.contains(m), liver[m], !otherLesions[m], bright.contains(where: { $0.values[m] >= $0.floor }) else { continue }
                outline.insert(m)
            } }
        }
        return outline.sorted()
    }
}
