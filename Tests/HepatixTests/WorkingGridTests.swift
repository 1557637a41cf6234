import Foundation
import Testing
@testable import Hepatix

/// The liver analysis of a fine study runs on a block-averaged working grid and returns its masks on the
/// study's grid. A study whose every voxel is split into 2 × 2 identical halves in-plane averages back to
/// the original bit for bit, so its analysis must equal the original's exactly: same JSON result, masks
/// repeated block by block, phases returned at the fine spacing.
struct WorkingGridTests {
    /// `volume` with each voxel repeated twice along x and y (voxel edge halved, block centres unchanged).
    static func splitInPlane(_ volume: PatientVolume) throws -> PatientVolume {
        var voxels = [Float]()
        voxels.reserveCapacity(volume.voxels.count * 4)
        for k in 0..<volume.nz { for j in 0..<2 * volume.ny { for i in 0..<2 * volume.nx {
            voxels.append(volume.voxels[(k * volume.ny + j / 2) * volume.nx + i / 2])
        } } }
        let half = SIMD3(volume.spacing.x / 2, volume.spacing.y / 2, volume.spacing.z)
        return try PatientVolume(nx: 2 * volume.nx, ny: 2 * volume.ny, nz: volume.nz, spacing: half,
                                 origin: volume.origin - 0.5 * half.x * volume.axisI - 0.5 * half.y * volume.axisJ,
                                 axisI: volume.axisI, axisJ: volume.axisJ, axisK: volume.axisK, voxels: voxels)
    }

    @Test func splitStudyGivesTheSameAnalysis() throws {
        let phantom = try AbdomenStudy.render(seed: 1)
        let fine = try MultiphaseStudy(name: phantom.study.name, phases: try phantom.study.phases.mapValues(Self.splitInPlane))
        let analyzer = LiverAnalyzer()
        #expect(LiverAnalyzer.workingFactors(spacing: fine.portalVenous.spacing, target: analyzer.workingSpacingMM) == SIMD3(2, 2, 1))
        let coarse = try analyzer.analyze(phantom.study), split = try analyzer.analyze(fine)
        let encoder = LiverAnalysisResult.jsonEncoder()
        #expect(try encoder.encode(split.result) == encoder.encode(coarse.result))
        #expect(!coarse.result.lesions.isEmpty)
        let portal = phantom.study.portalVenous
        func repeated<T>(_ labels: [T]) -> [T] {
            (0..<portal.nz).flatMap { k in (0..<2 * portal.ny).flatMap { j in (0..<2 * portal.nx).map { i in
                labels[(k * portal.ny + j / 2) * portal.nx + i / 2]
            } } }
        }
        #expect(split.liver == repeated(coarse.liver))
        #expect(split.couinaud == repeated(coarse.couinaud))
        #expect(split.lesionNumber == repeated(coarse.lesionNumber))
        #expect(split.phases[.portalVenous]!.voxels == fine.portalVenous.voxels)
        #expect(split.phases[.arterial]!.spacing == fine.portalVenous.spacing)
        #expect(split.stages.map(\.name).contains("working grid"))
    }
}
