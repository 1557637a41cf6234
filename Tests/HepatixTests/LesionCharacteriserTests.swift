import Testing
@testable import Hepatix

/// LI-RADS features measured on noise-free synthetic lesions in a homogeneous liver: spheres of 15 mm with the
/// phantom's designed core and wall attenuation per phase (unenhanced, late arterial, portal venous, delayed).
struct LesionCharacteriserTests {
    static let grid = try! VolumeGrid(nx: 40, ny: 40, nz: 20, spacing: SIMD3(1.5, 1.5, 2.5))
    static let liverHU: SIMD4<Float> = [55, 75, 110, 90]

    /// Features and category of a sphere of radius 7.5 mm whose outer `wallFraction` of the radius has `wall` HU.
    static func characterise(core: SIMD4<Float>, wall: SIMD4<Float>, wallFraction: Double) throws -> ([String: Bool], LIRADSCategory) {
        let centre = SIMD3<Double>(20, 20, 10) * grid.spacing, radius = 7.5
        var lesion: [Int] = []
        var phases = [ContrastPhase: [Float]]()
        for phase in ContrastPhase.acquisitionOrder { phases[phase] = [Float](repeating: liverHU[phase.index], count: grid.count) }
        for n in 0..<grid.count {
            let p = SIMD3(Double(n % grid.nx), Double((n / grid.nx) % grid.ny), Double(n / (grid.nx * grid.ny))) * grid.spacing
            let r = ((p - centre) * (p - centre)).sum().squareRoot()
            guard r <= radius else { continue }
            lesion.append(n)
            let hu = r > radius * (1 - wallFraction) ? wall : core
            for phase in ContrastPhase.acquisitionOrder { phases[phase]![n] = hu[phase.index] }
        }
        let liver = [Bool](repeating: true, count: grid.count)
        let (_, features, observation) = try LesionCharacteriser().characterise(
            lesion, phases: phases, levels: PhaseLevels(phases, liver: liver), liver: liver,
            otherLesions: [Bool](repeating: false, count: grid.count), grid: grid, sizeMM: 2 * radius)
        return (Dictionary(uniqueKeysWithValues: features.map { ($0.name, $0.present) }), LIRADS.categorize(observation).category)
    }

    @Test func necroticCentreMakesAHypovascularMetastasisLRM() throws {
        let (features, category) = try Self.characterise(core: [25, 26, 28, 28], wall: [35, 55, 80, 75], wallFraction: 0.4)
        #expect(features["necrosis"] == true && features["simple cyst"] == false && category == .malignantNotHCCSpecific)
    }

    @Test func hccWithWashoutHasNoNecrosis() throws {
        let (features, category) = try Self.characterise(core: [45, 125, 85, 68], wall: [45, 125, 85, 68], wallFraction: 0)
        #expect(features["necrosis"] == false && features["nonrim APHE"] == true && category == .definitelyHCC)
    }

    @Test func waterIsACystNotNecrosis() throws {
        let (features, category) = try Self.characterise(core: [5, 5, 6, 6], wall: [5, 5, 6, 6], wallFraction: 0)
        #expect(features["simple cyst"] == true && features["necrosis"] == false && category == .definitelyBenign)
    }

    @Test func rimEnhancingMetastasisIsLRM() throws {
        let (features, category) = try Self.characterise(core: [38, 45, 70, 68], wall: [40, 135, 112, 88], wallFraction: 0.3)
        #expect(features["rim APHE"] == true && category == .malignantNotHCCSpecific)
    }
}
