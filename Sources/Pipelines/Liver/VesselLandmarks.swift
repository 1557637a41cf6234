import Foundation

/// Finds the inputs of the plane-based Couinaud rule in registered phases:
/// - **IVC axis**: the column (x, y) inside the liver's footprint where portal venous voxels brighter than
///   the liver by `cavaHU` persist over most of the liver's height (the only vertical bright tube there);
/// - **portal bifurcation height**: portal veins are bright in both late arterial and portal venous phases
///   (hepatic veins are not yet opacified in the late arterial phase); the horizontal right and left branches
///   make the slice with most such voxels, just above the split;
/// - **hepatic-vein azimuths**: voxels bright in the portal venous phase but not in the arterial phase, above
///   the bifurcation, within `veinReachMM` of the liver and outside the IVC, grouped by azimuth about the IVC axis
///   into the three strongest peaks.
public struct VesselLandmarks: Sendable {
    /// How much brighter than the liver a vessel voxel is, HU.
    public var brightHU = 35.0
    /// How much brighter than the liver the IVC is in the portal venous phase (it mixes unopacified blood), HU.
    public var cavaHU = 20.0
    /// IVC radius used to mask it out, mm.
    public var cavaRadiusMM = 12.5
    /// Hepatic-vein voxels are counted within this distance of the liver mask, mm: a threshold-based mask stops at
    /// a vein's wall where the vein runs in a fissure or along the surface (the left hepatic vein, often), and then
    /// leaves it out.
    public var veinReachMM = 5.0

    /// The default method.
    public init() {}

    /// What was found, and the IVC mask (to remove from the liver).
    public struct Result: Sendable {
        /// The Couinaud landmarks; nil when fewer than three hepatic veins were found (`problem` says so).
        public let planes: CouinaudPlanes?
        public let problem: String?
        public let cava: [Bool]
        /// Hepatic-vein voxel count behind each azimuth (a confidence cue).
        public let veinVoxels: [Int]
    }

    /// Landmarks from the portal venous and (registered) arterial volumes (smoothed), the liver mask and its levels.
    public func find(portal: PatientVolume, arterial: PatientVolume?, liver: [Bool],
                     portalLevel: Double, arterialLevel: Double?) throws -> Result {
        let (nx, ny, nz) = (portal.nx, portal.ny, portal.nz), plane = nx * ny
        let zs = (0..<nz).filter { k in (0..<plane).contains { liver[k * plane + $0] } }
        guard let low = zs.first, let high = zs.last else { throw LiverAnalysisError("the liver mask is empty") }
        // IVC: persistence of bright voxels per column over the liver's slices, inside the liver footprint.
        // Over the liver's height the IVC is bright in every slice; hepatic and portal veins run obliquely
        // and light up a column for a few slices only.
        // The IVC often lies in a groove at the liver's back rather than inside it, so the footprint is widened
        // by 15 mm; the aorta, also persistent, is told apart by its arterial brightness.
        let flat = try VolumeGrid(nx: nx, ny: ny, nz: 1, spacing: portal.spacing)
        let footprint = BinaryMorphology.dilate((0..<plane).map { n in (low...high).contains { liver[$0 * plane + n] } },
                                                radius: 15, grid: flat)
        var persistence = [Int](repeating: 0, count: plane)
        for k in low...high { for n in 0..<plane where footprint[n] {
            let v = Double(portal.voxels[k * plane + n])
            let arterialOK = arterial.map { Double($0.voxels[k * plane + n]) < (arterialLevel ?? 0) + 100 } ?? true
            if v > portalLevel + cavaHU && v < portalLevel + 250 && arterialOK { persistence[n] += 1 }
        } }
        // Smooth over a 5 × 5 window so the tube's centre wins over single streaks.
        var bestScore = -1, best = 0
        for y in 2..<(ny - 2) { for x in 2..<(nx - 2) {
            var s = 0
            for dy in -2...2 { for dx in -2...2 { s += persistence[(y + dy) * nx + x + dx] } }
            if s > bestScore { (bestScore, best) = (s, y * nx + x) }
        } }
        // Refine by mean shift: centroid of well-persistent columns within the IVC radius, twice.
        let top = persistence[best]
        var cava = { let p = portal.position(i: Double(best % nx), j: Double(best / nx), k: 0); return SIMD2(p.x, p.y) }()
        for _ in 0..<3 {
            var sum = SIMD2<Double>.zero, weight = 0.0
            for n in 0..<plane where 2 * persistence[n] >= top {
                let p = portal.position(i: Double(n % nx), j: Double(n / nx), k: 0)
                let d = SIMD2(p.x, p.y) - cava
                if (d * d).sum() < cavaRadiusMM * cavaRadiusMM { sum += SIMD2(p.x, p.y); weight += 1 }
            }
            if weight > 0 { cava = sum / weight }
        }
        var cavaMask = [Bool](repeating: false, count: portal.voxels.count)
        for k in 0..<nz { for j in 0..<ny { for i in 0..<nx {
            let p = portal.position(i: Double(i), j: Double(j), k: Double(k)), d = SIMD2(p.x, p.y) - cava
            cavaMask[k * plane + j * nx + i] = (d * d).sum() <= cavaRadiusMM * cavaRadiusMM
        } } }
        // Portal bifurcation: the right and left portal veins run horizontally, so the slice holding most
        // portal voxels (bright in both phases) lies at the level of the main branches, ~2 mm above the split.
        // The hilar branches are not part of a threshold-based liver mask (they open to the outside), so
        // they are looked for within 10 mm of it.
        var count = [Double](repeating: 0, count: nz)
        let artLevel = arterialLevel ?? portalLevel
        // Squared distance to the liver mask (mm²): portal branches are looked for within 10 mm, hepatic veins within
        // `veinReachMM`.
        let distanceToLiver = EuclideanDistance.squaredDistance(to: true, in: liver, grid: try portal.voxelGrid())
        for k in low...high {
            for n in 0..<plane where distanceToLiver[k * plane + n] <= 100 && !cavaMask[k * plane + n] {
                let pv = Double(portal.voxels[k * plane + n])
                let art = arterial.map { Double($0.voxels[k * plane + n]) } ?? pv
                // Portal veins keep enhancing into the portal venous phase; APHE lesions and hemangioma
                // nodules peak in the arterial phase.
                if pv > portalLevel + brightHU && art > artLevel + brightHU && pv > art { count[k] += 1 }
            }
        }
        let smoothed = (0..<nz).map { k in (max(0, k - 1)...min(nz - 1, k + 1)).map { count[$0] }.reduce(0, +) }
        let bifurcationSlice = smoothed.indices.max { smoothed[$0] < smoothed[$1] } ?? (low + high) / 2
        let bifurcationZ = portal.position(i: 0, j: 0, k: Double(bifurcationSlice)).z - 2
        // Hepatic veins: azimuth histogram (2° bins) of vein voxels above the bifurcation.
        let veinReach2 = Float(veinReachMM * veinReachMM)
        var histogram = [Double](repeating: 0, count: 180)
        for k in 0..<nz {
            let z = portal.position(i: 0, j: 0, k: Double(k)).z
            guard z > bifurcationZ + 8 else { continue }
            for n in 0..<plane where distanceToLiver[k * plane + n] <= veinReach2 && !cavaMask[k * plane + n] {
                let pv = Double(portal.voxels[k * plane + n])
                let art = arterial.map { Double($0.voxels[k * plane + n]) }
                guard pv > portalLevel + brightHU, art.map({ $0 < (arterialLevel ?? 0) + 15 }) ?? true else { continue }
                let p = portal.position(i: Double(n % nx), j: Double(n / nx), k: Double(k))
                var a = atan2(p.y - cava.y, p.x - cava.x) * 180 / .pi
                if a < 0 { a += 360 }
                histogram[min(179, Int(a / 2))] += 1
            }
        }
        var smooth = [Double](repeating: 0, count: 180)
        for b in 0..<180 { for d in -3...3 { smooth[b] += histogram[(b + d + 180) % 180] * exp(-Double(d * d) / 4) } }
        var peaks: [(Int, Double)] = []
        for b in 0..<180 where smooth[b] > 0 && smooth[b] >= smooth[(b + 179) % 180] && smooth[b] > smooth[(b + 1) % 180] {
            peaks.append((b, smooth[b]))
        }
        peaks.sort { $0.1 > $1.1 }
        var chosen: [Int] = []
        for (b, _) in peaks where chosen.allSatisfy({ min(abs($0 - b), 180 - abs($0 - b)) >= 10 }) {
            chosen.append(b)
            if chosen.count == 3 { break }
        }
        guard chosen.count == 3 else {
            return Result(planes: nil, problem: "found \(chosen.count) hepatic vein(s), need 3 for the Couinaud planes",
                          cava: cavaMask, veinVoxels: chosen.map { Int(histogram[$0]) })
        }
        let azimuths = chosen.map { (Double($0) * 2 + 1) * .pi / 180 }.sorted { CouinaudPlanes.turn($0) < CouinaudPlanes.turn($1) }
        let counts = chosen.map { Int(histogram[$0]) }
        return Result(planes: CouinaudPlanes(cavaAxis: cava, hepaticVeinAzimuths: SIMD3(azimuths[0], azimuths[1], azimuths[2]),
                                             portalBifurcationZ: bifurcationZ),
                      problem: nil, cava: cavaMask, veinVoxels: counts)
    }
}
