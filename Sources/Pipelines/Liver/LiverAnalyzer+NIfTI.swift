import Foundation
import Synchronization

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
    /// Files are converted and compressed `threads` at a time (0: one per core).
    public func writeNIfTI(to folder: String, threads: Int = 0) throws {
        let portal = phases[.portalVenous]!
        let ordered = phases.sorted { $0.key.index < $1.key.index }
        let labels: [[UInt8]] = [liver.map { $0 ? 1 : 0 }, couinaud, lesionNumber]
        let names = ordered.map { "phase-\($0.key.slug).nii.gz" } + ["liver.nii.gz", "couinaud.nii.gz", "lesions.nii.gz"]
        let failures = Mutex<[Int: any Error]>([:])
        WorkerPool(threads: threads).forEach(items: names.count) { _, n in
            do {
                var volume = n < ordered.count ? ordered[n].value : try portal.labelVolume(labels[n - ordered.count])
                if n < ordered.count { volume.voxels = volume.voxels.map { $0.rounded() } }
                try volume.nifti().write(folder + "/" + names[n])
            } catch { failures.withLock { $0[n] = error } }
        }
        // The first file's error, whatever order the workers met them in.
        if let error = failures.withLock({ $0.min { $0.key < $1.key }?.value }) { throw error }
    }
}

extension AbdomenStudy {
    /// Writes the ground truth as NIfTI label maps on the portal venous grid into `folder`:
    /// `truth-tissue.nii.gz` (`PhantomTissue` codes), `truth-liver.nii.gz`, `truth-couinaud.nii.gz`, `truth-lesions.nii.gz`
    /// (lesion numbers), and the lesion list `truth-lesions.json` (`TruthLesion` per number).
    public func writeTruthNIfTI(to folder: String) throws {
        let portal = study.portalVenous
        try portal.labelVolume(tissue).nifti().write(folder + "/truth-tissue.nii.gz")
        try portal.labelVolume(liver.map { $0 ? 1 : 0 }).nifti().write(folder + "/truth-liver.nii.gz")
        try portal.labelVolume(couinaud).nifti().write(folder + "/truth-couinaud.nii.gz")
        try portal.labelVolume(lesionNumber).nifti().write(folder + "/truth-lesions.nii.gz")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(anatomy.lesions.map(TruthLesion.init)).write(to: URL(fileURLWithPath: folder + "/truth-lesions.json"))
    }

    /// One phantom lesion as the truth list describes it: its number in `truth-lesions.nii.gz`, kind, axial long and
    /// short axes (mm), volume (mL), centre (LPS mm, portal venous frame) and LI-RADS category by design.
    public struct TruthLesion: Codable, Sendable {
        public let number: Int, kind: PhantomLesionKind
        public let longAxisMM: Double, shortAxisMM: Double, volumeML: Double
        public let centre: [Double]
        public let category: String

        /// The description of `lesion`.
        public init(_ lesion: PhantomLesion) {
            (number, kind, longAxisMM, shortAxisMM, volumeML) = (lesion.number, lesion.kind, lesion.longAxisMM, lesion.shortAxisMM, lesion.volumeML)
            centre = [lesion.centre.x, lesion.centre.y, lesion.centre.z]
            category = lesion.truthCategory.rawValue
        }
    }
}
