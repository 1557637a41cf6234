import Foundation
import Testing
@testable import Hepatix

/// The synthetic multiphase abdomen: reproducible from its seed, with truth that matches its images.
struct AbdomenPhantomTests {
    /// Same seed, same bits; a different seed, a different study.
    @Test func reproducibleFromSeed() throws {
        var options = AbdomenStudy.Options()
        options.size = SIMD3(96, 96, 32)
        options.spacing = SIMD3(4, 4, 6.5)
        let a = try AbdomenStudy.render(seed: 5, options: options)
        options.threads = 1
        let b = try AbdomenStudy.render(seed: 5, options: options)
        let c = try AbdomenStudy.render(seed: 6, options: options)
        for phase in ContrastPhase.acquisitionOrder {
            #expect(a.study.phases[phase]!.voxels == b.study.phases[phase]!.voxels, "thread count changed \(phase)")
        }
        #expect(a.study.portalVenous.voxels != c.study.portalVenous.voxels)
        #expect(a.anatomy.lesions.count >= 3 && a.anatomy.lesions.contains { $0.kind == .hcc })
    }

    /// Mean HU inside the truth masks (eroded away from partial-volume edges) equals the design table
    /// within 3 noise SDs of the mean (10 HU / sqrt(n)), in the portal venous phase.
    @Test func truthMatchesImages() throws {
        let study = try AbdomenStudy.render(seed: 3)
        let pv = study.study.portalVenous
        let grid = try pv.voxelGrid()
        let liverCore = BinaryMorphology.erode(zip(study.liver, study.tissue).map { $0 && $1 == PhantomTissue.liver.rawValue },
                                               radius: 5, grid: grid)
        let values = zip(pv.voxels, liverCore).filter(\.1).map { Double($0.0) }
        let mean = values.reduce(0, +) / Double(values.count)
        #expect(abs(mean - 110) < 3 * 10 / Double(values.count).squareRoot() + 0.5, "liver mean \(mean)")
        for segment in UInt8(1)...8 { #expect(study.couinaud.contains(segment), "segment \(segment) is empty") }
        for lesion in study.anatomy.lesions {
            #expect(study.lesionNumber.contains(UInt8(lesion.number)), "lesion \(lesion.number) not painted")
        }
    }

    /// Moving each phase back by its true misregistration puts it on the portal venous frame: the portal venous
    /// phase stays bit for bit, and the body's outline (voxels above −500 HU) of every other phase, which its
    /// misregistration of a few millimetres had moved, overlaps the portal venous one again.
    @Test func phasesMoveBackOntoThePortalVenousFrame() throws {
        var options = AbdomenStudy.Options()
        (options.noiseHU, options.threads) = (0, 2)
        let study = try AbdomenStudy.render(seed: 4, options: options)
        let moved = try study.phasesOnPortalFrame(threads: 2)
        #expect(moved[.portalVenous]!.voxels == study.study.portalVenous.voxels)
        // Slices within 2 of the ends are left out: a phase moved along z leaves its first or last slice empty there.
        let plane = study.study.portalVenous.nx * study.study.portalVenous.ny, nz = study.study.portalVenous.nz
        func outline(_ v: PatientVolume) -> [Bool] { Array(v.voxels[(2 * plane)..<((nz - 2) * plane)].map { $0 > -500 }) }
        let body = outline(study.study.portalVenous)
        for phase in [ContrastPhase.unenhanced, .arterial, .delayed] {
            let before = SegmentationScore.dice(outline(study.study.phases[phase]!), body)
            let after = SegmentationScore.dice(outline(moved[phase]!), body)
            // Before: the outline shifted by the phase's 1-4 mm motion. After: only trilinear resampling differs,
            // which moves the −500 HU level by well under a voxel (a 0.999 Dice on a body of ~500k voxels).
            #expect(after > before && after >= 0.999, "\(phase): body Dice \(before) -> \(after)")
        }
    }

    /// The written truth: the lesion list (`truth-lesions.json`) names every lesion of the label map
    /// (`truth-lesions.nii.gz`) by its number, with the anatomy's kind, long axis and LI-RADS category.
    @Test func truthLesionListMatchesTheLabelMap() throws {
        var options = AbdomenStudy.Options()
        (options.size, options.spacing, options.threads) = (SIMD3(96, 96, 32), SIMD3(4, 4, 6.5), 2)
        let study = try AbdomenStudy.render(seed: 5, options: options)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hepatix-truth-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try study.writeTruthNIfTI(to: folder)
        let list = try JSONDecoder().decode([AbdomenStudy.TruthLesion].self,
                                            from: Data(contentsOf: URL(fileURLWithPath: folder + "/truth-lesions.json")))
        let labels = Set(try NIfTIVolume.read(folder + "/truth-lesions.nii.gz").values.filter { $0 > 0 }.map { Int($0.rounded()) })
        #expect(list.map(\.number) == study.anatomy.lesions.map(\.number))
        #expect(Set(list.map(\.number)) == labels)
        for (entry, lesion) in zip(list, study.anatomy.lesions) {
            #expect(entry.kind == lesion.kind && entry.longAxisMM == lesion.longAxisMM && entry.category == lesion.truthCategory.rawValue)
        }
    }
}
