import Testing
@testable import Hepatix

/// Hypervascular tissue at the liver's border joins the liver mask; bile, blood and tissue outside the liver's
/// outline do not.
struct LiverBorderLesionsTests {
    static let grid = try! VolumeGrid(nx: 40, ny: 40, nz: 6, spacing: SIMD3(1.5, 1.5, 2.5))

    @Test func convexHullAndRowSpansOfATriangle() {
        // Points inside and on the edges are dropped; the vertices come counter-clockwise from the lowest x.
        let hull = LiverBorderLesions.convexHull([SIMD2(0, 0), SIMD2(10, 0), SIMD2(0, 10), SIMD2(3, 3), SIMD2(5, 0), SIMD2(5, 5)])
        #expect(hull == [SIMD2(0, 0), SIMD2(10, 0), SIMD2(0, 10)])
        // Row 4 of the triangle x + y ≤ 10: columns 0...6; the apex row holds one column; rows outside miss it.
        #expect(LiverBorderLesions.rowSpan(of: hull, at: 4).map { [$0.0, $0.1] } == [0, 6])
        #expect(LiverBorderLesions.rowSpan(of: hull, at: 10).map { [$0.0, $0.1] } == [0, 0])
        #expect(LiverBorderLesions.rowSpan(of: hull, at: 11) == nil)
    }

    /// A square liver (columns and rows 5...34) with four notches cut from its border, each 6 rows deep on every
    /// slice: HCC tissue (arterial +45, portal venous −25 HU against the liver), bile (−100 HU in both), a portal vein
    /// (bright in both), an artery in fat (arterial +55 but portal venous −130: only the floor keeps it out); and HCC
    /// tissue outside the liver's outline beside it.
    static func study() -> (phases: [ContrastPhase: [Float]], liver: [Bool], notches: [String: [Int]]) {
        let liverHU: SIMD4<Float> = [55, 75, 110, 90]
        let kinds: [String: SIMD4<Float>] = ["hcc": [45, 120, 85, 70], "bile": [5, 5, 10, 8], "vein": [40, 150, 185, 120],
                                                 "arteryInFat": [-60, 130, -20, -40]]
        var values = [SIMD4<Float>](repeating: [-100, -100, -100, -100], count: grid.count)
        var liver = [Bool](repeating: false, count: grid.count)
        var notches: [String: [Int]] = [:]
        for n in 0..<grid.count {
            let (i, j) = (n % grid.nx, (n / grid.nx) % grid.ny)
            let inSquare = (5...34).contains(i) && (5...34).contains(j)
            let kind: String? = (5...10).contains(j) && (8...15).contains(i) ? "hcc"
                : (5...10).contains(j) && (24...31).contains(i) ? "bile"
                : (29...34).contains(j) && (16...23).contains(i) ? "vein"
                : (29...34).contains(j) && (6...11).contains(i) ? "arteryInFat" : nil
            if inSquare, let kind {
                values[n] = kinds[kind]!
                notches[kind, default: []].append(n)
            } else if inSquare {
                values[n] = liverHU
                liver[n] = true
            } else if (1...3).contains(j) && (8...15).contains(i) {
                values[n] = kinds["hcc"]!
                notches["outside", default: []].append(n)
            }
        }
        var phases: [ContrastPhase: [Float]] = [:]
        for phase in ContrastPhase.acquisitionOrder { phases[phase] = values.map { $0[phase.index] } }
        return (phases, liver, notches)
    }

    @Test func theHCCNotchJoinsTheLiverAndNothingElseDoes() {
        let s = Self.study()
        let levels = PhaseLevels(s.phases, liver: s.liver)
        let joined = LiverBorderLesions.including(s.liver, smoothed: s.phases, levels: levels, grid: Self.grid)
        #expect(s.notches["hcc"]!.allSatisfy { joined[$0] })
        for kind in ["bile", "vein", "arteryInFat", "outside"] { #expect(s.notches[kind]!.allSatisfy { !joined[$0] }, "\(kind) stays out") }
        #expect(zip(s.liver, joined).allSatisfy { !$0 || $1 }, "no liver voxel is lost")
        let added = zip(s.liver, joined).filter { !$0 && $1 }.count
        #expect(added == s.notches["hcc"]!.count)
        // Without a late arterial phase the tissue cannot be told from a hypovascular neighbour: the mask is kept.
        var portalOnly = s.phases
        portalOnly[.arterial] = nil
        #expect(LiverBorderLesions.including(s.liver, smoothed: portalOnly, levels: levels, grid: Self.grid) == s.liver)
    }
}
