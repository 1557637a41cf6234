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
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw InferenceError("a denoiser has one input and one output, this model has \(model.inputs.count) and \(model.outputs.count)")
        }
        for (value, channels) in [(model.inputs[0], 3), (model.outputs[0], 1)] {
            if let shape = value.shape, shape.count != 4 || (shape[1] != nil && shape[1] != channels) {
                throw InferenceError("denoiser value '\(value.name)' has shape \(shape.map { $0.map(String.init) ?? "?" }), expected [1, \(channels), H, W]")
            }
        }
        self.model = model
    }

    /// Loads the denoiser at `path`, or the shipped one (see `ShippedModels`) when `path` is nil, applied at `strength`.
    /// - Throws: `InferenceError` for a missing, malformed or unsuitable model.
    public init(path: String? = nil, strength: Float = Self.defaultStrength) throws {
        try self.init(model: try ONNXModel(contentsOf: try path ?? ShippedModels.path(of: Self.shippedModelName)), strength: strength)
    }

    /// The denoised copy of `volume`, one slice at a time on `threads` workers (0: one per core). Only the
    /// in-plane box holding the patient (voxels above `bodyThresholdHU`, widened by `margin` so the network
    /// sees past its edge) is denoised; air outside it is left as it was. `progress(done, total)` runs after
    /// each slice and may return false to cancel.
    /// - Throws: `InferenceError` when the volume holds non-finite values, the network fails or gives
    ///   non-finite output, or `progress` cancels.
    public func denoise(_ volume: PatientVolume, threads: Int = 0, progress: ((Int, Int) -> Bool)? = nil) throws -> PatientVolume {
        guard volume.voxels.allSatisfy({ $0.isFinite }) else { throw InferenceError("the volume to denoise holds NaN or infinite values") }
        let plan = try InferencePlan(model, threads: threads)
        let (nx, nz) = (volume.nx, volume.nz), plane = volume.nx * volume.ny
        let box = Self.bodyBox(volume)
        let (width, height) = (box.x.count, box.y.count)
        let inputName = model.inputs[0].name, outputName = model.outputs[0].name
        var out = volume
        var slices = [Float](repeating: 0, count: 3 * width * height)
        for k in 0..<nz {
            for (c, z) in [max(k - 1, 0), k, min(k + 1, nz - 1)].enumerated() {
                for (row, j) in box.y.enumerated() {
                    let from = z * plane + j * nx + box.x.lowerBound
                    slices.replaceSubrange((c * height + row) * width..<(c * height + row + 1) * width, with: volume.voxels[from..<from + width])
                }
            }
            let result = try plan.run([inputName: try Tensor(shape: [1, 3, height, width], floats: slices)])
            guard let denoised = result[outputName], denoised.shape == [1, 1, height, width] else {
                throw InferenceError("the denoiser's output is not one \(height) x \(width) slice")
            }
            guard denoised.floats.allSatisfy({ $0.isFinite }) else { throw InferenceError("the denoiser gave non-finite values in slice \(k)") }
            let centre = width * height
            for (row, j) in box.y.enumerated() {
                let to = k * plane + j * nx + box.x.lowerBound
                for i in 0..<width {
                    let given = slices[centre + row * width + i]
                    out.voxels[to + i] = given + strength * (denoised.floats[row * width + i] - given)
                }
            }
            if let progress, !progress(k + 1, nz) { throw InferenceError("cancelled") }
        }
        return out
    }

    /// Attenuation above which a voxel belongs to the patient (or table), HU.
    public static let bodyThresholdHU: Float = -500
    /// Voxels added around the patient's box: the network's receptive field (7 layers of 3 x 3: 7 voxels) and more.
    public static let margin = 16

    /// Column and row ranges of the in-plane box holding every voxel above `bodyThresholdHU` in any slice,
    /// widened by `margin` and clipped to the image (the whole image when nothing is above it).
    static func bodyBox(_ volume: PatientVolume) -> (x: Range<Int>, y: Range<Int>) {
        let (nx, ny) = (volume.nx, volume.ny)
        var (x0, x1, y0, y1) = (nx, -1, ny, -1)
        volume.voxels.withUnsafeBufferPointer { v in
            for n in 0..<v.count where v[n] > bodyThresholdHU {
                let i = n % nx, j = (n / nx) % ny
                (x0, x1, y0, y1) = (min(x0, i), max(x1, i), min(y0, j), max(y1, j))
            }
        }
        guard x1 >= 0 else { return (0..<nx, 0..<ny) }
        return (max(0, x0 - margin)..<min(nx, x1 + margin + 1), max(0, y0 - margin)..<min(ny, y1 + margin + 1))
    }
}
