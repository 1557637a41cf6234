import Testing
@testable import Hepatix

/// LI-RADS tumour in vein: the portal-lumen geometry on a synthetic tube, the phantom's invading HCC, and the whole
/// pipeline calling it LR-TIV while the same patient without the thrombus gets no LR-TIV.
struct TumourInVeinTests {
    static let grid = try! VolumeGrid(nx: 48, ny: 32, nz: 16, spacing: SIMD3(1.5, 1.5, 2.5))

    /// A liver block crossed along x by a portal branch (bright in the late arterial and portal venous phases,
    /// 3 voxels square) and a block of tumour that either fills the branch over 8 voxels of its length or abuts it
    /// from the side, with a bright nodule (blood HU, 12 voxels) on its far edge like a hemangioma's, which must not
    /// count as a vessel. Liver HU 55/75/110/90, portal blood 40/150/185/120, tumour 45/125/85/68 (the phantom's).
    static func study(plugInside: Bool) -> (phases: [ContrastPhase: [Float]], liver: [Bool], tumour: [Int]) {
        var phases = [ContrastPhase: [Float]]()
        var liver = [Bool](repeating: true, count: grid.count), tumour: [Int] = []
        let (liverHU, bloodHU, tumourHU): (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>) = ([55, 75, 110, 90], [40, 150, 185, 120], [45, 125, 85, 68])
        var labels = [UInt8](repeating: 0, count: grid.count)
        for n in 0..<grid.count {
            let (i, j, k) = (n % grid.nx, (n / grid.nx) % grid.ny, n / (grid.nx * grid.ny))
            let inBranch = (14...16).contains(j) && (7...9).contains(k)
            let inPlug = (20...27).contains(i) && (plugInside ? (13...17).contains(j) : (17...21).contains(j)) && (6...10).contains(k)
            let plugEdge = plugInside ? 17 : 21
            let inNodule = (22...24).contains(i) && (plugEdge + 1...plugEdge + 2).contains(j) && (8...9).contains(k)
            if inPlug { labels[n] = 2; tumour.append(n) } else if inBranch || inNodule { labels[n] = 1; liver[n] = false }
        }
        for phase in ContrastPhase.acquisitionOrder {
            phases[phase] = labels.map { [liverHU, bloodHU, tumourHU][Int($0)][phase.index] }
        }
        return (phases, liver, tumour)
    }

    @Test func aPlugInTheBranchTouchesTwoPiecesAndOneBesideItTouchesOne() throws {
        for (inside, expected) in [(true, 2), (false, 1)] {
            let s = Self.study(plugInside: inside)
            let lumen = try #require(PortalLumen(smoothed: s.phases, levels: PhaseLevels(s.phases, liver: s.liver), liver: s.liver, grid: Self.grid))
            #expect(lumen.piecesTouched(by: s.tumour, grid: Self.grid) == expected, "plug inside the branch: \(inside)")
        }
        // Without a late arterial phase portal blood cannot be told from hepatic veins: no lumen, no tumour in vein.
        var s = Self.study(plugInside: true)
        s.phases[.arterial] = nil
        #expect(PortalLumen(smoothed: s.phases, levels: PhaseLevels(s.phases, liver: s.liver), liver: s.liver, grid: Self.grid) == nil)
    }

    @Test func phantomThrombusFillsTheAnteriorRightPortalBranch() throws {
        let plain = AbdomenAnatomy.generate(seed: 3), invaded = plain.withTumourInVein()
        let hcc = try #require(invaded.lesions.first)
        let thrombus = try #require(hcc.veinTumour)
        #expect(hcc.kind == .hcc && hcc.number == 1 && hcc.truthCategory == .tumourInVein)
        guard case let .tube(from, to, _) = thrombus else { Issue.record("the thrombus is not a tube"); return }
        // Along the thrombus the lesion replaces portal blood; the branch beyond it is still open.
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            let p = from + t * (to - from)
            #expect(plain.tissue(at: p) == .portalVein && hcc.part(at: p) == .core)
        }
        // The thrombus runs from 15 % to 62 % of the branch; 80 % lies beyond it.
        let beyond = to + (0.18 / 0.47) * (to - from)
        #expect(plain.tissue(at: beyond) == .portalVein && invaded.lesions.allSatisfy { $0.part(at: beyond) == nil })
        // The other lesions keep their kinds and places, renumbered after the HCC; none has a thrombus.
        for lesion in invaded.lesions.dropFirst() {
            #expect(lesion.veinTumour == nil && plain.lesions.contains { $0.centre == lesion.centre && $0.kind == lesion.kind })
            #expect(lesion.truthCategory != .tumourInVein)
        }
    }

    @Test func pipelineCallsTheInvadingHCCTumourInVeinAndNothingElse() throws {
        var options = AbdomenStudy.Options()
        options.threads = 2
        for invaded in [true, false] {
            let anatomy = invaded ? AbdomenAnatomy.generate(seed: 3).withTumourInVein() : AbdomenAnatomy.generate(seed: 3)
            let phantom = try AbdomenStudy.render(anatomy: anatomy, noiseSeed: 3, options: options)
            var analyzer = LiverAnalyzer()
            analyzer.threads = 2
            let output = try analyzer.analyze(phantom.study)
            let evaluation = try PhantomEvaluation(output, truth: phantom)
            // The invading HCC (truth lesion 1) is found; with the thrombus it is LR-TIV, by the measured feature.
            let number = try #require(evaluation.lesions.first?.detected)
            let found = try #require(output.result.lesions.first { $0.number == number })
            let inVein = try #require(found.features.first { $0.name == "tumour in vein" })
            #expect(inVein.present == invaded && (found.category == .tumourInVein) == invaded)
            #expect(inVein.value >= 40, "an HCC's core enhances by about 80 HU over the unenhanced phase")
            #expect(found.sentence.hasSuffix(invaded ? "(tumour in vein): LR-TIV" : found.category.rawValue))
            // No other observation is called LR-TIV.
            #expect(output.result.lesions.filter { $0.category == .tumourInVein }.count == (invaded ? 1 : 0))
        }
    }
}
