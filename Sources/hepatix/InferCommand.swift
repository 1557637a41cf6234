import Foundation
import Hepatix

/// `hepatix infer --model M.onnx --input X.f32 --shape 1,1,512,512 --out Y.f32 [--engine fast|reference]
/// [--precision fp32|winograd|bf16]
/// [--patch D,H,W [--overlap 0.5]] [--threads N] [--repeat K]`: runs an ONNX model on a raw float32 input (one
/// graph input, first graph output written; with --patch, in Gaussian-weighted sliding windows) and prints
/// the timings as JSON.
enum InferCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--model", "--input", "--shape", "--out", "--engine", "--threads", "--repeat", "--patch", "--overlap", "--precision"])
        let model = try ONNXModel(contentsOf: try a.required("--model"))
        let shape = try a.required("--shape").split(separator: ",").map { part -> Int in
            guard let v = Int(part), v > 0 else { throw CLIError("--shape expects positive integers, e.g. 1,1,512,512") }
            return v
        }
        let values = try RawFloatFile.read(try a.required("--input"), count: shape.reduce(1, *))
        guard let input = model.inputs.first, model.inputs.count == 1 else { throw CLIError("the model must have exactly one input") }
        let feeds = [input.name: try Tensor(shape: shape, floats: values)]
        let threads = try a.int("--threads", default: 0), repeats = max(1, try a.int("--repeat", default: 1))
        let engine = a["--engine"] ?? "fast"
        var times: [Double] = []
        var outputs: [String: Tensor] = [:]
        let precisionName = a["--precision"] ?? "fp32"
        guard let precision = InferencePlan.Precision(rawValue: precisionName) else {
            throw CLIError("--precision expects one of \(InferencePlan.Precision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let plan = engine == "fast" ? try InferencePlan(model, threads: threads, precision: precision) : nil
        let windows = try a["--patch"].map { text -> SlidingWindowInference in
            guard let plan else { throw CLIError("--patch needs the fast engine") }
            let patch = text.split(separator: ",").compactMap { Int($0) }
            guard let overlap = Double(a["--overlap"] ?? "0.5") else { throw CLIError("--overlap expects a number") }
            return try SlidingWindowInference(plan: plan, patch: patch, overlap: overlap)
        }
        for _ in 0..<repeats {
            let start = Date()
            if let windows, let name = model.outputs.first?.name {
                outputs = [name: try windows.run(feeds[input.name]!)]
            } else {
                outputs = try plan.map { try $0.run(feeds) } ?? ReferenceInterpreter(model).run(feeds)
            }
            times.append(Date().timeIntervalSince(start))
        }
        guard let name = model.outputs.first?.name, let output = outputs[name] else { throw CLIError("no output computed") }
        try RawFloatFile.write(output.floats, to: try a.required("--out"))
        let sorted = times.sorted()
        print("{\"engine\": \"\(engine)\", \"precision\": \"\(precision.rawValue)\", \"threads\": \(threads), \"output_shape\": \(output.shape), \"median_s\": \(sorted[sorted.count / 2]), \"times_s\": \(times)}")
    }
}
