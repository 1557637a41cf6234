import Foundation

extension LiverAnalyzer.Output {
    /// Writes the registered phases and the label maps as NIfTI (RAS affine) into `folder`:
    /// `phase-<slug>.nii.gz`, `liver.nii.gz`, `couinaud.nii.gz` (segments 1-8), `lesions.nii.gz` (numbers).
    public func writeNIfTI(to folder: String) throws {
        let portal = phases[.portalVenous]!
        func label<T: BinaryInteger>(_ values: [T], _ name: String) throws {
            let v = try PatientVolume(nx: portal.nx, ny: portal.ny, nz: portal.nz, spacing: portal.spacing, origin: portal.origin,
                                      axisI: portal.axisI, axisJ: portal.axisJ, axisK: portal.axisK, voxels: values.map { Float($0) })
            try v.nifti().write(folder + "/" + name + ".nii.gz")
        }
        for (phase, volume) in phases.sorted(by: { $0.key.index < $1.key.index }) {
            var rounded = volume
            rounded.voxels = volume.voxels.map { $0.rounded() }
            try rounded.nifti().write(folder + "/phase-\(phase.slug).nii.gz")
        }
        try label(liver.map { $0 ? 1 : 0 }, "liver")
        try label(couinaud, "couinaud")
        try label(lesionNumber, "lesions")
    }
}
