import Foundation

/// Deep-learning denoising of reconstructed CT volumes (the "DLR denoise" step between reconstruction and
/// analysis): a 2.5D convolutional network run by the inference engine on every axial slice with its two
/// neighbours (edges repeated), HU in and HU out. The shipped model is `Models/ct-denoise-2.5d.onnx`, trained
/// by `tools/denoise/train_denoiser.py` on phantom studies at 25-100 % dose; its card is `Models/README.md`.
public struct CNNDenoiser: Sendable {
    /// File name of the shipped model in the models folder.
    public static let shippedModelName = "ct-denoise-2.5d.onnx"

    /// The network: one input [1, 3, H, W] (slices z-1, z, z+1 in HU), one output [1, 1, H, W] (slice z in HU).
    public let model: ONNXModel
    /// Where the model came from, for the record (`LiverAnalysisResult.denoiser`): the shipped model's file name, the
    /// path it was loaded from, or "in-memory model".
    public var modelName = "in-memory model"

    /// Fraction of the network's correction applied: the result is `input + strength * (network - input)`,
    /// so 1 is the network's own output and 0 leaves the images as they were. Like the strength levels of
    /// commercial deep-learning reconstruction, it trades noise for the fidelity of thin, low-contrast detail
    /// (lesion rims, capsules, nodular enhancement) that a network trained on squared error smooths.
    public var strength: Float = Self.defaultStrength
    /// The strength the liver pipeline uses unless told otherwise, chosen on validation phantoms (seeds 201-220,
    /// never the test seeds 1-20) as the one whose detection and LI-RADS figures at a third of the dose come
    /// closest to full dose: see `Models/README.md`.
    public static let defaultStrength: Float = 0.5

    /// Wraps `model` after checking its interface.
    /// - Throws: `InferenceError` when the model does not take three slices and give one, or `strength` is outside [0, 1].
    public init(model: ONNXModel, strength: Float = Self.defaultStrength) throws {
        guard strength.isFinite, (0...1).contains(strength) else { throw InferenceError("the denoising strength must lie in [0, 1], not \(strength)") }
        self.strength = strength
        try SliceNetwork.checkInterface(of: model, outputChannels: 1, role: "denoiser")
        self.model = model
    }

    /// Loads the denoiser at `path`, or the shipped one (see `ShippedModels`) when `path` is nil, applied at `strength`.
    /// - Throws: `InferenceError` for a missing, malformed or unsuitable model.
    public init(path: String? = nil, strength: Float = Self.defaultStrength) throws {
        try self.init(model: try ONNXModel(contentsOf: try path ?? ShippedModels.path(of: Self.shippedModelName)), strength: strength)
        modelName = path ?? Self.shippedModelName
    }

    /// The denoised copy of `volume`, one slice at a time on `threads` workers (0: one per core). Only the
    /// in-plane box holding the patient (voxels above `bodyThresholdHU`, widened by `margin` so the network
    /// sees past its edge) is denoised; air outside it is left as it was. `progress(done, total)` runs after
    /// each slice and may return false to cancel.
    /// - Throws: `InferenceError` when the volume holds non-finite values, the network fails or gives
    ///   non-finite output, or `progress` cancels.
    public func denoise(_ volume: PatientVolume, threads: Int = 0, progress: ((Int, Int) -> Bool)? = nil) throws -> PatientVolume {
        var out = volume
        let plane = volume.nx * volume.ny
        try SliceNetwork(model: model, outputChannels: 1).run(volume, threads: threads, progress: progress) { s in
            let centre = s.width * s.height
            for (row, j) in s.box.y.enumerated() {
                let to = s.k * plane + j * volume.nx + s.box.x.lowerBound
                for i in 0..<s.box.x.count {
                    let given = s.input[centre + row * s.width + i]
                    out.voxels[to + i] = given + strength * (s.output[row * s.width + i] - given)
                }
            }
        }
        return out
    }

    /// Attenuation above which a voxel belongs to the patient (or table), HU.
    public static let bodyThresholdHU = SliceNetwork.bodyThresholdHU
    /// Voxels added around the patient's box: the network's receptive field (7 layers of 3 x 3: 7 voxels) and more.
    public static let margin = SliceNetwork.margin

    /// The in-plane box the denoiser works in (see `SliceNetwork.bodyBox`).
    static func bodyBox(_ volume: PatientVolume) -> (x: Range<Int>, y: Range<Int>) { SliceNetwork.bodyBox(volume) }
}
