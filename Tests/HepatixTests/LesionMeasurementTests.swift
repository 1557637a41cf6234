import Testing
@testable import Hepatix

/// LI-RADS sizes an observation outer edge to outer edge with its capsule: a noise-free sphere of 6 mm radius, dark in
/// the portal venous and delayed phases, inside a bright 1.5 mm shell (one in-plane voxel ring), in a homogeneous liver.
struct LesionMeasurementTests {
    static let grid = try! VolumeGrid(nx: 30, ny: 30, nz: 12, spacing: SIMD3(1.5, 1.5, 2.5))
    static let liverHU = SIMD4<Double>(55, 75, 110, 90)

    /// The lesion's voxels (centres within 6 mm), the shell's (6-7.5 mm) and phases with `shell` HU above the liver
    /// in the shell (by phase index; the lesion 30 HU below the liver in every contrast phase).
    static func study(shell: SIMD4<Double>) -> (lesion: [Int], capsule: [Int], phases: [ContrastPhase: [Float]]) {
        let centre = SIMD3<Double>(15, 15, 6) * grid.spacing
        var lesion: [Int] = [], capsule: [Int] = []
        var phases = [ContrastPhase: [Float]]()
        for phase in ContrastPhase.acquisitionOrder { phases[phase] = [Float](repeating: Float(liverHU[phase.index]), count: grid.count) }
        for n in 0..<grid.count {
            let p = SIMD3(Double(n % grid.nx), Double((n / grid.nx) % grid.ny), Double(n / (grid.nx * grid.ny))) * grid.spacing
            let r = ((p - centre) * (p - centre)).sum().squareRoot()
            if r <= 6 { lesion.append(n) } else if r <= 7.5 { capsule.append(n) } else { continue }
            for phase in ContrastPhase.acquisitionOrder where phase != .unenhanced {
                phases[phase]![n] = Float(liverHU[phase.index] + (r <= 6 ? -30 : shell[phase.index]))
            }
        }
        return (lesion, capsule, phases)
    }

    static func longAxis(shell: SIMD4<Double>, otherLesion: Bool = false) -> (mask: Double, withCapsule: Double) {
        let (lesion, capsule, phases) = study(shell: shell)
        var others = [Bool](repeating: false, count: grid.count)
        if otherLesion { for n in capsule { others[n] = true } }
        let outline = LesionMeasurement.withCapsule(lesion, phases: phases, liverLevel: liverHU,
                                                    liver: [Bool](repeating: true, count: grid.count), otherLesions: others, grid: grid)
        return (LesionMeasurement.axialDiameters(lesion, grid: grid).long, LesionMeasurement.axialDiameters(outline, grid: grid).long)
    }

    @Test func aCapsuleBrightInThePortalVenousOrDelayedPhaseAddsOneRingEachSide() {
        // The phantom's capsule: 25 HU above the liver in the portal venous phase, 35 HU in the delayed phase.
        let portalAndDelayed = Self.longAxis(shell: [0, -3, 25, 35])
        #expect(portalAndDelayed.mask == 13.5)   // voxel centres ±6 mm apart by 12 mm, plus one pixel
        #expect(portalAndDelayed.withCapsule == 16.5)   // exactly one 1.5 mm ring on each side
        #expect(Self.longAxis(shell: [0, 0, 0, 30]).withCapsule == 16.5)   // delayed phase alone
    }

    @Test func noCapsuleLeavesTheMaskAlone() {
        // An arterially bright rim is no capsule; 24 HU is under the 25 HU floor; another lesion's voxels never join.
        #expect(Self.longAxis(shell: [0, 60, 0, 0]).withCapsule == 13.5)
        #expect(Self.longAxis(shell: [0, 0, 24, 24]).withCapsule == 13.5)
        #expect(Self.longAxis(shell: [0, 0, 25, 35], otherLesion: true).withCapsule == 13.5)
    }
}
