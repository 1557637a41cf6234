import Foundation

extension PatientVolume {
    /// A label volume (`values`, one per voxel, as floats) on this volume's grid and orientation.
    /// - Throws: `GeometryError` when `values` does not fill the grid.
    public func labelVolume<T: BinaryInteger>(_ values: [T]) throws -> PatientVolume {
        try PatientVolume(nx: nx, ny: ny, nz: nz, spacing: spacing, origin: origin,
                          axisI: axisI, axisJ: axisJ, axisK: axisK, voxels: values.map { Float($0) })
    }
}

extension LiverAnalyzer.Output {
    /// Writes the registered phases and the label maps as NIfTI (RAS affine) into `folder`:
    /// `phase-<slug>.nii.gz`, `liver.nii.gz`, `couinaud.nii.gz` (segments 1-8), `lesions.nii.gz` (numbers).
    public func writeNIfTI(to folder: String) throws {
        let portal = phases[.portalVenous]!
        for (phase, volume) in phases.sorted(by: { $0.key.index < $1.key.index }) {
            var rounded = volume
            rounded.voxels = volume.voxels.map { $0.rounded() }
            try rounded.nifti().write(folder + "/phase-\(phase.slug).nii.gz")
        }
        try portal.labelVolume(liver.map { $0 ? 1 : 0 }).nifti().write(folder + "/liver.nii.gz")
        try portal.labelVolume(couinaud).nifti().write(folder + "/couinaud.nii.gz")
        try portal.labelVolume(lesionNumber).nifti().write(folder + "/lesions.nii.gz")
    }
}

extension AbdomenStudy {
    /// Writes the ground truth as NIfTI label maps on the portal venous grid into `folder`:
    /// `truth-tissue.nii.gz` (`PhantomTissue` codes), `truth-liver.nii.gz`, `truth-couinaud.nii.gz`, `truth-lesions.nii.gz`.
    public func writeTruthNIfTI(to folder: String) throws {
        let portal = study.portalVenous
        try portal.labelVolume(tissue).nifti().write(folder + "/truth-tissue.nii.gz")
        try portal.labelVolume(liver.map { $0 ? 1 : 0 }).nifti().write(folder + "/truth-liver.nii.gz")
        try portal.labelVolume(couinaud).nifti().write(folder + "/truth-couinaud.nii.gz")
        try portal.labelVolume(lesionNumber).nifti().write(folder + "/truth-lesions.nii.gz")
    }
}
