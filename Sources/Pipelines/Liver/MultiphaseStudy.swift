/// The input of the liver analysis: one CT volume per contrast phase, each on its own grid as acquired
/// (the analysis registers them to the portal venous phase).
public struct MultiphaseStudy: Sendable {
    /// The phases present; portal venous is required.
    public var phases: [ContrastPhase: PatientVolume]
    /// A name for reports (patient or phantom identifier).
    public var name: String

    /// A study from its phases.
    /// - Throws: `LiverAnalysisError` if the portal venous phase is missing.
    public init(name: String, phases: [ContrastPhase: PatientVolume]) throws {
        guard phases[.portalVenous] != nil else { throw LiverAnalysisError("the study has no portal venous phase") }
        self.name = name
        self.phases = phases
    }

    /// The portal venous phase, the reference frame of every measurement.
    public var portalVenous: PatientVolume { phases[.portalVenous]! }
}
