import Foundation

/// The CNN path of liver segmentation: a 2.5D network run by the inference engine on every axial slice of the portal
/// venous phase, giving liver and background logits; the liver is the largest connected region of voxels whose liver
/// probability exceeds one half, with its axial holes filled. The volume is first resampled onto the network's
/// training grid (`trainingSpacingMM`, axes along the patient's LPS axes) so that a study of another spacing or
/// orientation looks like what the network learnt from; the probabilities come back onto the study's grid.
/// The shipped model (`Models/ct-liver-seg-2.5d.onnx`, trained by `tools/segment/train_liver_segmenter.py` on
/// phantom studies) is described in `Models/README.md`.
public struct CNNLiverSegmenter: Sendable {
    /// File name of the shipped model in the models folder.
    public static let shippedModelName = "ct-liver-seg-2.5d.onnx"
    /// Voxel spacing (mm) of the studies the shipped network was trained on.
    public static let trainingSpacingMM = SIMD3<Double>(1.5, 1.5, 2.5)
    /// Input H and W must be multiples of this (the network pools three times).
    public static let sizeMultiple = 8

    /// The network: one input [1, 3, H, W] (slices z-1, z, z+1 in HU), one output [1, 2, H, W] (background and
    /// liver logits of slice z).
    public let model: ONNXModel
    /// Worker threads (0: one per core); the result does not depend on it.
    public var threads = 0

    /// Wraps `model` after checking its interface.
    /// - Throws: `InferenceError` when the model does not take three slices and give two channels.
    public init(model: ONNXModel) throws {
        try SliceNetwork.checkInterface(of: model, outputChannels: 2, role: "liver segmenter")
        self.model = model
    }

    /// Loads the network at `path`, or the shipped one (see `ShippedModels`) when `path` is nil.
    /// - Throws: `InferenceError` for a missing, malformed or unsuitable model.
    public init(path: String? = nil) throws {
        try self.init(model: try ONNXModel(contentsOf: try path ?? ShippedModels.path(of: Self.shippedModelName)))
    }

    /// The liver mask of `volume` (portal venous phase, HU) on its own grid.
    /// - Throws: `InferenceError` when the volume holds non-finite values or the network fails; `LiverAnalysisError`
    ///   when it finds no liver.
    public func segment(_ volume: PatientVolume) throws -> [Bool] {
        let onStudy = try Self.foregroundProbability(model, of: [volume], threads: threads)
        let grid = try volume.voxelGrid()
        let components = ConnectedComponents(onStudy.map { $0 > 0.5 }, grid: grid)
        guard let largest = components.largest else { throw LiverAnalysisError("the liver network found no liver") }
        return BinaryMorphology.fillHolesPerSlice(components.mask(of: largest), grid: grid)
    }

    /// Occlusion sensitivity of the network's liver decision on one axial slice (the occlusion method of Zeiler and
    /// Fergus): the input is covered `patch` x `patch` pixels at a time (in all three input slices, with fat of
    /// `occluderHU`) and every pixel of a patch gets the fall of the liver probability summed over the slice, as a
    /// fraction of the uncovered sum: positive where the image carries the evidence the network's decision rests on.
    public typealias Occlusion = OcclusionMap

    /// Fat put over the occluded patch, HU: no phase of the liver looks like it (soft tissue of 40 HU would pass
    /// for unenhanced liver, which the network was trained on too).
    public static let occluderHU: Float = -100

    /// The occlusion map of the study slice `k` of `volume`.
    /// - Throws: `InferenceError` when `k` is outside the volume, it holds non-finite values or the network fails.
    public func occlusion(_ volume: PatientVolume, slice k: Int, patch: Int = 24) throws -> Occlusion {
        guard (0..<volume.nz).contains(k), patch > 0 else { throw InferenceError("slice \(k) is outside the volume (0..<\(volume.nz))") }
        guard volume.voxels.allSatisfy({ $0.isFinite }) else { throw InferenceError("the volume holds NaN or infinite values") }
        let (input, _) = try Self.onTrainingGrid(volume, threads: threads)
        let z = volume.position(i: Double(volume.nx - 1) / 2, j: Double(volume.ny - 1) / 2, k: Double(k)).z
        let slice = min(input.nz - 1, max(0, Int(((z - input.origin.z) / input.spacing.z).rounded())))
        let network = SliceNetwork(model: model, outputChannels: 2, multiple: Self.sizeMultiple)
        let plan = try InferencePlan(model, threads: threads)
        let layout = SliceNetwork.Layout(input, multiple: Self.sizeMultiple)
        let given = layout.input(input, slice: slice)
        let plane = layout.width * layout.height
        func total(_ p: [Float]) -> Double {
            var sum = 0.0
            for row in 0..<layout.box.y.count { for i in 0..<layout.box.x.count { sum += Double(p[row * layout.width + i]) } }
            return sum
        }
        let base = Self.foreground(try network.evaluate(plan, given, layout, slice: slice), plane: plane)
        let baseTotal = max(total(base), 1)
        var sensitivity = [Float](repeating: 0, count: input.nx * input.ny), probability = sensitivity
        for row in 0..<layout.box.y.count { for i in 0..<layout.box.x.count {
            probability[(layout.box.y.lowerBound + row) * input.nx + layout.box.x.lowerBound + i] = base[row * layout.width + i]
        } }
        for y0 in stride(from: 0, to: layout.box.y.count, by: patch) {
            for x0 in stride(from: 0, to: layout.box.x.count, by: patch) {
                let rows = y0..<min(y0 + patch, layout.box.y.count), columns = x0..<min(x0 + patch, layout.box.x.count)
                var covered = given
                for c in 0..<3 { for row in rows { for i in columns { covered[c * plane + row * layout.width + i] = Self.occluderHU } } }
                let fall = Float((baseTotal - total(Self.foreground(try network.evaluate(plan, covered, layout, slice: slice), plane: plane))) / baseTotal)
                for row in rows { for i in columns { sensitivity[(layout.box.y.lowerBound + row) * input.nx + layout.box.x.lowerBound + i] = fall } }
            }
        }
        let plane0 = slice * input.nx * input.ny
        let image = try PatientVolume(nx: input.nx, ny: input.ny, nz: 1, spacing: input.spacing,
                                      origin: input.position(i: 0, j: 0, k: Double(slice)), axisI: input.axisI, axisJ: input.axisJ,
                                      axisK: input.axisK, voxels: Array(input.voxels[plane0..<plane0 + input.nx * input.ny]))
        return Occlusion(image: image, probability: probability, sensitivity: sensitivity, patch: patch)
    }

    /// The foreground probability (logistic of the second logit minus the first) of each pixel of a two-class slice
    /// network's output [2, plane].
    static func foreground(_ output: [Float], plane: Int) -> [Float] { (0..<plane).map { 1 / (1 + exp(-(output[plane + $0] - output[$0]))) } }

    /// The foreground probability (logistic of the second logit minus the first) that `model`, a two-class slice
    /// network trained on the training grid, gives every voxel of `volumes` (on one grid, read together): they are
    /// resampled onto the training grid, run slice by slice, and the probability comes back onto their own grid
    /// (0 where the training grid does not reach). Shared by the liver and lesion segmenters.
    /// - Throws: `InferenceError` when the volumes differ in size, hold non-finite values or the network fails.
    static func foregroundProbability(_ model: ONNXModel, of volumes: [PatientVolume], threads: Int) throws -> [Float] {
        guard let study = volumes.first else { throw InferenceError("no volume to run the network on") }
        let inputs = try volumes.map { try onTrainingGrid($0, threads: threads) }
        let input = inputs[0].0
        var probability = [Float](repeating: 0, count: input.voxels.count)
        let (nx, plane) = (input.nx, input.nx * input.ny)
        try SliceNetwork(model: model, outputChannels: 2, multiple: sizeMultiple).run(inputs.map(\.0), threads: threads, progress: nil) { s in
            let channel = s.width * s.height
            for (row, j) in s.box.y.enumerated() {
                let to = s.k * plane + j * nx + s.box.x.lowerBound
                for i in 0..<s.box.x.count {
                    let margin = s.output[channel + row * s.width + i] - s.output[row * s.width + i]
                    probability[to + i] = 1 / (1 + exp(-margin))
                }
            }
        }
        guard !inputs[0].same else { return probability }
        return try PatientVolume(nx: input.nx, ny: input.ny, nz: input.nz, spacing: input.spacing, origin: input.origin,
                                 axisI: input.axisI, axisJ: input.axisJ, axisK: input.axisK, voxels: probability)
            .resampled(onto: study, outside: 0, threads: threads).voxels
    }

    /// `volume` on the network's training grid, and whether that is its own grid (then it is returned as is).
    /// The lesion segmenter was trained on the same grid.
    static func onTrainingGrid(_ volume: PatientVolume, threads: Int) throws -> (PatientVolume, same: Bool) {
        let standard = try Self.trainingGrid(covering: volume)
        let same = standard.nx == volume.nx && standard.ny == volume.ny && standard.nz == volume.nz
            && standard.axisI == volume.axisI && standard.axisJ == volume.axisJ && standard.axisK == volume.axisK
            && ((standard.origin - volume.origin) * (standard.origin - volume.origin)).sum() < 1e-12 && standard.spacing == volume.spacing
        return (same ? volume : try volume.resampled(onto: standard, threads: threads), same)
    }

    /// A grid of `trainingSpacingMM` along the patient's axes covering every voxel centre of `volume`, starting at
    /// the lowest corner (the volume's own grid when it already is such a grid).
    static func trainingGrid(covering volume: PatientVolume) throws -> PatientVolume {
        var low = SIMD3<Double>(repeating: .infinity), high = -low
        for corner in 0..<8 {
            let p = volume.position(i: Double(corner & 1 == 0 ? 0 : volume.nx - 1), j: Double(corner & 2 == 0 ? 0 : volume.ny - 1),
                                    k: Double(corner & 4 == 0 ? 0 : volume.nz - 1))
            (low, high) = (pointwiseMin(low, p), pointwiseMax(high, p))
        }
        let counts = ((high - low) / trainingSpacingMM + 1e-6).rounded(.down)
        let (nx, ny, nz) = (Int(counts.x) + 1, Int(counts.y) + 1, Int(counts.z) + 1)
        return try PatientVolume(nx: nx, ny: ny, nz: nz, spacing: trainingSpacingMM, origin: low,
                                 axisI: SIMD3(1, 0, 0), axisJ: SIMD3(0, 1, 0), axisK: SIMD3(0, 0, 1),
                                 voxels: [Float](repeating: 0, count: nx * ny * nz))
    }
}
