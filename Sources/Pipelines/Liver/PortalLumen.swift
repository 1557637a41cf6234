/// The opacified lumen of the intrahepatic portal veins, in pieces, to tell a tumour in vein (LI-RADS LR-TIV:
/// "unequivocal enhancing soft tissue in vein") from a lesion that only lies near a vein. Portal blood is bright in
/// both the late arterial and the portal venous phase (hepatic veins fill only in the portal venous phase), so the
/// lumen is the voxels within `reachMM` of the liver mask (which leaves the large vessels out) brighter than the
/// liver by `lumenHU` in both, arterial blood (aorta, renal cortex: `arterialCeilingHU` above the liver) excluded.
/// A thrombus that fills a branch stops the lumen at its tissue, and the branch resumes beyond it as a separate
/// piece: a lesion touching two or more pieces sits where the lumen should run. Whether that tissue enhances
/// (tumour, not bland thrombus) is the characteriser's measurement.
public struct PortalLumen: Sendable {
    /// Component label of every voxel of the grid (0 outside the lumen or in a piece below the minimum size).
    public let labels: [Int32]
    /// Pieces smaller than this (mm³) are dropped: noise specks and partial-volume fragments, not a branch.
    public static let minimumPieceMM3 = 60.0
    /// How far outside the liver mask the lumen is sought, mm: the portal vein's trunk and main branches at the hilum.
    public static let reachMM = 10.0
    /// Arterial brightness above the liver from which a voxel is arterial blood or renal cortex, not portal blood
    /// (late arterial aorta ~+225 HU, renal cortex ~+105, portal vein ~+75).
    public static let arterialCeilingHU = 95.0

    /// The lumen of registered, smoothed `phases` within `reachMM` of `liver` (the liver's levels are `levels`); nil without a late
    /// arterial phase (the lumen cannot then be told from hepatic veins).
    public init?(smoothed phases: [ContrastPhase: [Float]], levels: PhaseLevels, liver: [Bool], grid: VolumeGrid, lumenHU: Double = 35,
                 threads: Int = 0) {
        guard let pv = phases[.portalVenous], let ap = phases[.arterial] else { return nil }
        let (pvFloor, apFloor) = (Float(levels[.portalVenous] + lumenHU), Float(levels[.arterial] + lumenHU))
        let apCeiling = Float(levels[.arterial] + Self.arterialCeilingHU)
        let near = BinaryMorphology.dilate(liver, radius: Self.reachMM, grid: grid, threads: threads)
        let bright = (0..<grid.count).map { near[$0] && pv[$0] > pvFloor && ap[$0] > apFloor && ap[$0] < apCeiling }
        let pieces = ConnectedComponents(bright, grid: grid)
        let minimum = Int((Self.minimumPieceMM3 / (grid.spacing.x * grid.spacing.y * grid.spacing.z)).rounded(.up))
        labels = pieces.labels.map { $0 > 0 && pieces.sizes[Int($0) - 1] >= minimum ? $0 : 0 }
    }

    /// How many separate pieces of the lumen lie within one voxel step (the largest spacing) of `voxels` and run at
    /// least `awayMM` from them: a vessel leaves the lesion, while a bright spot of the lesion's own edge (the
    /// nodules of a hemangioma, bright in both phases) stays beside it.
    public func piecesTouched(by voxels: [Int], grid: VolumeGrid, awayMM: Double = 5) -> Int {
        guard let box = try? VoxelBox(around: voxels, in: grid, marginMM: awayMM + 2 * grid.spacing.max()) else { return 0 }
        var mask = [Bool](repeating: false, count: box.subgrid.count)
        for n in voxels { mask[box.inner(n)!] = true }
        let distance = EuclideanDistance.squaredDistance(to: true, in: mask, grid: box.subgrid, threads: 1)
        let step = 1.01 * grid.spacing.max()
        var touched = Set<Int32>(), away = Set<Int32>()
        for m in 0..<box.subgrid.count {
            let label = labels[box.outer(m)], d = Double(distance[m])
            guard label > 0 else { continue }
            if d <= step * step { touched.insert(label) }
            if d >= awayMM * awayMM { away.insert(label) }
        }
        return touched.intersection(away).count
    }

    /// `voxels` (a lesion) with the tissue connected to it that departs from the liver (`levels`) as the lesion does
    /// in every phase (within half the lesion's own departure, at least `floorHU`), up to `reachMM` from it, inside
    /// the liver mask or not. The liver mask leaves out the large vessels at the hilum, so a
    /// thrombus in one, and the part of a lesion that grows into it, lie outside the mask and beyond the detector's
    /// growth; blood (bright in the portal venous phase) and parenchyma (without the lesion's arterial or washout
    /// departure) do not pass.
    public static func withContiguousTissue(_ voxels: [Int], smoothed phases: [ContrastPhase: [Float]], levels: PhaseLevels,
                                            grid: VolumeGrid, reachMM: Double = 10, floorHU: Double = 15) -> [Int] {
        guard !voxels.isEmpty, let box = try? VoxelBox(around: voxels, in: grid, marginMM: reachMM + grid.spacing.max()) else { return voxels }
        let present = ContrastPhase.acquisitionOrder.filter { phases[$0] != nil }
        let own = present.map { phase in LiverSegmenter.median(voxels.map { Double(phases[phase]![$0]) }) - levels[phase] }
        func similar(_ n: Int) -> Bool {
            for (p, phase) in present.enumerated() where abs(Double(phases[phase]![n]) - levels[phase] - own[p]) > max(floorHU, 0.5 * abs(own[p])) {
                return false
            }
            return true
        }
        let sub = box.subgrid
        var member = [Bool](repeating: false, count: sub.count)
        for n in voxels { member[box.inner(n)!] = true }
        let distance = EuclideanDistance.squaredDistance(to: true, in: member, grid: sub, threads: 1)
        var queue = voxels.map { box.inner($0)! }, head = 0, grown = voxels
        let (nx, plane) = (sub.nx, sub.nx * sub.ny)
        while head < queue.count {
            let m = queue[head]
            head += 1
            let (i, j, k) = (m % nx, (m / nx) % sub.ny, m / plane)
            for (step, ok) in [(-1, i > 0), (1, i < nx - 1), (-nx, j > 0), (nx, j < sub.ny - 1), (-plane, k > 0), (plane, k < sub.nz - 1)] where ok {
                let q = m + step, n = box.outer(q)
                guard !member[q], Double(distance[q]) <= reachMM * reachMM, similar(n) else { continue }
                member[q] = true
                queue.append(q)
                grown.append(n)
            }
        }
        return grown.sorted()
    }
}
