import Testing
@testable import Hepatix

/// The detector with a network's proposals (`LesionDetector.detect(..., proposed:)`) on a synthetic liver: a faint
/// 12 mm sphere, 10 HU darker than the liver in the portal venous phase only (under the 20 HU seed floor and the 15 HU
/// growth floor), holding a small dark spot (2 x 2 x 2 voxels, 40 HU darker) that the rules do seed: noise lifted
/// over a floor inside a faint lesion, as at a third of the dose. Grown by the rules alone the spot stays a 3-4 mm
/// candidate under the long-axis floor; a candidate the proposals make most of is then grown into them.
struct LesionDetectorProposalTests {
    static let grid = try! VolumeGrid(nx: 48, ny: 48, nz: 24, spacing: SIMD3(1.5, 1.5, 2.5))
    static let centre = SIMD3<Double>(24, 24, 12)
    static let radiusMM = 6.0

    static func position(_ n: Int) -> SIMD3<Double> {
        SIMD3(Double(n % grid.nx), Double((n / grid.nx) % grid.ny), Double(n / (grid.nx * grid.ny)))
    }

    static func inSphere(_ n: Int) -> Bool {
        let d = (position(n) - centre) * grid.spacing
        return (d * d).sum() <= radiusMM * radiusMM
    }

    /// The phases (liver 55/75/110/90 HU, fat outside, no noise) and the liver mask.
    static func phases() -> (phases: [ContrastPhase: [Float]], liver: [Bool]) {
        let liverHU: SIMD4<Float> = [55, 75, 110, 90]
        var values = [ContrastPhase: [Float]]()
        let liver = (0..<grid.count).map { n in
            let p = position(n)
            return p.x >= 3 && p.x < 45 && p.y >= 3 && p.y < 45 && p.z >= 2 && p.z < 22
        }
        for phase in ContrastPhase.acquisitionOrder {
            values[phase] = (0..<grid.count).map { n in
                guard liver[n] else { return -100 }
                var hu = liverHU[phase.index]
                if phase == .portalVenous, inSphere(n) {
                    let p = position(n)
                    let spot = (24...25).contains(Int(p.x)) && (24...25).contains(Int(p.y)) && (12...13).contains(Int(p.z))
                    hu -= spot ? 40 : 10
                }
                return hu
            }
        }
        return (values, liver)
    }

    static func detect(proposed: [Bool]?, floorExempt: [Bool]? = nil) -> [LesionDetector.Candidate] {
        var detector = LesionDetector()
        (detector.threads, detector.minimumLongAxisMM) = (2, 6)
        let (phases, liver) = Self.phases()
        return detector.detect(raw: phases, smoothed: phases, levels: PhaseLevels(phases, liver: liver), liver: liver, grid: grid,
                               proposed: proposed, floorExempt: floorExempt)
    }

    @Test func rulesAloneKeepNothing() {
        #expect(Self.detect(proposed: nil).isEmpty)
    }

    @Test func aMostlyProposedCandidateGrowsIntoTheProposals() {
        let sphere = (0..<Self.grid.count).map(Self.inSphere)
        let found = Self.detect(proposed: sphere)
        #expect(found.count == 1)
        let voxels = Set(found.first?.voxels ?? [])
        let inside = sphere.indices.filter { sphere[$0] }
        // The sphere, and nothing outside it: growth stays within the proposals and the voxels the rules admit.
        #expect(inside.allSatisfy(voxels.contains))
        #expect(voxels.allSatisfy { sphere[$0] })
        let long = LesionMeasurement.axialDiameters(found.first?.voxels ?? [], grid: Self.grid).long
        print("faint sphere with proposals: \(voxels.count) of \(inside.count) voxels, long axis \(long) mm")
    }

    /// Proposals that make only a small part of a rule-seeded candidate do not change its growth.
    @Test func aRuleLedCandidateIgnoresASmallProposal() {
        let proposed = (0..<Self.grid.count).map { n in Self.inSphere(n) && Self.position(n).z == 12 && Self.position(n).x == 26 }
        #expect(Self.detect(proposed: proposed).isEmpty)
    }

    /// Seeds that the rules found in the acquired images of a denoised study exempt their candidate from the long-axis
    /// floor: the spot the rules seed, grown by the rules alone (3-4 mm), is kept when those seeds cover it, and only then.
    @Test func floorExemptSeedsKeepASmallCandidate() {
        let (phases, liver) = Self.phases()
        let seeds = LesionDetector().ruleSeeds(raw: phases, liver: liver, grid: Self.grid)
        #expect(seeds.contains(true))
        #expect(seeds.indices.allSatisfy { !seeds[$0] || Self.inSphere($0) }, "the rules fire on the spot only")
        let found = Self.detect(proposed: nil, floorExempt: seeds)
        #expect(found.count == 1)
        let long = LesionMeasurement.axialDiameters(found.first?.voxels ?? [], grid: Self.grid).long
        #expect(long < 6, "a candidate the floor would have dropped: \(long) mm")
        let elsewhere = (0..<Self.grid.count).map { !Self.inSphere($0) && liver[$0] }
        #expect(Self.detect(proposed: nil, floorExempt: elsewhere).isEmpty)
    }
}
