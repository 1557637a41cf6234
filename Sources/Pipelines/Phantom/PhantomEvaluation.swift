/// Scores a liver analysis of a phantom study against the phantom's truth: liver and Couinaud Dice,
/// lesion detection (a detection matches the truth lesion it overlaps most, if that is ≥ 20 % of its
/// voxels), long-axis error and LI-RADS agreement of matched lesions.
public struct PhantomEvaluation: Sendable, Codable {
    /// One truth lesion and what the pipeline made of it.
    public struct LesionScore: Sendable, Codable {
        public let number: Int
        public let kind: PhantomLesionKind
        public let truthLongAxisMM: Double
        public let truthCategory: LIRADSCategory
        /// The matched detection's number, long axis and category (nil when missed).
        public let detected: Int?
        public let measuredLongAxisMM: Double?
        public let measuredCategory: LIRADSCategory?
        /// Contrast-to-noise in the portal venous image: |mean lesion − mean liver| / liver noise SD, over the
        /// truth lesion and parenchyma eroded by a voxel (no partial volume).
        public let contrastToNoise: Double
    }

    public let seed: UInt64
    public let liverDice: Double
    /// Dice of segments 1...8 (NaN where both are empty).
    public let segmentDice: [Double]
    public let lesions: [LesionScore]
    /// Detections that match no truth lesion.
    public let falsePositives: Int
    /// Noise: SD (HU) of the portal venous image over liver parenchyma (truth tissue, eroded by a voxel).
    public let liverNoiseHU: Double
    /// Worst displacement error (mm) of each registered phase over the liver's voxels: |found map − true motion|.
    public let registrationErrorMM: [String: Double]
    /// |measured − true| future liver remnant fraction, percentage points, of each resection the analysis reported
    /// (the truth's remnant comes from the phantom's segments and lesions); empty without Couinaud segments.
    public let remnantErrorPoints: [Double]
    /// The Couinaud landmarks of the truth and those the pipeline found.
    public let truthPlanes: CouinaudPlanes, foundPlanes: CouinaudPlanes?

    /// Mean Couinaud Dice over segments present in the truth.
    public var meanSegmentDice: Double {
        let present = segmentDice.filter { $0.isFinite }
        return present.reduce(0, +) / Double(max(1, present.count))
    }

    /// Scores `output` against `truth`.
    /// - Throws: `GeometryError` if the study's grid is invalid.
    public init(_ output: LiverAnalyzer.Output, truth: AbdomenStudy) throws {
        seed = truth.anatomy.seed
        let a = truth.anatomy
        truthPlanes = CouinaudPlanes(cavaAxis: a.cavaAxis, hepaticVeinAzimuths: a.hepaticVeinAzimuths, portalBifurcationZ: a.portalBifurcationZ)
        foundPlanes = output.result.planes
        let portal = truth.study.portalVenous
        let liverPoints = truth.liver.indices.filter { truth.liver[$0] && $0 % 7 == 0 }.map { n in
            portal.position(i: Double(n % portal.nx), j: Double((n / portal.nx) % portal.ny), k: Double(n / (portal.nx * portal.ny)))
        }
        var errors: [String: Double] = [:]
        for r in output.result.registrations {
            guard let phase = ContrastPhase.acquisitionOrder.first(where: { $0.slug == r.phase }) else { continue }
            let moved = a.motion(of: phase)
            let found = PhaseRegistration.map(r.parameters), centre = portal.centre
            errors[r.phase] = liverPoints.map { p in
                let d = (centre + found.apply(p - centre)) - moved.apply(p)
                return (d * d).sum().squareRoot()
            }.max() ?? 0
        }
        registrationErrorMM = errors
        liverDice = SegmentationScore.dice(output.liver, truth.liver)
        segmentDice = (1...8).map { s in
            let a = output.couinaud.map { $0 == UInt8(s) }, b = truth.couinaud.map { $0 == UInt8(s) }
            return a.contains(true) || b.contains(true) ? SegmentationScore.dice(a, b) : .nan
        }
        let truthRemnants = FutureLiverRemnant.remnants(of: output.result.futureLiverRemnants.map(\.resection), couinaud: truth.couinaud,
                                                        lesionNumber: truth.lesionNumber, voxelML: 1)
        remnantErrorPoints = zip(output.result.futureLiverRemnants, truthRemnants).map { 100 * abs($0.remnantFraction - $1.remnantFraction) }
        let detections = output.result.lesions
        var overlap = [[Int]](repeating: [Int](repeating: 0, count: truth.anatomy.lesions.count + 1), count: detections.count + 1)
        var sizes = [Int](repeating: 0, count: detections.count + 1)
        for (found, real) in zip(output.lesionNumber, truth.lesionNumber) where found > 0 {
            overlap[Int(found)][Int(real)] += 1
            sizes[Int(found)] += 1
        }
        var matchOf = [Int?](repeating: nil, count: truth.anatomy.lesions.count + 1)
        var falsePositives = 0
        for d in detections {
            let row = overlap[d.number]
            let best = (1..<row.count).max { row[$0] < row[$1] }
            if let best, row[best] * 5 >= sizes[d.number], row[best] > 0 {
                if matchOf[best] == nil || (row[best] > overlap[matchOf[best]!][best]) { matchOf[best] = d.number }
            } else {
                falsePositives += 1
            }
        }
        self.falsePositives = falsePositives
        let grid = try portal.voxelGrid()
        // Noise and contrast of the image the analysis read (after denoising, when it denoised).
        let image = output.phases[.portalVenous]!.voxels
        let parenchyma = BinaryMorphology.erode(truth.tissue.map { $0 == PhantomTissue.liver.rawValue }, radius: grid.spacing.max() * 1.05, grid: grid)
        let (liverMean, liverSD) = Self.meanAndSD(image.indices.filter { parenchyma[$0] }.map { Double(image[$0]) })
        liverNoiseHU = liverSD
        lesions = truth.anatomy.lesions.map { t in
            let d = matchOf[t.number].map { number in detections.first { $0.number == number }! }
            let inner = BinaryMorphology.erode(truth.lesionNumber.map { Int($0) == t.number }, radius: grid.spacing.x * 1.05, grid: grid)
            let (lesionMean, _) = Self.meanAndSD(image.indices.filter { inner[$0] }.map { Double(image[$0]) })
            return LesionScore(number: t.number, kind: t.kind, truthLongAxisMM: t.longAxisMM, truthCategory: t.truthCategory,
                               detected: d?.number, measuredLongAxisMM: d?.longAxisMM, measuredCategory: d?.category,
                               contrastToNoise: abs(lesionMean - liverMean) / max(liverSD, 1e-9))
        }
    }

    /// Mean and standard deviation (NaN when empty).
    static func meanAndSD(_ values: [Double]) -> (Double, Double) {
        guard !values.isEmpty else { return (.nan, .nan) }
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot())
    }
}
