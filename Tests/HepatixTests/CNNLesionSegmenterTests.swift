import Foundation
import Testing
@testable import Hepatix

/// The multiphase lesion network (`Models/ct-lesion-seg-2.5d.onnx`, trained on phantom seeds 101-160) run by Hepatix's
/// engine on a study it was not trained on, its interface checks, and the pipeline with its proposals.
struct CNNLesionSegmenterTests {
    /// Phantom seed 21 at a third of the dose (the acquisition whose faint lesions the detector's rules miss).
    static func thirdDoseStudy() throws -> AbdomenStudy {
        var options = AbdomenStudy.Options()
        (options.threads, options.dose) = (2, 1.0 / 3.0)
        return try AbdomenStudy.render(seed: 21, options: options)
    }

    @Test func proposalsTouchEveryLesionAndLittleElse() throws {
        let phantom = try Self.thirdDoseStudy()
        var network = try CNNLesionSegmenter()
        network.threads = 2
        let proposed = try network.propose(try phantom.phasesOnPortalFrame(threads: 2))
        let grid = try phantom.study.portalVenous.voxelGrid()
        // Lesions of at least a 10 mm sphere's volume (524 mm³), the size the acceptance counts.
        let voxelMM3 = grid.spacing.x * grid.spacing.y * grid.spacing.z
        var counts = [Int](repeating: 0, count: 256)
        for number in phantom.lesionNumber where number > 0 { counts[Int(number)] += 1 }
        let lesions = Set(counts.indices.filter { Double(counts[$0]) * voxelMM3 >= Double.pi / 6 * 1000 }.map(UInt8.init))
        let touched = Set(proposed.indices.filter { proposed[$0] && lesions.contains(phantom.lesionNumber[$0]) }.map { phantom.lesionNumber[$0] })
        let components = ConnectedComponents(zip(proposed, phantom.liver).map { $0 && $1 }, grid: grid)
        var onLesions = Set<Int32>()
        for n in proposed.indices where components.labels[n] > 0 && phantom.lesionNumber[n] > 0 { onLesions.insert(components.labels[n]) }
        let astray = components.count - onLesions.count
        print("seed 21 at a third: \(touched.count) of \(lesions.count) lesions touched, \(astray) proposed components in the liver touching none")
        // The PyTorch replica of the network on the same phases (float32) marks all four lesions (41-970 of their voxels,
        // components of 46-1130 voxels, all over the 150 mm³ floor of 27 voxels) and no component in the liver away from
        // them. Lesions under a 10 mm sphere's volume (here the 46-voxel HCC, 13 mm long with its capsule but flat) are not
        // counted, as proposals of 27-50 voxels sit near the floor, which the engine's summation order may cross. On
        // validation seeds 201-206 at a third the network touched all 28 lesions of 10 mm or more (6 raw false-positive
        // components, before the floor). One astray component is allowed for a noise spot lifted over the floor.
        #expect(touched == lesions)
        #expect(astray <= 1)
    }

    @Test func refusesAnotherInterfaceAndMissingPhases() throws {
        let liverModel = try ONNXModel(contentsOf: try ShippedModels.path(of: CNNLiverSegmenter.shippedModelName))
        #expect(throws: InferenceError.self) { try CNNLesionSegmenter(model: liverModel) }
        let phantom = try Self.thirdDoseStudy()
        var phases = try phantom.phasesOnPortalFrame(threads: 2)
        phases[.delayed] = nil
        #expect(throws: InferenceError.self) { try CNNLesionSegmenter().probability(phases) }
    }

    /// The analysis records which model proposed lesions: the shipped one by its name, another by its path.
    @Test func recordsWhereItsModelCameFrom() throws {
        #expect(try CNNLesionSegmenter().modelName == CNNLesionSegmenter.shippedModelName)
        let path = try ShippedModels.path(of: CNNLesionSegmenter.shippedModelName)
        #expect(try CNNLesionSegmenter(path: path).modelName == path)
        #expect(try CNNLesionSegmenter(model: ONNXModel(contentsOf: path)).modelName == "in-memory model")
    }
}

/// The lesion network's occlusion evidence (`CNNLesionSegmenter.evidence`) on the truth lesions of seed 21 at a third:
/// the probability it explains is the proposals' own, the map's largest fall lies on the lesion, and the phase the
/// network relies on most is the one where the lesion's core departs most from the liver.
struct CNNLesionEvidenceTests {
    @Test func evidenceRestsOnTheLesion() throws {
        let phantom = try CNNLesionSegmenterTests.thirdDoseStudy()
        var network = try CNNLesionSegmenter()
        network.threads = 2
        let phases = try phantom.phasesOnPortalFrame(threads: 2)
        let portal = phantom.study.portalVenous
        let grid = try portal.voxelGrid()
        let lesions = phantom.anatomy.lesions.map { lesion in phantom.lesionNumber.indices.filter { phantom.lesionNumber[$0] == UInt8(lesion.number) } }
        let evidence = try network.evidence(phases, lesions: lesions, liver: phantom.liver)
        #expect(throws: InferenceError.self) { try network.evidence(phases, lesions: lesions, liver: phantom.liver) { _, _ in false } }
        let probability = try network.probability(phases)
        let plane = grid.nx * grid.ny
        var checked = Set<PhantomLesionKind>()
        for (index, voxels) in lesions.enumerated() where !voxels.isEmpty {
            let e = try #require(evidence[index])
            let kind = phantom.anatomy.lesions[index].kind
            // The phantom's grid is the network's (1.5 x 1.5 x 2.5 mm), so the widest slice and the probability are the
            // proposals' own: the same network on the same input layout, averaged in the same order.
            var counts = [Int](repeating: 0, count: grid.nz)
            for n in voxels { counts[n / plane] += 1 }
            let k = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
            let onSlice = voxels.filter { $0 / plane == k }
            let expected = onSlice.reduce(0.0) { $0 + Double(probability[$1]) } / Double(onSlice.count)
            print("lesion \(index + 1) \(kind.rawValue) (\(voxels.count) voxels): p \(e.measured.probability), falls "
                  + e.measured.phaseFalls.map { String(format: "%@ %.3f", $0.phase, $0.fall) }.joined(separator: ", ")
                  + String(format: ", map max %.3f", e.map.sensitivity.max()!))
            #expect(e.measured.probability == expected, "lesion \(index + 1)")
            guard e.measured.probability > 0.5 else { continue }
            // Where: the square whose covering lowers the probability most touches the lesion on that slice.
            let best = e.map.sensitivity.indices.max { e.map.sensitivity[$0] < e.map.sensitivity[$1] }!
            let offset = (e.map.image.origin - portal.origin) / grid.spacing
            let (i, j) = (Int(offset.x.rounded()) + best % e.map.image.nx, Int(offset.y.rounded()) + best / e.map.image.nx)
            let distance = onSlice.map { max(abs($0 % grid.nx - i), abs(($0 / grid.nx) % grid.ny - j)) }.min()!
            #expect(distance < e.map.patch, "lesion \(index + 1): largest fall \(distance) pixels from it")
            // Which phase: the one where the lesion's core departs most from the liver in the phantom's truth table (HCC:
            // arterial, +50 HU; cyst: portal venous, -104; hypovascular metastasis: portal venous, -82). Kinds with an
            // enhancing rim (hemangioma, rim metastasis) depart in opposite directions at once and are not judged here.
            guard kind.rimFraction == 0 || kind == .hypovascularMetastasis else { continue }
            let difference = kind.core - PhantomTissue.liver.hounsfield
            let departure = difference.replacing(with: -difference, where: difference .< 0)
            let expectedPhase = ContrastPhase.acquisitionOrder.max { departure[$0.index] < departure[$1.index] }!
            let relied = e.measured.phaseFalls.max { $0.fall < $1.fall }!.phase
            #expect(relied == expectedPhase.slug, "\(kind.rawValue) \(index + 1)")
            checked.insert(kind)
        }
        print("kinds checked: \(checked.map(\.rawValue).sorted())")
        #expect(!checked.isEmpty)
    }

    /// The sentence lists losses from the largest and gains apart, and names the phase relied on most.
    @Test func sentenceSaysWhichPhaseCarriesTheDecision() {
        typealias Fall = LiverAnalysisResult.PhaseFall
        let evidence = LiverAnalysisResult.NetworkEvidence(probability: 0.918, phaseFalls: [
            Fall(phase: "pre", fall: 0.012), Fall(phase: "arterial", fall: 0.72), Fall(phase: "portal", fall: -0.05), Fall(phase: "delayed", fall: 0.006)])
        #expect(LesionExplanation.networkSentence(evidence) == "Lesion network: mean lesion probability 0.92 over the observation on its widest "
                + "slice. Made to look like liver in one phase at a time, it loses 72 % in the arterial phase, 1 % in the unenhanced phase "
                + "and 1 % in the delayed phase, and gains 5 % in the portal venous phase: the network relies most on the arterial phase.")
        let unmarked = LiverAnalysisResult.NetworkEvidence(probability: 0.2, phaseFalls: [Fall(phase: "portal", fall: -0.3)])
        #expect(LesionExplanation.networkSentence(unmarked) == "Lesion network: mean lesion probability 0.20 over the observation on its "
                + "widest slice, so the network does not mark it (the detector's rules found it). Made to look like liver in one phase "
                + "at a time, it gains 30 % in the portal venous phase.")
    }

    /// The analysis with the lesion network records every lesion's evidence, and the report and JSON carry it.
    @Test func analysisReportsTheEvidence() throws {
        let phantom = try CNNLesionSegmenterTests.thirdDoseStudy()
        var analyzer = LiverAnalyzer()
        (analyzer.threads, analyzer.lesionNetwork) = (2, try CNNLesionSegmenter())
        let output = try analyzer.analyze(phantom.study)
        let phases = try #require(CNNLesionSegmenter.phases(inputChannels: 12))
        #expect(!output.result.lesions.isEmpty)
        for lesion in output.result.lesions {
            let evidence = try #require(lesion.networkEvidence)
            #expect(evidence.phaseFalls.map(\.phase) == phases.map(\.slug))
            #expect((0...1).contains(evidence.probability))
            let map = try #require(output.lesionEvidence[lesion.number])
            #expect(map.sensitivity.count == map.image.nx * map.image.ny && map.probability.count == map.sensitivity.count)
        }
        #expect(output.stages.contains { $0.name == "lesion network occlusion maps" })
        let page = try LiverReportHTML.page(output)
        #expect(page.components(separatedBy: "<h4>Lesion network: occlusion map</h4>").count == output.result.lesions.count + 1)
        #expect(page.contains("Made to look like liver in one phase at a time"))
        let json = String(decoding: try LiverAnalysisResult.jsonEncoder().encode(output.result), as: UTF8.self)
        #expect(json.contains("\"networkEvidence\"") && json.contains("\"phaseFalls\""))
    }
}
