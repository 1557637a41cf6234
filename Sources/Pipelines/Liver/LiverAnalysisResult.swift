import Foundation

/// Everything the liver analysis measured, as plain values (the JSON report is this, encoded).
public struct LiverAnalysisResult: Sendable, Codable {
    /// One analysed lesion.
    public struct Lesion: Sendable, Codable {
        public let number: Int
        /// Centroid, LPS mm.
        public let centre: SIMD3<Double>
        /// Couinaud segment holding most of the lesion (1...8).
        public let segment: Int
        /// Axial long and short axis, mm, outer edge to outer edge with an enhancing capsule (as LI-RADS measures,
        /// `LesionMeasurement.withCapsule`), and the volume of the lesion's mask (without the capsule), mL.
        public let longAxisMM: Double, shortAxisMM: Double, volumeML: Double
        /// Axial slice (portal venous grid) holding the long axis.
        public internal(set) var slice: Int
        /// Detection confidence in [0, 1] (portal venous contrast-to-noise, scaled).
        public let confidence: Double
        public let attenuation: LesionCharacteriser.Attenuation
        public let features: [FeatureMeasurement]
        public let observation: LIRADSObservation
        public let category: LIRADSCategory
        public let reason: String
        /// The plain-language explanation, in LI-RADS terms.
        public let sentence: String
        /// With a denoiser: the same medians measured on the acquired images (registered by the same maps), so
        /// that what denoising changed in the lesion and its reference is on record; nil without a denoiser, and when
        /// `attenuation` itself was measured on the acquired images (`lesionsFromAcquiredPhases`).
        public var attenuationBeforeDenoising: LesionCharacteriser.Attenuation? = nil
        /// With the lesion network: what its decision on this lesion rests on (nil without the network).
        public var networkEvidence: NetworkEvidence? = nil
    }

    /// What the lesion network's decision on a lesion rests on, by occlusion (`CNNLesionSegmenter.evidence`).
    public struct NetworkEvidence: Sendable, Codable {
        /// The network's mean lesion probability over the lesion on its widest slice of the network's grid.
        public let probability: Double
        /// For each phase the network reads, in its input's order: the fall of `probability`, as a fraction of it, when
        /// the lesion takes the liver's HU in that phase only.
        public let phaseFalls: [PhaseFall]
    }

    /// The fall of the lesion network's probability when one phase is made liver over the lesion.
    public struct PhaseFall: Sendable, Codable {
        /// The phase (`ContrastPhase.slug`).
        public let phase: String
        /// Fraction of the probability lost (negative: gained).
        public let fall: Double
    }

    /// How one phase was registered to the portal venous phase.
    public struct Registration: Sendable, Codable {
        public let phase: String
        /// tx, ty, tz (mm), rx, ry, rz (radians), sx, sy, sz.
        public let parameters: [Double]
        public let correlationBefore: Double, correlationAfter: Double
    }

    public let study: String
    public let liverVolumeML: Double
    /// Volume of Couinaud segments 1...8, mL (empty when the landmarks were not found).
    public let segmentVolumesML: [Double]
    /// Liver median HU and noise SD per phase (unenhanced, arterial, portal venous, delayed; NaN if missing).
    public let liverHU: [Double], liverNoiseHU: [Double]
    /// The Couinaud landmarks, nil when they could not be found (then `couinaudProblem` says why and lesions
    /// have segment 0).
    public let planes: CouinaudPlanes?
    public let couinaudProblem: String?
    public let registrations: [Registration]
    public internal(set) var lesions: [Lesion]
    /// The denoising model the phases went through before analysis (`CNNDenoiser.modelName`; nil: analysed as given).
    public var denoiser: String? = nil
    /// With a denoiser: lesions were found, grown and measured in the acquired phases, the denoised ones serving the
    /// liver, registration and landmarks (`LiverAnalyzer.lesionsFromAcquiredPhases`); liver HU and noise are then the
    /// acquired images' too.
    public var lesionsFromAcquiredPhases = false
    /// How the liver was segmented: "classical" or "CNN" (`LiverAnalyzer.liverNetwork`).
    public var liverSegmentation = "classical"
    /// The lesion network whose proposals added detector seeds (`CNNLesionSegmenter.modelName`; nil: rules alone).
    public var lesionNetwork: String? = nil
    /// The future liver remnant of each planned resection (`LiverAnalyzer.resections`); empty when the Couinaud
    /// segments are unavailable.
    public var futureLiverRemnants: [FutureLiverRemnant] = []
}

/// Wall time of one analysis stage, seconds (kept out of the result so that reports are deterministic).
public struct AnalysisStage: Sendable, Codable {
    public let name: String
    public let seconds: Double

    /// Stage `name` took `seconds`.
    public init(name: String, seconds: Double) { (self.name, self.seconds) = (name, seconds) }
}

extension LiverAnalysisResult {
    /// The JSON encoder of results: sorted keys, pretty printed, NaN (a missing phase) written as "NaN".
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
}
