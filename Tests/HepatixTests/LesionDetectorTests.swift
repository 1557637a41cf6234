import Testing
@testable import Hepatix

/// The detector's vessel rules on a synthetic liver: two 12 mm spheres that are identical in the portal venous
/// phase (24 HU above the liver: seeded, since a hypervascular lesion may stay slightly bright) and differ only in
/// their arterial-to-portal trend. The arterially hyperenhancing one fades (a lesion); the other keeps rising
/// like portal blood (a small portal branch) and must be dropped, and only by the rising-vessel rule.
struct LesionDetectorTests {
    static let grid = try! VolumeGrid(nx: 64, ny: 64, nz: 32, spacing: SIMD3(1.5, 1.5, 2.5))

    /// Liver HU per phase (unenhanced, arterial, portal venous, delayed) and the two spheres'.
    static let liverHU: SIMD4<Float> = [55, 70, 110, 100]
    static let lesionHU: SIMD4<Float> = [50, 150, 134, 95]
    static let branchHU: SIMD4<Float> = [45, 110, 134, 120]
    static let lesionCentre = SIMD3<Double>(20, 32, 16), branchCentre = SIMD3<Double>(44, 32, 16)

    /// The study: a liver box with a margin of fat, the two spheres (radius 6 mm) inside it, no noise.
    static func phases() -> (phases: [ContrastPhase: [Float]], liver: [Bool]) {
        var values = [ContrastPhase: [Float]]()
        var liver = [Bool](repeating: false, count: grid.count)
        for phase in ContrastPhase.acquisitionOrder {
            values[phase] = (0..<grid.count).map { n in
                let p = SIMD3(Double(n % grid.nx), Double((n / grid.nx) % grid.ny), Double(n / (grid.nx * grid.ny)))
                let inLiver = p.x >= 4 && p.x < 60 && p.y >= 4 && p.y < 60 && p.z >= 3 && p.z < 29
                if phase == .portalVenous { liver[n] = inLiver }
                func near(_ c: SIMD3<Double>) -> Bool { let d = (p - c) * grid.spacing; return (d * d).sum() <= 36 }
                let hu = !inLiver ? SIMD4<Float>(repeating: -100) : near(lesionCentre) ? lesionHU : near(branchCentre) ? branchHU : liverHU
                return hu[phase.index]
            }
        }
        return (values, liver)
    }

    /// Centres (voxel units) of the candidates `detector` finds.
    static func found(by detector: LesionDetector) -> [SIMD3<Double>] {
        let (phases, liver) = Self.phases()
        let candidates = detector.detect(raw: phases, smoothed: phases, levels: PhaseLevels(phases, liver: liver), liver: liver, grid: grid)
        return candidates.map { c in
            c.voxels.reduce(SIMD3<Double>.zero) { sum, n in
                sum + SIMD3(Double(n % grid.nx), Double((n / grid.nx) % grid.ny), Double(n / (grid.nx * grid.ny)))
            } / Double(c.voxels.count)
        }
    }

    static func isNear(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Bool { ((a - b) * (a - b)).sum() < 4 }

    @Test func risingCoreIsAVesselAndFadingCoreALesion() {
        var detector = LesionDetector()
        detector.threads = 2
        let found = Self.found(by: detector)
        #expect(found.count == 1)
        #expect(found.contains { Self.isNear($0, Self.lesionCentre) })
        #expect(!found.contains { Self.isNear($0, Self.branchCentre) })
    }

    /// Without the rule both spheres are candidates: the branch is seeded and grown like the lesion, so the rule
    /// (not the seeding or the brighter-vessel rule) is what removes it above.
    @Test func withoutTheRuleTheBranchIsACandidate() {
        var detector = LesionDetector()
        detector.risingVesselHU = .infinity
        let found = Self.found(by: detector)
        #expect(found.count == 2)
        #expect(found.contains { Self.isNear($0, Self.lesionCentre) } && found.contains { Self.isNear($0, Self.branchCentre) })
    }
}
