/// The future liver remnant (FLR) of a planned resection, measured on the study: the functional (non-tumour)
/// volume of the Couinaud segments left behind, as millilitres and as a fraction of the whole liver's functional
/// volume, with the lesions the resection would leave.
///
/// The fraction is the measured ratio FLR / (total liver − tumour), not the body-surface-standardised FLR
/// (which needs height and weight the images do not carry). It is judged against the usual minimums for a
/// safe major hepatectomy: 20 % for a normal liver, 30 % after extensive chemotherapy or with steatosis,
/// 40 % in cirrhosis.
public struct FutureLiverRemnant: Sendable, Codable, Equatable {
    /// A planned resection: the Couinaud segments (1...8, I...VIII) it removes.
    public struct Resection: Sendable, Codable, Equatable {
        public let name: String
        /// Removed segments, ascending, without repeats.
        public let resectedSegments: [Int]

        /// A resection named `name` that removes `segments`.
        /// - Throws: `LiverAnalysisError` when a segment is outside 1...8, or the plan removes none or all of them.
        public init(name: String, resectedSegments segments: [Int]) throws {
            let set = Set(segments)
            guard let bad = segments.first(where: { !(1...8).contains($0) }) ?? (set.isEmpty ? 0 : nil) else {
                guard set.count < 8 else { throw LiverAnalysisError("a resection of all eight segments leaves no liver") }
                (self.name, resectedSegments) = (name, set.sorted())
                return
            }
            throw LiverAnalysisError(set.isEmpty ? "a resection must remove at least one segment" : "segment \(bad) is not a Couinaud segment (1...8)")
        }

        /// The anatomical resections by the Brisbane 2000 terminology.
        public static let standard: [Resection] = [
            ("right hepatectomy", [5, 6, 7, 8]),
            ("right trisectionectomy", [4, 5, 6, 7, 8]),
            ("left hepatectomy", [2, 3, 4]),
            ("left trisectionectomy", [2, 3, 4, 5, 8]),
            ("left lateral sectionectomy", [2, 3]),
        ].map { Resection(checkedName: $0.0, segments: $0.1) }

        /// A resection from segments known to be valid.
        private init(checkedName: String, segments: [Int]) { (name, resectedSegments) = (checkedName, segments) }

        /// "segments V, VI, VII, VIII".
        public var segmentList: String {
            "segment\(resectedSegments.count == 1 ? "" : "s") " + resectedSegments.map { CouinaudPlanes.roman(UInt8($0)) }.joined(separator: ", ")
        }
    }

    /// The smallest remnant fractions usually required: normal liver, after chemotherapy or with steatosis, cirrhosis.
    public static let minimumFractions: [(condition: String, fraction: Double)] = [
        ("a normal liver", 0.20), ("a liver injured by chemotherapy or steatosis", 0.30), ("a cirrhotic liver", 0.40),
    ]

    public let resection: Resection
    /// Segments left (1...8).
    public let remnantSegments: [Int]
    /// Functional volume of the remnant and of the whole liver (lesions excluded), mL.
    public let remnantML: Double, functionalLiverML: Double
    /// remnantML / functionalLiverML.
    public let remnantFraction: Double
    /// Lesions (their numbers) with at least `lesionShareLeft` of their volume in the remnant.
    public let lesionsLeft: [Int]
    /// Plain-language summary.
    public let sentence: String

    /// The share of a lesion's volume in the remnant from which the resection is said to leave it.
    public static let lesionShareLeft = 0.1

    /// The remnant of `resection`, given voxel counts of functional parenchyma per segment (index 1...8; index 0 unused)
    /// and, per lesion number, its voxel counts per segment (index 0: outside every segment).
    public init(resection: Resection, functionalVoxels: [Int], lesionVoxels: [Int: [Int]], voxelML: Double) {
        self.resection = resection
        let removed = Set(resection.resectedSegments)
        let kept = (1...8).filter { !removed.contains($0) }
        func count(_ counts: [Int], in segments: [Int]) -> Int { segments.reduce(0) { $0 + ($1 < counts.count ? counts[$1] : 0) } }
        let (whole, left) = (Double(count(functionalVoxels, in: Array(1...8))) * voxelML, Double(count(functionalVoxels, in: kept)) * voxelML)
        let fraction = whole > 0 ? left / whole : 0
        let lesions = lesionVoxels.keys.sorted().filter { number in
            let counts = lesionVoxels[number]!
            return Double(count(counts, in: kept)) >= Self.lesionShareLeft * Double(max(1, counts.reduce(0, +)))
        }
        (remnantSegments, functionalLiverML, remnantML, remnantFraction, lesionsLeft) = (kept, whole, left, fraction, lesions)
        sentence = Self.sentence(resection: resection, remnantML: left, fraction: fraction, lesionsLeft: lesions)
    }

    /// The remnant of each of `resections`, from per-voxel Couinaud labels (0 outside the liver, 1...8) and lesion
    /// numbers (0 outside every lesion) on one grid of `voxelML` voxels.
    public static func remnants(of resections: [Resection], couinaud: [UInt8], lesionNumber: [UInt8], voxelML: Double) -> [FutureLiverRemnant] {
        var functional = [Int](repeating: 0, count: 9)
        var lesions: [Int: [Int]] = [:]
        for (segment, lesion) in zip(couinaud, lesionNumber) where segment <= 8 {
            if lesion == 0 { functional[Int(segment)] += 1 } else { lesions[Int(lesion), default: [Int](repeating: 0, count: 9)][Int(segment)] += 1 }
        }
        return resections.map { FutureLiverRemnant(resection: $0, functionalVoxels: functional, lesionVoxels: lesions, voxelML: voxelML) }
    }

    /// "Right hepatectomy (segments V, VI, VII, VIII) leaves 612 mL, 38 % of the functional liver: enough for a
    /// normal liver or one injured by chemotherapy or steatosis, not for a cirrhotic liver. Lesion 2 stays in the remnant."
    static func sentence(resection: Resection, remnantML: Double, fraction: Double, lesionsLeft: [Int]) -> String {
        let enough = minimumFractions.filter { fraction >= $0.fraction }.map(\.condition)
        let short = minimumFractions.filter { fraction < $0.fraction }.map(\.condition)
        func list(_ items: [String], _ conjunction: String = "or") -> String {
            items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
        }
        let verdict = enough.isEmpty ? "below even the \(Int(100 * minimumFractions[0].fraction)) % \(minimumFractions[0].condition) needs"
            : short.isEmpty ? "enough even for \(minimumFractions.last!.condition)" : "enough for \(list(enough)), not for \(list(short))"
        let name = resection.name.prefix(1).uppercased() + resection.name.dropFirst()
        var text = "\(name) (\(resection.segmentList)) leaves \(Int(remnantML.rounded())) mL, \(Int((100 * fraction).rounded())) % of the functional liver: \(verdict)."
        if !lesionsLeft.isEmpty {
            text += lesionsLeft.count == 1 ? " Lesion \(lesionsLeft[0]) stays in the remnant."
                : " Lesions \(list(lesionsLeft.map(String.init), "and")) stay in the remnant."
        }
        return text
    }
}
