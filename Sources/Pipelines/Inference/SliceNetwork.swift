/// Runs a 2.5D network over every axial slice of a volume (or of several volumes on one grid, e.g. registered
/// contrast phases): the slice and its two neighbours (edges repeated) of each volume in HU as input
/// [1, 3 x volumes, H, W], restricted to the in-plane box holding the patient in the first volume (voxels above
/// `bodyThresholdHU`, widened by `margin`) and padded with air up to multiples of `multiple` (networks that pool
/// need them). Shared by the denoiser and the CNN liver and lesion segmenters.
struct SliceNetwork {
    let model: ONNXModel
    /// Channels of the network's output [1, C, H, W].
    let outputChannels: Int
    /// H and W are padded up to multiples of this.
    var multiple = 1

    /// Attenuation above which a voxel belongs to the patient (or table), HU; also what padding holds is air.
    static let bodyThresholdHU: Float = -500
    static let airHU: Float = -1000
    /// Voxels added around the patient's box: more than the receptive field of a 7-layer 3 x 3 network.
    static let margin = 16

    /// One slice's result: slice `k`, the image box it covers, the padded width and height of the network's
    /// tensors, the input [3 x volumes, H, W] (channel 1 is slice k of the first volume) and the output [C, H, W].
    struct Slice {
        let k: Int
        let box: (x: Range<Int>, y: Range<Int>)
        let width: Int, height: Int
        let input: [Float], output: [Float]
    }

    /// Checks that `model` has the interface of a 2.5D slice network: one input [1, `inputChannels`, H, W], one
    /// output [1, `outputChannels`, H, W] (unknown dimensions pass). `role` names the network in messages.
    /// - Throws: `InferenceError` naming the value whose shape differs.
    static func checkInterface(of model: ONNXModel, inputChannels: Int = 3, outputChannels: Int, role: String) throws {
        guard model.inputs.count == 1, model.outputs.count == 1 else {
            throw InferenceError("a \(role) has one input and one output, this model has \(model.inputs.count) and \(model.outputs.count)")
        }
        for (value, channels) in [(model.inputs[0], inputChannels), (model.outputs[0], outputChannels)] {
            if let shape = value.shape, shape.count != 4 || (shape[1] != nil && shape[1] != channels) {
                throw InferenceError("\(role) value '\(value.name)' has shape \(shape.map { $0.map(String.init) ?? "?" }), expected [1, \(channels), H, W]")
            }
        }
    }

    /// Calls `take` with every slice's network output, in order. `progress(done, total)` runs after each slice and
    /// may return false to cancel.
    /// - Throws: `InferenceError` when the volume holds non-finite values, the network fails or gives an output of
    ///   another shape or non-finite values, or `progress` cancels; whatever `take` throws.
    func run(_ volume: PatientVolume, threads: Int, progress: ((Int, Int) -> Bool)?, _ take: (Slice) throws -> Void) throws {
        try run([volume], threads: threads, progress: progress, take)
    }

    /// As `run(_:threads:progress:_:)` over several volumes on the first one's grid, read together.
    /// - Throws: also `InferenceError` when the volumes are not all of the first one's size.
    func run(_ volumes: [PatientVolume], threads: Int, progress: ((Int, Int) -> Bool)?, _ take: (Slice) throws -> Void) throws {
        guard let volume = volumes.first else { throw InferenceError("no volume to run the network on") }
        guard volumes.allSatisfy({ $0.nx == volume.nx && $0.ny == volume.ny && $0.nz == volume.nz }) else {
            throw InferenceError("the network's input volumes differ in size")
        }
        guard volumes.allSatisfy({ $0.voxels.allSatisfy { $0.isFinite } }) else { throw InferenceError("the volume holds NaN or infinite values") }
        let plan = try InferencePlan(model, threads: threads)
        let layout = Layout(volume, multiple: multiple)
        for k in 0..<volume.nz {
            let input = layout.input(volumes, slice: k)
            try take(Slice(k: k, box: layout.box, width: layout.width, height: layout.height, input: input,
                           output: try evaluate(plan, input, layout, slice: k)))
            if let progress, !progress(k + 1, volume.nz) { throw InferenceError("cancelled") }
        }
    }

    /// Where a volume's slices sit in the network's tensors: the patient's box, padded to multiples of `multiple`.
    struct Layout {
        let box: (x: Range<Int>, y: Range<Int>)
        let width: Int, height: Int

        init(_ volume: PatientVolume, multiple: Int) {
            box = SliceNetwork.bodyBox(volume)
            (width, height) = ((box.x.count + multiple - 1) / multiple * multiple, (box.y.count + multiple - 1) / multiple * multiple)
        }

        /// The network input of slice `k`: [3, height, width], slices k-1, k, k+1 (edges repeated), air in the padding.
        func input(_ volume: PatientVolume, slice k: Int) -> [Float] { input([volume], slice: k) }

        /// The input of slice `k` of volumes on one grid: [3 x volumes, height, width], each volume's slices k-1, k, k+1.
        func input(_ volumes: [PatientVolume], slice k: Int) -> [Float] {
            var slices = [Float](repeating: SliceNetwork.airHU, count: 3 * volumes.count * width * height)
            for (v, volume) in volumes.enumerated() {
                let (nx, plane) = (volume.nx, volume.nx * volume.ny)
                for (c, z) in [max(k - 1, 0), k, min(k + 1, volume.nz - 1)].enumerated() {
                    for (row, j) in box.y.enumerated() {
                        let from = z * plane + j * nx + box.x.lowerBound, to = ((3 * v + c) * height + row) * width
                        slices.replaceSubrange(to..<to + box.x.count, with: volume.voxels[from..<from + box.x.count])
                    }
                }
            }
            return slices
        }
    }

    /// The network's output [C, height, width] for one input laid out by `layout`.
    /// - Throws: `InferenceError` when the network fails or gives an output of another shape or non-finite values.
    func evaluate(_ plan: InferencePlan, _ input: [Float], _ layout: Layout, slice k: Int) throws -> [Float] {
        let channels = input.count / (layout.height * layout.width)
        let result = try plan.run([model.inputs[0].name: try Tensor(shape: [1, channels, layout.height, layout.width], floats: input)])
        guard let output = result[model.outputs[0].name], output.shape == [1, outputChannels, layout.height, layout.width] else {
            throw InferenceError("the network's output is not \(outputChannels) x \(layout.height) x \(layout.width)")
        }
        guard output.floats.allSatisfy({ $0.isFinite }) else { throw InferenceError("the network gave non-finite values in slice \(k)") }
        return output.floats
    }

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
