import Testing
@testable import Hepatix

/// Future liver remnant arithmetic on hand-made labels, where every figure is known exactly, and the plan checks.
struct FutureLiverRemnantTests {
    /// Segment k (1...8) holds 100·k voxels of parenchyma; lesion 1 sits wholly in segment VIII (40 voxels), lesion 2
    /// straddles IV (5 voxels) and V (45 voxels). Voxels of 1 mL make the volumes the counts.
    static func labels() -> (couinaud: [UInt8], lesion: [UInt8]) {
        var couinaud: [UInt8] = [], lesion: [UInt8] = []
        for segment in 1...8 {
            couinaud += [UInt8](repeating: UInt8(segment), count: 100 * segment)
            lesion += [UInt8](repeating: 0, count: 100 * segment)
        }
        couinaud += [UInt8](repeating: 8, count: 40) + [UInt8](repeating: 4, count: 5) + [UInt8](repeating: 5, count: 45)
        lesion += [UInt8](repeating: 1, count: 40) + [UInt8](repeating: 2, count: 50)
        couinaud += [UInt8](repeating: 0, count: 30)  // outside the liver
        lesion += [UInt8](repeating: 0, count: 30)
        return (couinaud, lesion)
    }

    @Test func volumesFractionsAndLesionsLeftAreExact() throws {
        let (couinaud, lesion) = Self.labels()
        let plans = [try FutureLiverRemnant.Resection(name: "right", resectedSegments: [8, 5, 6, 7, 5])] + FutureLiverRemnant.Resection.standard
        let remnants = FutureLiverRemnant.remnants(of: plans, couinaud: couinaud, lesionNumber: lesion, voxelML: 1)
        // Functional liver 100·(1+…+8) = 3600 mL (lesion voxels excluded); right hepatectomy keeps I-IV: 1000 mL.
        let right = remnants[0]
        #expect(right.resection.resectedSegments == [5, 6, 7, 8])
        #expect(right.remnantSegments == [1, 2, 3, 4])
        #expect(right.functionalLiverML == 3600 && right.remnantML == 1000)
        #expect(abs(right.remnantFraction - 1000.0 / 3600) < 1e-12)
        // Lesion 2 has 5 of its 50 voxels (10 %, the threshold) in segment IV: it stays in the remnant.
        #expect(right.lesionsLeft == [2])
        #expect(right.sentence.hasPrefix("Right (segments V, VI, VII, VIII) leaves 1000 mL, 28 % of the functional liver"))
        #expect(right.sentence.contains("enough for a normal liver, not for a liver injured by chemotherapy or steatosis or a cirrhotic liver"))
        #expect(right.sentence.hasSuffix("Lesion 2 stays in the remnant."))
        // Left lateral sectionectomy removes II and III (500 mL): both lesions stay.
        let lateral = try #require(remnants.first { $0.resection.name == "left lateral sectionectomy" })
        #expect(lateral.remnantML == 3100 && lateral.lesionsLeft == [1, 2])
        #expect(lateral.sentence.contains("enough even for a cirrhotic liver") && lateral.sentence.hasSuffix("Lesions 1 and 2 stay in the remnant."))
        // Right trisectionectomy keeps I-III: 600 mL, 17 %, and clears both lesions.
        let trisection = try #require(remnants.first { $0.resection.name.hasPrefix("right trisectionectomy") })
        #expect(trisection.remnantML == 600 && trisection.lesionsLeft.isEmpty)
        #expect(trisection.sentence.contains("below even the 20 % a normal liver needs"))
    }

    @Test func invalidPlansAreRefused() {
        for segments in [[], [0], [9], [1, 2, 3, 4, 5, 6, 7, 8], [-3]] {
            #expect(throws: LiverAnalysisError.self) { try FutureLiverRemnant.Resection(name: "bad", resectedSegments: segments) }
        }
    }

    @Test func standardPlansFollowBrisbaneTerminology() {
        let plans = Dictionary(uniqueKeysWithValues: FutureLiverRemnant.Resection.standard.map { ($0.name, $0.resectedSegments) })
        #expect(plans["right hepatectomy"] == [5, 6, 7, 8])
        #expect(plans["left hepatectomy"] == [2, 3, 4])
        #expect(plans["left lateral sectionectomy"] == [2, 3])
        #expect(plans["right trisectionectomy"] == [4, 5, 6, 7, 8])
        #expect(plans["left trisectionectomy"] == [2, 3, 4, 5, 8])
    }
}
