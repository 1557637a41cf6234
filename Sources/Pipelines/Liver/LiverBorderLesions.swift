/// Hypervascular lesion tissue that the classical liver mask leaves out at the liver's border. The segmenter reads
/// one phase and keeps voxels within a few spreads of the liver, so an HCC that washes out in the portal venous phase
/// falls outside its window; inside the liver hole filling brings it back, but where it bulges from the liver or sits
/// at the hilum (a tumour growing into a portal branch) nothing encloses it and the mask keeps only part of it. With
/// the registered phases the tissue is told apart: within the liver's axial convex outline, connected to the mask, it
/// enhances in the late arterial phase (nonrim APHE's threshold) and is darker than the liver in the portal venous
/// phase (washout's threshold), while fat, bile and water (far below the liver), blood and enhancing organs (bright in
/// the portal venous phase) do not qualify.
enum LiverBorderLesions {
    /// Arterial − liver departure from which tissue is hyperenhancing, HU (the nonrim APHE threshold).
    static let arterialHU = 15.0
    /// Portal venous − liver departure below which tissue washes out, HU (the washout threshold).
    static let washoutHU = -5.0
    /// Portal venous − liver departure below which tissue is fat, bile or water rather than tumour, HU.
    static let floorHU = -60.0
    /// Smallest piece added, mm³ (a 6 mm sphere: smaller pieces are noise at the mask's edge).
    static let minimumPieceMM3 = 113.0

    /// `liver` with the border tissue added, found in registered, smoothed `phases` (`levels` measured in `liver`);
    /// `liver` unchanged without a late arterial or portal venous phase.
    static func including(_ liver: [Bool], smoothed phases: [ContrastPhase: [Float]], levels: PhaseLevels, grid: VolumeGrid) -> [Bool] {
        guard let pv = phases[.portalVenous], let ap = phases[.arterial] else { return liver }
        let (lPV, lAP) = (levels[.portalVenous], levels[.arterial])
        let outline = axialConvexOutline(liver, grid: grid)
        let tissue = (0..<grid.count).map { n -> Bool in
            guard outline[n] && !liver[n] else { return false }
            let (dPV, dAP) = (Double(pv[n]) - lPV, Double(ap[n]) - lAP)
            return dAP > arterialHU && dPV < washoutHU && dPV > floorHU
        }
        let pieces = ConnectedComponents(tissue, grid: grid)
        let minimum = Int((minimumPieceMM3 / (grid.spacing.x * grid.spacing.y * grid.spacing.z)).rounded(.up))
        var touches = [Bool](repeating: false, count: pieces.count + 1)
        let (nx, plane) = (grid.nx, grid.nx * grid.ny)
        for n in 0..<grid.count where pieces.labels[n] > 0 {
            let (i, j, k) = (n % nx, (n / nx) % grid.ny, n / plane)
            for (step, ok) in [(-1, i > 0), (1, i < nx - 1), (-nx, j > 0), (nx, j < grid.ny - 1), (-plane, k > 0), (plane, k < grid.nz - 1)]
                where ok && liver[n + step] { touches[Int(pieces.labels[n])] = true }
        }
        return (0..<grid.count).map { n in
            let label = Int(pieces.labels[n])
            return liver[n] || (label > 0 && touches[label] && pieces.sizes[label - 1] >= minimum)
        }
    }

    /// Each axial slice's convex outline of `mask`: the voxels whose centres lie inside or on the convex hull of the
    /// slice's mask voxel centres (the monotone chain over each row's end voxels, exact integer turns).
    static func axialConvexOutline(_ mask: [Bool], grid: VolumeGrid) -> [Bool] {
        var outline = [Bool](repeating: false, count: grid.count)
        let (nx, ny) = (grid.nx, grid.ny)
        for k in 0..<grid.nz {
            // The two end voxels of every row are the only candidates for hull vertices.
            var points: [SIMD2<Int>] = []
            for j in 0..<ny {
                let row = (k * ny + j) * nx
                guard let first = (0..<nx).first(where: { mask[row + $0] }), let last = (0..<nx).last(where: { mask[row + $0] }) else { continue }
                points.append(SIMD2(first, j))
                if last != first { points.append(SIMD2(last, j)) }
            }
            let hull = convexHull(points)
            guard !hull.isEmpty else { continue }
            for j in 0..<ny {
                guard let (low, high) = rowSpan(of: hull, at: j) else { continue }
                for i in max(0, low)...min(nx - 1, high) { outline[(k * ny + j) * nx + i] = true }
            }
        }
        return outline
    }

    /// The convex hull of `points` counter-clockwise, without collinear points (the points themselves when fewer than 3).
    static func convexHull(_ points: [SIMD2<Int>]) -> [SIMD2<Int>] {
        let sorted = points.sorted { $0.x < $1.x || ($0.x == $1.x && $0.y < $1.y) }
        guard sorted.count >= 3 else { return sorted }
        return ConvexHull.monotoneChain(sorted) { o, a, b in (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
    }

    /// The columns of row `j` inside or on the convex polygon `hull` (counter-clockwise), nil when the row misses it.
    static func rowSpan(of hull: [SIMD2<Int>], at j: Int) -> (Int, Int)? {
        var low = Int.max, high = Int.min
        for (e, a) in hull.enumerated() {
            let b = hull[(e + 1) % hull.count]
            if a.y == j { low = min(low, a.x); high = max(high, a.x) }
            guard (a.y - j) * (b.y - j) < 0 else { continue }
            // The edge crosses the row strictly between its ends: the crossing column, rounded inwards below.
            let x = Double(a.x) + Double(j - a.y) * Double(b.x - a.x) / Double(b.y - a.y)
            low = min(low, Int(x.rounded(.up)))
            high = max(high, Int(x.rounded(.down)))
        }
        return low <= high ? (low, high) : nil
    }
}
