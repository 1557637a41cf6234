import Foundation

extension AbdomenAnatomy {
    /// Where the scanner saw the anatomy's point p in `phase`: the phase's true rigid misregistration
    /// (identity for portal venous), the map a perfect registration of that phase would find.
    public func motion(of phase: ContrastPhase) -> AffineResampling.Map {
        .rigidZ(angle: phaseRotations[phase.index], translation: phaseShifts[phase.index])
    }
}

extension AbdomenStudy {
    /// Every phase moved back onto the portal venous grid by its true misregistration, resampled trilinearly as
    /// the pipeline resamples registered phases: the phases a perfect registration gives (training data for networks
    /// that read the registered phases together, `hepatix phantom --registered`).
    /// - Throws: `GeometryError` when a phase's grid is invalid.
    public func phasesOnPortalFrame(threads: Int = 0) throws -> [ContrastPhase: PatientVolume] {
        let portal = study.portalVenous
        var phases: [ContrastPhase: PatientVolume] = [:]
        for (phase, volume) in study.phases {
            phases[phase] = phase == .portalVenous ? volume
                : try volume.resampled(onto: portal, map: anatomy.motion(of: phase), about: .zero, threads: threads)
        }
        return phases
    }
}
