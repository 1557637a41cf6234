import Foundation

/// Classical liver segmentation that needs no model and works on real CT in any phase: on a ~3 mm working
/// grid, find the liver's own attenuation, keep voxels within a few spreads of it, cut the bridges to
/// touching organs by a morphological opening, keep the piece in the right upper abdomen, then close,
/// fill vessels and lesions slice by slice, and carry the mask back to the scan's grid.
///
/// 1. Working grid: block means to ~3 mm, then a 3×3×3 median (speckle and noise).
/// 2. Liver attenuation: soft tissue (−30…200 HU) eroded by `seedErosionMM` splits into organ cores;
///    the largest core whose centroid lies on the patient's right is the seed. The histogram mode of its
///    deepest half (in distance: where the liver touches a thick wall, the combined core is deepest in the liver) is
///    the liver level μ; σ is the robust spread (1.4826 × MAD) of seed voxels within ±30 HU of μ.
/// 3. Liver window |HU − μ| < `windowSpreads`·σ, eroded by a ball of `openingRadiusMM`; the component
///    overlapping the seed most is the liver core, restored by geodesic dilations (`restorationRadiiMM`)
///    within the window.
/// 4. Closing by `closingRadiusMM`, 3D then axial hole filling, trilinear upsampling.
public struct LiverSegmenter: Sendable {
    /// Working-grid voxel edge, mm.
    public var workingSpacingMM = 2.0
    /// Erosion that separates organ cores when looking for the seed, mm.
    public var seedErosionMM = 9.0
    /// Half-width of the liver window in robust standard deviations.
    public var windowSpreads = 3.0
    /// Smallest σ used for the window, HU (noise-free phantoms would otherwise give a zero-width window).
    public var minimumSpreadHU = 6.0
    /// Radius of the opening that cuts bridges to touching organs (stomach, IVC, heart), mm.
    public var openingRadiusMM = 9.0
    /// Geodesic restoration after the erosion: dilations by these radii (mm), each within the window. The
    /// first undoes the opening; the second brings back thin lobes (a lateral tip thinned further by a lesion)
    /// without reaching across to touching organs.
    public var restorationRadiiMM = [9.0]
    /// Radius of the final closing, mm.
    public var closingRadiusMM = 3.0
    /// Worker threads (0: one per core); the mask does not depend on it.
    public var threads = 0

    /// The default method.
    public init() {}

    /// What the segmenter found.
    public struct Result: Sendable {
        /// Liver voxels on the input volume's grid.
        public let mask: [Bool]
        /// The liver attenuation μ and its robust spread σ (HU) on the working grid.
        public let levelHU: Double, spreadHU: Double
        /// Liver volume, mL.
        public let volumeML: Double
    }

    /// Segments the liver of `volume` (HU).
    /// - Throws: `LiverAnalysisError` when no soft-tissue organ is found on the patient's right.
    public func segment(_ volume: PatientVolume) throws -> Result {
        let fine = try volume.voxelGrid()
        let blocks = try BlockResampler(fine: fine, targetSpacing: workingSpacingMM)
        let grid = blocks.coarse
        let hu = MedianFilter.median3(blocks.average(volume.voxels), grid: grid, threads: threads)
        let seed = try seedCore(hu, grid: grid, blocks: blocks, volume: volume)
        // The level comes from the seed's deepest half: where the liver touches a thick wall of other tissue,
        // the combined core is deepest inside the liver, the bulkiest organ.
        let depth = EuclideanDistance.squaredDistance(to: false, in: seed, grid: grid)
        let deepest = depth.indices.filter { seed[$0] }.map { depth[$0] }.max() ?? 0
        let (level, measuredSpread) = Self.level(of: hu, in: depth.map { $0 >= 0.25 * deepest && $0 > 0 }, spreadMask: seed)
        let spread = max(measuredSpread, minimumSpreadHU)
        let window = BinaryMorphology.fillHoles(hu.map { abs(Double($0) - level) < windowSpreads * spread }, grid: grid)
        let opened = BinaryMorphology.erode(window, radius: openingRadiusMM, grid: grid, threads: threads)
        let components = ConnectedComponents(opened, grid: grid)
        var overlap = [Int](repeating: 0, count: components.count + 1)
        for n in 0..<grid.count where seed[n] { overlap[Int(components.labels[n])] += 1 }
        overlap[0] = 0
        guard let best = overlap.indices.max(by: { overlap[$0] < overlap[$1] || (overlap[$0] == overlap[$1] && $0 > $1) }),
              overlap[best] > 0 else {
            throw LiverAnalysisError("no liver-like tissue survives a \(openingRadiusMM) mm opening around the seed")
        }
        let core = components.mask(of: Int32(best))
        var restored = core
        for radius in restorationRadiiMM {
            restored = zip(BinaryMorphology.dilate(restored, radius: radius, grid: grid, threads: threads), window).map { $0 && $1 }
        }
        let closed = BinaryMorphology.close(restored, radius: closingRadiusMM, grid: grid, threads: threads)
        let filled = BinaryMorphology.fillHolesPerSlice(BinaryMorphology.fillHoles(closed, grid: grid), grid: grid)
        let mask = blocks.upsample(filled)
        let voxelML = fine.spacing.x * fine.spacing.y * fine.spacing.z / 1000
        return Result(mask: mask, levelHU: level, spreadHU: spread, volumeML: Double(mask.lazy.filter { $0 }.count) * voxelML)
    }

    /// The seed: the largest eroded soft-tissue core whose centroid is on the patient's right of the body's centroid.
    func seedCore(_ hu: [Float], grid: VolumeGrid, blocks: BlockResampler, volume: PatientVolume) throws -> [Bool] {
        let soft = hu.map { $0 > -30 && $0 < 200 }
        let cores = ConnectedComponents(BinaryMorphology.erode(soft, radius: seedErosionMM, grid: grid, threads: threads), grid: grid)
        // Patient-left coordinate (LPS x) of each core's centroid and of the body's.
        var sums = [Double](repeating: 0, count: cores.count + 1)
        var bodySum = 0.0, bodyCount = 0
        var n = 0
        for k in 0..<grid.nz { for j in 0..<grid.ny { for i in 0..<grid.nx {
            let centre = SIMD3(Double(i), Double(j), Double(k)) * SIMD3<Double>(blocks.factors) + (SIMD3<Double>(blocks.factors) - 1) / 2
            let x = volume.position(i: centre.x, j: centre.y, k: centre.z).x
            sums[Int(cores.labels[n])] += x
            if hu[n] > -500 { bodySum += x; bodyCount += 1 }
            n += 1
        } } }
        let bodyX = bodySum / Double(max(1, bodyCount))
        let bySize = cores.sizes.indices.sorted { cores.sizes[$0] > cores.sizes[$1] || (cores.sizes[$0] == cores.sizes[$1] && $0 < $1) }
        guard let chosen = bySize.first(where: { sums[$0 + 1] / Double(cores.sizes[$0]) < bodyX }) else {
            throw LiverAnalysisError("no soft-tissue organ of at least \(seedErosionMM) mm thickness on the patient's right")
        }
        return cores.mask(of: Int32(chosen + 1))
    }

    /// Histogram mode (1 HU bins smoothed by a Gaussian of 3 HU) and robust spread of `hu` inside `mask`.
    /// The spread is measured over `spreadMask` (default `mask`) within ±30 HU of the mode.
    static func level(of hu: [Float], in mask: [Bool], spreadMask: [Bool]? = nil) -> (Double, Double) {
        let low = -100, bins = 501
        var histogram = [Double](repeating: 0, count: bins)
        var values: [Double] = []
        for (v, inside) in zip(hu, mask) where inside {
            values.append(Double(v))
            histogram[min(max(Int(Double(v).rounded()) - low, 0), bins - 1)] += 1
        }
        let kernel = (-9...9).map { exp(-Double($0 * $0) / 18) }
        let smooth = (0..<bins).map { b in (-9...9).reduce(0.0) { s, d in
            let t = b + d
            return t >= 0 && t < bins ? s + histogram[t] * kernel[d + 9] : s
        } }
        let mode = Double((smooth.indices.max { smooth[$0] < smooth[$1] } ?? 0) + low)
        let pool = spreadMask.map { m in zip(hu, m).compactMap { $1 ? Double($0) : nil } } ?? values
        let near = pool.filter { abs($0 - mode) < 30 }
        let centre = median(near)
        let spread = 1.4826 * median(near.map { abs($0 - centre) })
        return (mode, spread)
    }

    static func median(_ values: [Double]) -> Double { OrderStatistics.median(values) }
}
