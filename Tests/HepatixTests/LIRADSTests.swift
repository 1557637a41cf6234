import Testing
@testable import Hepatix

/// The LI-RADS v2018 categorisation against the ACR Core's diagnostic table, written out cell by cell
/// (not recomputed), and the step order around it.
struct LIRADSTests {
    /// The Core p. 8 table as printed: rows = additional features (0, 1, >=2), columns = no APHE <20,
    /// no APHE >=20, APHE <10, APHE 10-19, APHE >=20. "4/5" is the split cell (capsule 4, else 5).
    static let printed: [[String]] = [
        ["3", "3", "3", "3", "4"],
        ["3", "4", "4", "4/5", "5"],
        ["4", "4", "4", "5", "5"],
    ]

    /// All 48 combinations of size band, APHE and the three additional features, at sizes inside each
    /// band and on its boundaries (9.9, 10.0, 19.9, 20.0 mm).
    @Test func everyCellOfTheDiagnosticTable() {
        let sizes: [(Double, Int, Bool)] = [(5, 0, false), (9.9, 0, false), (10, 0, false), (15, 0, false), (19.9, 0, false),
                                            (20, 1, false), (35, 1, false),
                                            (5, 2, true), (9.9, 2, true), (10, 3, true), (19.9, 3, true), (20, 4, true), (40, 4, true)]
        for (size, column, aphe) in sizes {
            for bits in 0..<8 {
                var o = LIRADSObservation(sizeMM: size)
                o.nonrimAPHE = aphe
                (o.nonperipheralWashout, o.enhancingCapsule, o.thresholdGrowth) = (bits & 1 != 0, bits & 2 != 0, bits & 4 != 0)
                let count = bits.nonzeroBitCount
                var cell = Self.printed[min(count, 2)][column]
                if cell == "4/5" { cell = o.enhancingCapsule ? "4" : "5" }
                #expect(LIRADS.categorize(o).category.rawValue == "LR-" + cell, "size \(size), APHE \(aphe), features \(bits)")
            }
        }
    }

    /// Step order: LR-NC before TIV before LR-1/2 before LR-M before the table; targetoid features give
    /// LR-M always, non-targetoid ones only when LR-5 criteria are not met.
    @Test func stepOrderAndLRM() {
        var hcc = LIRADSObservation(sizeMM: 25)
        (hcc.nonrimAPHE, hcc.nonperipheralWashout) = (true, true)
        #expect(LIRADS.categorize(hcc).category == .definitelyHCC)
        var necrotic = hcc
        necrotic.necrosis = true
        #expect(LIRADS.categorize(necrotic).category == .definitelyHCC, "necrosis does not override LR-5")
        var necroticNoWashout = necrotic
        necroticNoWashout.nonperipheralWashout = false
        #expect(LIRADS.categorize(necroticNoWashout).category == .malignantNotHCCSpecific)
        var targetoid = hcc
        targetoid.rimAPHE = true
        #expect(LIRADS.categorize(targetoid).category == .malignantNotHCCSpecific, "targetoid wins over LR-5")
        var benign = targetoid
        benign.definitelyBenign = true
        #expect(LIRADS.categorize(benign).category == .definitelyBenign)
        var vein = benign
        vein.tumourInVein = true
        #expect(LIRADS.categorize(vein).category == .tumourInVein)
        vein.categorizable = false
        #expect(LIRADS.categorize(vein).category == .notCategorizable)
        var probable = LIRADSObservation(sizeMM: 8)
        probable.probablyBenign = true
        #expect(LIRADS.categorize(probable).category == .probablyBenign)
        #expect(LIRADS.categorize(hcc).reason == "diagnostic table: nonrim APHE, >=20 mm, washout")
    }
}
