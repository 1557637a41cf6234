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
