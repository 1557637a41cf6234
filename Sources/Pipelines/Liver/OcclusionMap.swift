/// Occlusion sensitivity of a slice network's decision on (part of) one axial slice: the network's probability per
/// pixel, and per pixel the fall of the decision's measure when the `patch` x `patch` square holding it is covered, as
/// a fraction of the uncovered measure (positive where the image carries the evidence the decision rests on). Made by
/// `CNNLiverSegmenter.occlusion` and `CNNLesionSegmenter.evidence`; drawn by `LiverReportImages.occlusionPicture`.
public struct OcclusionMap: Sendable {
    /// The slice (HU) on the network's grid, one voxel deep.
    public let image: PatientVolume
    /// The network's foreground probability and the occlusion sensitivity per pixel of `image`.
    public let probability: [Float], sensitivity: [Float]
    /// Edge of the covered squares, pixels.
    public let patch: Int
}
