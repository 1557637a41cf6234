import CHepatix
import Foundation
import Hepatix

/// `hx_model`: the loaded model and C copies of its value names.
final class ModelBox {
    let model: ONNXModel
    let names: [[UnsafeMutablePointer<CChar>]]   // [inputs, outputs]
    init(_ model: ONNXModel) {
        self.model = model
        names = [model.inputs.map { strdup($0.name)! }, model.outputs.map { strdup($0.name)! }]
    }
    deinit { names.joined().forEach { free($0) } }
}

/// `hx_inference_plan`: the plan and a lock serialising concurrent runs.
final class InferencePlanBox {
    let plan: InferencePlan
    let lock = NSLock()
    init(_ plan: InferencePlan) { self.plan = plan }
}

/// Maps a load failure to a status: unsupported content vs. a malformed file.
func loadStatus(_ error: InferenceError) -> BoundaryError {
    let text = error.description
    let unsupported = text.contains("unsupported") || text.contains("is not supported")
    return BoundaryError(unsupported ? HX_ERR_UNSUPPORTED : HX_ERR_INVALID_ARGUMENT, text)
}

@c @implementation
public func hx_model_load_file(_ ctx: OpaquePointer?, _ path: UnsafePointer<CChar>?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in
        let target = try required(out, "out")
        let location = try existingPath(path)
        do { target.pointee = makeHandle(ModelBox(try ONNXModel(contentsOf: location))) } catch let e as InferenceError { throw loadStatus(e) }
    }
}

@c @implementation
public func hx_model_load_memory(_ ctx: OpaquePointer?, _ data: UnsafeRawPointer?, _ size: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in
        let target = try required(out, "out")
        let bytes = try required(data, "data")
        guard size > 0 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "size must be positive") }
        do {
            target.pointee = makeHandle(ModelBox(try ONNXModel(serialized: Data(bytes: bytes, count: size), baseDirectory: nil)))
        } catch let e as InferenceError { throw loadStatus(e) }
    }
}

@c @implementation
public func hx_model_input_count(_ model: OpaquePointer?) -> Int { model.map { object($0, as: ModelBox.self).model.inputs.count } ?? 0 }

@c @implementation
public func hx_model_output_count(_ model: OpaquePointer?) -> Int { model.map { object($0, as: ModelBox.self).model.outputs.count } ?? 0 }

@c @implementation
public func hx_model_value_info(_ ctx: OpaquePointer?, _ model: OpaquePointer?, _ isOutput: Int32, _ index: Int,
                                _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?, _ dims: UnsafeMutablePointer<Int64>?,
                                _ capacity: Int, _ rank: UnsafeMutablePointer<Int>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(model, "model"), as: ModelBox.self)
        let values = isOutput != 0 ? box.model.outputs : box.model.inputs
        guard index >= 0, index < values.count else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "index \(index) is not below the \(values.count) \(isOutput != 0 ? "outputs" : "inputs")")
        }
        name?.pointee = UnsafePointer(box.names[isOutput != 0 ? 1 : 0][index])
        let shape = values[index].shape ?? []
        rank?.pointee = shape.count
        if let dims { for (i, d) in shape.prefix(max(0, capacity)).enumerated() { dims[i] = Int64(d ?? -1) } }
    }
}

@c @implementation
public func hx_model_destroy(_ model: OpaquePointer?) { releaseHandle(model, as: ModelBox.self) }

@c @implementation
public func hx_model_plan_create(_ ctx: OpaquePointer?, _ model: OpaquePointer?, _ threads: Int32, _ precision: hx_precision,
                                 _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { box in
        let target = try required(out, "out")
        let m = object(try required(model, "model"), as: ModelBox.self).model
        guard threads >= 0, threads <= 1024 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "threads must be 0...1024, got \(threads)") }
        let chosen: InferencePlan.Precision
        switch precision {
        case HX_PRECISION_FP32: chosen = .fp32
        case HX_PRECISION_FP32_WINOGRAD: chosen = .winograd
        case HX_PRECISION_BF16:
            guard DirectConvolution.bfloat16Available else { throw BoundaryError(HX_ERR_UNSUPPORTED, "bf16 inference needs a CPU with AVX512_BF16") }
            chosen = .bf16
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown precision \(precision.rawValue)")
        }
        do {
            target.pointee = makeHandle(InferencePlanBox(try InferencePlan(m, threads: Int(threads == 0 ? box.threads : threads), precision: chosen)))
        } catch let e as InferenceError { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, e.description) }
    }
}

/// The single input tensor of a C call (shape checked, NaN refused) for a single-input, single-output model.
func inferenceInput(_ model: ONNXModel, _ input: UnsafePointer<Float>?, _ dims: UnsafePointer<Int64>?, _ rank: Int) throws -> Tensor {
    let (source, shapePointer) = (try required(input, "input"), try required(dims, "dims"))
    guard model.inputs.count == 1, model.outputs.count == 1 else {
        throw BoundaryError(HX_ERR_UNSUPPORTED, "the C ABI runs single-input, single-output models (this one has \(model.inputs.count) and \(model.outputs.count))")
    }
    guard (1...8).contains(rank) else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "rank must be 1...8, got \(rank)") }
    let shape = try (0..<rank).map { try count(shapePointer[$0], "dims[\($0)]", min: 1, max: 1 << 30) }
    var total = 1
    for d in shape {
        let (p, overflow) = total.multipliedReportingOverflow(by: d)
        guard !overflow, p <= 1 << 31 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "input of \(shape) is too large") }
        total = p
    }
    let values = Array(UnsafeBufferPointer(start: source, count: total))
    guard values.allSatisfy(\.isFinite) else { throw BoundaryError(HX_ERR_NON_FINITE_DATA, "input holds NaN or infinity") }
    return try Tensor(shape: shape, floats: values)
}

/// Copies a float result into the caller's buffer, reporting the needed count first.
func writeOutput(_ result: Tensor, _ output: UnsafeMutablePointer<Float>?, _ capacity: Int, _ outputCount: UnsafeMutablePointer<Int>?,
                 _ outputDims: UnsafeMutablePointer<Int64>?, _ outputRank: UnsafeMutablePointer<Int>?) throws {
    guard result.elementType == .float32 else { throw BoundaryError(HX_ERR_UNSUPPORTED, "the output is \(result.elementType), not float") }
    outputCount?.pointee = result.count
    guard capacity >= result.count, let target = output else {
        throw BoundaryError(HX_ERR_SIZE_MISMATCH, "the output needs \(result.count) floats, the buffer holds \(capacity)")
    }
    result.floats.withUnsafeBufferPointer { target.update(from: $0.baseAddress!, count: result.count) }
    outputRank?.pointee = result.shape.count
    if let outputDims { for (i, d) in result.shape.prefix(8).enumerated() { outputDims[i] = Int64(d) } }
}

@c @implementation
public func hx_inference_plan_run(_ ctx: OpaquePointer?, _ plan: OpaquePointer?, _ input: UnsafePointer<Float>?, _ dims: UnsafePointer<Int64>?,
                                  _ rank: Int, _ output: UnsafeMutablePointer<Float>?, _ capacity: Int, _ outputCount: UnsafeMutablePointer<Int>?,
                                  _ outputDims: UnsafeMutablePointer<Int64>?, _ outputRank: UnsafeMutablePointer<Int>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(plan, "plan"), as: InferencePlanBox.self)
        let model = box.plan.model
        let x = try inferenceInput(model, input, dims, rank)
        box.lock.lock()
        defer { box.lock.unlock() }
        let result: Tensor
        do { result = try box.plan.run([model.inputs[0].name: x])[model.outputs[0].name]! } catch let e as InferenceError {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, e.description)
        }
        try writeOutput(result, output, capacity, outputCount, outputDims, outputRank)
    }
}

@c @implementation
public func hx_inference_plan_run_windows(_ ctx: OpaquePointer?, _ plan: OpaquePointer?, _ input: UnsafePointer<Float>?,
                                          _ dims: UnsafePointer<Int64>?, _ rank: Int, _ patch: UnsafePointer<Int64>?, _ overlap: Double,
                                          _ progress: hx_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                          _ output: UnsafeMutablePointer<Float>?, _ capacity: Int, _ outputCount: UnsafeMutablePointer<Int>?,
                                          _ outputDims: UnsafeMutablePointer<Int64>?, _ outputRank: UnsafeMutablePointer<Int>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(plan, "plan"), as: InferencePlanBox.self)
        let model = box.plan.model
        let x = try inferenceInput(model, input, dims, rank)
        guard rank >= 3 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "sliding windows need N, C and spatial axes") }
        let patchPointer = try required(patch, "patch")
        let patchSize = try (0..<(rank - 2)).map { try count(patchPointer[$0], "patch[\($0)]", min: 1, max: 1 << 20) }
        guard overlap.isFinite, overlap >= 0, overlap < 1 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "overlap must be in [0, 1), got \(overlap)") }
        box.lock.lock()
        defer { box.lock.unlock() }
        var cancelled = false
        let result: Tensor
        do {
            let windows = try SlidingWindowInference(plan: box.plan, patch: patchSize, overlap: overlap)
            result = try windows.run(x) { done, total in
                guard let progress else { return true }
                cancelled = progress(Double(done) / Double(total), userData) != 0
                return !cancelled
            }
        } catch let e as InferenceError {
            throw BoundaryError(cancelled ? HX_ERR_CANCELLED : HX_ERR_INVALID_ARGUMENT, e.description)
        }
        try writeOutput(result, output, capacity, outputCount, outputDims, outputRank)
    }
}

@c @implementation
public func hx_inference_plan_destroy(_ plan: OpaquePointer?) { releaseHandle(plan, as: InferencePlanBox.self) }
