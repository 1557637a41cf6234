/// The input of the liver analysis: one CT volume per contrast phase, each on its own grid as acquired
/// (the analysis registers them to the portal venous phase).
public struct MultiphaseStudy: Sendable {
    /// The phases present; portal venous is required.
    public var phases: [ContrastPhase: PatientVolume]
    /// A name for reports (patient or phantom identifier).
    public var name: String
    /// Where the images' noise comes from; it decides which images lesions are measured in when a denoiser runs
    /// (`LiverAnalyzer.lesionsFromAcquiredPhases`). A scanner's series, and any volume given without saying, are
    /// `.reconstruction`.
    public var noiseOrigin = NoiseOrigin.reconstruction

    /// Where a study's image noise comes from.
    public enum NoiseOrigin: String, Sendable, Codable {
        /// Quantum noise through a reconstruction from projections (a scanner's series; the phantom's simulated
        /// fan-beam scan, FBP or IR): band-limited by the reconstruction's filter and interpolation, with streaks.
        case reconstruction
        /// The phantom's image-domain simulation: Gaussian noise smoothed in-plane and added to the ideal image. The
        /// shipped denoiser trained mostly on it (`Models/README.md`); no scanner makes it.
        case imageDomainSimulation
    }

    /// A study from its phases, whose noise comes from `noiseOrigin`.
    /// - Throws: `LiverAnalysisError` if the portal venous phase is missing.
    public init(name: String, phases: [ContrastPhase: PatientVolume], noiseOrigin: NoiseOrigin = .reconstruction) throws {
        guard phases[.portalVenous] != nil else { throw LiverAnalysisError("the study has no portal venous phase") }
        self.name = name
        self.phases = phases
        self.noiseOrigin = noiseOrigin
    }

    /// The portal venous phase, the reference frame of every measurement.
    public var portalVenous: PatientVolume { phases[.portalVenous]! }
}
