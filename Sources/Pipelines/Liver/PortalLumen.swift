/// The opacified lumen of the intrahepatic portal veins, in pieces, to tell a tumour in vein (LI-RADS LR-TIV:
/// "unequivocal enhancing soft tissue in vein") from a lesion that only lies near a vein. Portal blood is bright in
/// both the late arterial and the portal venous phase (hepatic veins fill only in the portal venous phase), so the
/// lumen is the voxels within `reachMM` of the liver mask (which leaves the large vessels out) brighter than the
/// liver by `lumenHU` in both, arterial blood (aorta, renal cortex: `arterialCeilingHU` above the liver) excluded. A thrombus that fills a branch stops
/// the lumen at its tissue, and the branch resumes beyond it as a separate piece: a lesion touching two or more
/// pieces sits where the lumen should run. Whether that tissue enhances (tumour, not bland thrombus) is the
/// characteriser's measurement.
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

    /// The lumen of registered, smoothed `phases` inside `liver`, whose levels are `levels`; nil without a late
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

    /// How many separate pieces of the lumen lie within one voxel step (the largest spacing) of `voxels`.
    public func piecesTouched(by voxels: [Int], grid: VolumeGrid) -> Int {
        guard let box = try? VoxelBox(around: voxels, in: grid, marginMM: 2 * grid.spacing.max()) else { return 0 }
        var mask = [Bool](repeating: false, count: box.subgrid.count)
        for n in voxels { mask[box.inner(n)!] = true }
        let near = BinaryMorphology.dilate(mask, radius: 1.01 * grid.spacing.max(), grid: box.subgrid, threads: 1)
        var touched = Set<Int32>()
        for m in near.indices where near[m] && labels[box.outer(m)] > 0 { touched.insert(labels[box.outer(m)]) }
        return touched.count
    }
}
