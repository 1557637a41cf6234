import Foundation

/// Patch-wise inference for volumes larger than a network's input, as nnU-Net and MONAI do: windows of the
/// patch size overlap by `overlap` along every spatial axis (evenly spaced so the first and last touch the
/// volume's edges), each window's output is weighted by a Gaussian importance map (σ = patch × `sigmaScale`,
/// peak 1, floored at its smallest positive value), and the weighted outputs are averaged. Memory holds one
/// patch, the output and its weight sum, whatever the volume size.
public struct SlidingWindowInference {
    public let plan: InferencePlan
    /// Spatial patch size ([depth,] height, width).
    public let patch: [Int]
    public let overlap: Double
    public let sigmaScale: Double

    /// - Throws: `InferenceError` for an empty patch or an overlap outside [0, 1).
    public init(plan: InferencePlan, patch: [Int], overlap: Double = 0.5, sigmaScale: Double = 0.125) throws {
        guard !patch.isEmpty, patch.allSatisfy({ $0 > 0 }) else { throw InferenceError("patch \(patch) must be positive") }
        guard overlap >= 0, overlap < 1, sigmaScale > 0 else { throw InferenceError("overlap must be in [0, 1) and sigma positive") }
        (self.plan, self.patch, self.overlap, self.sigmaScale) = (plan, patch, overlap, sigmaScale)
    }

    /// Window start positions along an axis of `size` for patches of `length` (nnU-Net's rule).
    static func starts(size: Int, length: Int, overlap: Double) -> [Int] {
        guard size > length else { return [0] }
        let step = max(1, Int((Double(length) * (1 - overlap)).rounded(.down)))
        let count = Int((Double(size - length) / Double(step)).rounded(.up)) + 1
        return (0..<count).map { count == 1 ? 0 : Int((Double($0) * Double(size - length) / Double(count - 1)).rounded()) }
    }

    /// The Gaussian importance map of the patch (row-major over its spatial axes).
    func importance() -> [Float] {
        let profiles = patch.map { length -> [Double] in
            let centre = Double(length - 1) / 2, sigma = Double(length) * sigmaScale
            return (0..<length).map { exp(-pow(Double($0) - centre, 2) / (2 * sigma * sigma)) }
        }
        var map = [Double](repeating: 1, count: patch.reduce(1, *))
        forEachIndex(patch) { index, flat in for (a, i) in index.enumerated() { map[flat] *= profiles[a][i] } }
        let peak = map.max() ?? 1, floor = map.filter { $0 > 0 }.min() ?? 1
        return map.map { Float(max($0, floor) / peak) }
    }

    /// Runs the plan over `input` ([1, C, spatial...], the model's single input and output). `progress(done,
    /// total)` runs after each window and may return false to cancel (then `InferenceError("cancelled")`).
    public func run(_ input: Tensor, progress: ((Int, Int) -> Bool)? = nil) throws -> Tensor {
        let model = plan.model
        guard model.inputs.count == 1, model.outputs.count == 1 else { throw InferenceError("sliding windows need one input and one output") }
        guard input.elementType == .float32, input.shape.count == patch.count + 2, input.shape[0] == 1 else {
            throw InferenceError("input \(input.shape) is not a batch-1 image with \(patch.count) spatial axes")
        }
        let channels = input.shape[1], size = Array(input.shape[2...])
        for a in size.indices where size[a] < patch[a] {
            throw InferenceError("the volume (\(size)) is smaller than the patch (\(patch)) along axis \(a)")
        }
        let windows = size.indices.map { Self.starts(size: size[$0], length: patch[$0], overlap: overlap) }
        let weights = importance()
        let volumeStrides = strides(of: size), patchVoxels = patch.reduce(1, *), voxels = size.reduce(1, *)
        var sum: [Float] = [], weightSum = [Float](repeating: 0, count: voxels), outChannels = 0
        var patchValues = [Float](repeating: 0, count: channels * patchVoxels), offsets = [Int](repeating: 0, count: patchVoxels)
        let origins = windows.reduce([[Int]]([[]])) { partial, axis in partial.flatMap { prefix in axis.map { prefix + [$0] } } }
        for (done, origin) in origins.enumerated() {
            // Voxel offset in the volume of every patch voxel.
            forEachIndex(patch) { index, flat in offsets[flat] = zip(index, origin).enumerated().reduce(0) { $0 + ($1.element.0 + $1.element.1) * volumeStrides[$1.offset] } }
            for c in 0..<channels { for p in 0..<patchVoxels { patchValues[c * patchVoxels + p] = input.floats[c * voxels + offsets[p]] } }
            let y = try plan.run([model.inputs[0].name: try Tensor(shape: [1, channels] + patch, floats: patchValues)])[model.outputs[0].name]!
            guard y.elementType == .float32, y.shape.count == patch.count + 2, Array(y.shape[2...]) == patch else {
                throw InferenceError("the model's output \(y.shape) does not keep the patch's spatial size \(patch)")
            }
            if sum.isEmpty { outChannels = y.shape[1]; sum = [Float](repeating: 0, count: outChannels * voxels) }
            for p in 0..<patchVoxels {
                let w = weights[p], v = offsets[p]
                weightSum[v] += w
                for c in 0..<outChannels { sum[c * voxels + v] += w * y.floats[c * patchVoxels + p] }
            }
            if let progress, !progress(done + 1, origins.count) { throw InferenceError("cancelled after \(done + 1) of \(origins.count) windows") }
        }
        for c in 0..<outChannels { for v in 0..<voxels { sum[c * voxels + v] /= weightSum[v] } }
        return try Tensor(shape: [1, outChannels] + size, floats: sum)
    }
}
