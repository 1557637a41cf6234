import Foundation
import HepatixKernels

extension LiverAnalyzer {
    /// Analyses `study`: registration of every phase to the portal venous phase, liver and Couinaud
    /// segmentation, lesion detection, measurement and LI-RADS categories, on a working grid of about
    /// `workingSpacingMM` (block means of the acquired voxels; a study already that coarse is used as is).
    /// Masks, lesion slices and registered phases come back on the portal venous phase's own grid: masks by
    /// the block each voxel belongs to, phases resampled at full resolution through the registration maps
    /// (with a denoiser on a fine study, the analysis sees denoised working-grid phases and the returned
    /// phases are the acquired ones, registered). Measurements (sizes, volumes, HU) are those of the working grid.
    /// - Throws: `LiverAnalysisError` when a stage cannot proceed or `progress` cancels.
    public func analyze(_ study: MultiphaseStudy, progress: Progress? = nil) throws -> Output {
        let portal = study.portalVenous
        let factors = Self.workingFactors(spacing: portal.spacing, target: workingSpacingMM)
        guard factors != SIMD3(1, 1, 1) else { return try analyzeOnGrid(study, progress: progress) }
        var clock = Date()
        let coarse = try MultiphaseStudy(name: study.name, phases: try study.phases.mapValues {
            try $0.blockAveraged(Self.workingFactors(spacing: $0.spacing, target: workingSpacingMM))
        }, noiseOrigin: study.noiseOrigin)
        let averaging = AnalysisStage(name: "working grid", seconds: Date().timeIntervalSince(clock))
        let found = try analyzeOnGrid(coarse, progress: progress)
        clock = Date()
        let centre = coarse.portalVenous.centre
        var phases: [ContrastPhase: PatientVolume] = [.portalVenous: portal]
        for r in found.result.registrations {
            guard let phase = ContrastPhase.acquisitionOrder.first(where: { $0.slug == r.phase }), let moving = study.phases[phase] else { continue }
            phases[phase] = try moving.resampled(onto: portal, map: PhaseRegistration.map(r.parameters), about: centre, threads: threads)
        }
        let fine = try portal.voxelGrid(), coarseGrid = try coarse.portalVenous.voxelGrid()
        func upsampled<T>(_ labels: [T]) -> [T] {
            var out = [T]()
            out.reserveCapacity(fine.count)
            for k in 0..<fine.nz { for j in 0..<fine.ny {
                let row = ((k / factors.z) * coarseGrid.ny + j / factors.y) * coarseGrid.nx
                for i in 0..<fine.nx { out.append(labels[row + i / factors.x]) }
            } }
            return out
        }
        var result = found.result
        result.lesions = result.lesions.map { lesion in
            var moved = lesion
            moved.slice = min(fine.nz - 1, lesion.slice * factors.z + factors.z / 2)
            return moved
        }
        let stages = [averaging] + found.stages + [AnalysisStage(name: "full-resolution outputs", seconds: Date().timeIntervalSince(clock))]
        return Output(result: result, phases: phases, acquiredPhases: nil, liverOcclusion: found.liverOcclusion, lesionEvidence: found.lesionEvidence,
                      liver: upsampled(found.liver), couinaud: upsampled(found.couinaud),
                      lesionNumber: upsampled(found.lesionNumber), stages: stages)
    }

    /// Block factors that bring `spacing` to about `target` mm per axis (rounded; at least 1: coarse axes stay).
    public static func workingFactors(spacing: SIMD3<Double>, target: Double) -> SIMD3<Int> {
        func factor(_ s: Double) -> Int { s > 0 && target > 0 ? max(1, Int((target / s).rounded())) : 1 }
        return SIMD3(factor(spacing.x), factor(spacing.y), factor(spacing.z))
    }
}
