import Foundation
import HepatixKernels
import CKernels

/// An ONNX model compiled for fast execution: convolutions (2D/3D, group 1, explicit padding) with their
/// following BatchNormalization folded in and ReLU/LeakyReLU fused run as AVX-512 / AVX2 direct kernels on
/// channel-blocked activations, as do stride-sized ConvTranspose, MaxPool, channel Concat,
/// InstanceNormalization (+ activation) and channel Softmax; every other node runs through its reference operator on planar
/// tensors, with layout conversions where the two meet. Activation buffers are allocated on the first run and
/// reused afterwards. One plan serves one caller at a time.
public final class InferencePlan {
    /// One step of the compiled program.
    enum Step {
        case convolution(DirectConvolution, input: String, output: String, padEnd: [Int])
        case winograd(WinogradConvolution, input: String, output: String, padEnd: [Int])
        /// A single-input-channel convolution as tap expansion + 1x1 convolution (`original` gives the geometry).
        case expandedConvolution(original: DirectConvolution, TapExpansion, DirectConvolution, input: String, output: String, padEnd: [Int])
        case transposed(TransposedConvolution, input: String, output: String)
        case maxPool(window: [Int], input: String, output: String)
        case concat(inputs: [String], output: String)
        case instanceNorm(scale: [Float], bias: [Float], epsilon: Double, activation: Int, alpha: Float, input: String, output: String)
        /// Softmax over channels of a blocked value, written planar (the output of segmentation nets).
        case softmax(input: String, output: String)
        case reference(ONNXNode)
    }

    /// How convolutions compute.
    public enum Precision: String, Sendable, CaseIterable {
        /// float32 direct convolutions: the exact path (errors of float32 accumulation only).
        case fp32
        /// float32 with 3x3 stride-1 2D convolutions as Winograd F(4x4, 3x3) on AVX-512: faster, with a
        /// rounding error of about 1e-6 relative per layer (others stay direct).
        case winograd
        /// bfloat16 products with float32 accumulation (AVX512_BF16) for the direct and transposed
        /// convolutions fed by other layers: their inputs and weights rounded to bfloat16 (8 significant
        /// bits). The first layer (tap-expanded), 1-3 channel heads and every other operator stay float32.
        case bf16
    }

    public let model: ONNXModel
    /// The precision the plan was compiled for.
    public let precision: Precision
    let steps: [Step]
    let pool: WorkerPool
    /// Halo each blocked value needs (the largest padding of the fast convolutions reading it).
    let halos: [String: Int]
    /// Index of the last step reading each value (graph outputs: past the end), for releasing buffers.
    let lastUse: [String: Int]
    /// Blocked buffers not in use, by geometry: a value's buffer returns here after its last reader, so later
    /// values of the same geometry reuse it and runs after the first allocate nothing.
    private var freeBuffers: [BufferKey: [BlockedActivation]] = [:]
    /// Forms in which each produced value is written (float32 unless bf16 convolutions read it).
    let outputForms: [String: ActivationForms]
    /// Concatenations (by output) that copy their inputs' bfloat16 copies.
    let bf16Concats: Set<String>

    /// Geometry of a blocked buffer (channels, depth, height, width, halo, spatial rank).
    struct BufferKey: Hashable { let channels: Int, depth: Int, height: Int, width: Int, halo: Int, rank: Int, float32: Bool }

    /// Compiles `model` for `threads` workers (0: one per core) at `precision`. On a CPU without AVX2+FMA (or
    /// with HEPATIX_TIER=scalar) every node takes the reference path. `forceAVX2` runs the AVX2+FMA kernels on
    /// an AVX-512 CPU (to test that tier). `.winograd` without AVX-512 runs the exact direct kernels.
    /// - Throws: `InferenceError` when a node is malformed, or for `.bf16` on a CPU without AVX512_BF16.
    public init(_ model: ONNXModel, threads: Int = 0, forceAVX2: Bool = false, precision: Precision = .fp32) throws {
        (self.model, self.precision) = (model, precision)
        if precision == .bf16, !DirectConvolution.bfloat16Available || forceAVX2 {
            throw InferenceError("bf16 precision needs a CPU with AVX512_BF16 (and the AVX-512 tier)")
        }
        pool = WorkerPool(threads: threads)
        var consumers: [String: [Int]] = [:]
        for (index, node) in model.nodes.enumerated() { for input in node.inputs where !input.isEmpty { consumers[input, default: []].append(index) } }
        let graphOutputs = Set(model.outputs.map(\.name))
        var steps: [Step] = [], halos: [String: Int] = [:], absorbed = Set<Int>()
        func soleConsumer(_ value: String) -> (Int, ONNXNode)? {
            guard !graphOutputs.contains(value), let users = consumers[value], users.count == 1 else { return nil }
            return (users[0], model.nodes[users[0]])
        }
        /// The fused activation (0 none, 1 ReLU, 2 LeakyReLU) of a Relu/LeakyRelu alone consuming `value`.
        func fusedActivation(_ value: String) throws -> (code: Int, alpha: Float, output: String)? {
            guard let (next, act) = soleConsumer(value), act.op == "Relu" || act.op == "LeakyRelu" else { return nil }
            absorbed.insert(next)
            return act.op == "Relu" ? (1, 0, act.outputs[0]) : (2, try act.float("alpha", 0.01), act.outputs[0])
        }
        for (index, node) in model.nodes.enumerated() where !absorbed.contains(index) {
            guard convolutionKernelsAvailable else { steps.append(.reference(node)); continue }
            if let step = try InferencePlan.lowerBlockedOperator(node, model: model, fuse: fusedActivation) {
                steps.append(step); continue
            }
            guard node.op == "Conv", let lowered = try InferencePlan.lowerConvolution(node, model: model) else {
                steps.append(.reference(node)); continue
            }
            var (convolution, padEnd) = lowered
            var output = node.outputs[0]
            // Fold a BatchNormalization and then fuse an activation that alone consume the output.
            if let (next, bn) = soleConsumer(output), bn.op == "BatchNormalization", let folded = try InferencePlan.fold(convolution, bn, model) {
                convolution = folded; absorbed.insert(next); output = bn.outputs[0]
            }
            if let (code, alpha, activated) = try fusedActivation(output) {
                convolution = convolution.with(activation: code == 1 ? .relu : .leakyRelu(alpha))
                output = activated
            }
            // The first layer stays float32 in every precision: rounding the network's input to bfloat16 costs
            // more accuracy than the rest of the network (unet2d argmax agreement 0.976 -> 0.967 when tried).
            if let (expansion, pointwise) = convolution.tapExpanded() {
                steps.append(.expandedConvolution(original: convolution, expansion, pointwise, input: node.inputs[0], output: output, padEnd: padEnd))
                continue
            }
            halos[node.inputs[0]] = max(halos[node.inputs[0], default: 0], (convolution.padBegin + padEnd).max() ?? 0)
            if precision == .bf16, !forceAVX2, let reduced = convolution.inBFloat16() {
                steps.append(.convolution(reduced, input: node.inputs[0], output: output, padEnd: padEnd))
            } else if precision == .winograd, !forceAVX2, let winograd = WinogradConvolution(convolution, workers: pool.threads) {
                steps.append(.winograd(winograd, input: node.inputs[0], output: output, padEnd: padEnd))
            } else {
                steps.append(.convolution(convolution, input: node.inputs[0], output: output, padEnd: padEnd))
            }
        }
        if precision == .bf16, !forceAVX2 {
            steps = steps.map { step in
                guard case .transposed(let c, let input, let output) = step, let reduced = c.inBFloat16() else { return step }
                return .transposed(reduced, input: input, output: output)
            }
        }
        self.steps = forceAVX2 ? steps.map { step in
            switch step {
            case .convolution(var c, let input, let output, let padEnd): c.useAVX512 = false; return .convolution(c, input: input, output: output, padEnd: padEnd)
            case .expandedConvolution(let o, let e, var c, let input, let output, let padEnd):
                c.useAVX512 = false; return .expandedConvolution(original: o, e, c, input: input, output: output, padEnd: padEnd)
            case .transposed(var c, let input, let output): c.useAVX512 = false; return .transposed(c, input: input, output: output)
            default: return step
            }
        } : steps
        self.halos = halos
        (outputForms, bf16Concats) = InferencePlan.bfloat16Flow(self.steps, graphOutputs: graphOutputs)
        var last: [String: Int] = [:]
        for (index, step) in self.steps.enumerated() { for name in InferencePlan.inputs(of: step) { last[name] = index } }
        for output in model.outputs { last[output.name] = Int.max }
        lastUse = last
    }

    /// A one-line description of a step (HEPATIX_PROFILE timings).
    static func describe(_ step: Step) -> String {
        switch step {
        case .convolution(let c, let input, _, _): return "\(c.usesBFloat16 ? "bf16 " : "")conv \(c.inChannels)->\(c.outChannels) k\(c.kernel) s\(c.strides) from \(input)"
        case .winograd(let w, let input, _, _): return "winograd conv \(w.direct.inChannels)->\(w.direct.outChannels) from \(input)"
        case .expandedConvolution(let c, _, _, let input, _, _): return "tap-expanded conv 1->\(c.outChannels) k\(c.kernel) from \(input)"
        case .transposed(let c, let input, _): return "convT \(c.inChannels)->\(c.outChannels) from \(input)"
        case .maxPool(_, let input, _): return "maxpool from \(input)"
        case .concat(let inputs, _): return "concat \(inputs)"
        case .instanceNorm(_, _, _, _, _, let input, _): return "instancenorm from \(input)"
        case .softmax(let input, _): return "softmax from \(input)"
        case .reference(let node): return "reference \(node.describe)"
        }
    }

    /// Where bfloat16 copies flow: for each value a producer writes, the forms it writes (a bfloat16 copy when
    /// a bf16 layer reads it, no float32 form when nothing else does and it is not a graph output), and the
    /// concatenations that copy their inputs' bfloat16 copies because only bf16 layers read their result.
    static func bfloat16Flow(_ steps: [Step], graphOutputs: Set<String>) -> (forms: [String: ActivationForms], concats: Set<String>) {
        guard DirectConvolution.bfloat16Available else { return ([:], []) }
        var bf16Readers = Set<String>(), otherReaders = graphOutputs
        for step in steps {
            switch step {
            case .convolution(let c, let input, _, _) where c.usesBFloat16: bf16Readers.insert(input)
            case .transposed(let c, let input, _) where c.usesBFloat16: bf16Readers.insert(input)
            case .concat: break
            default: otherReaders.formUnion(inputs(of: step))
            }
        }
        // Concatenations, last first (a concatenation's readers come after it).
        var concats = Set<String>()
        for step in steps.reversed() {
            guard case .concat(let inputs, let output) = step else { continue }
            if bf16Readers.contains(output) && !otherReaders.contains(output) {
                concats.insert(output); bf16Readers.formUnion(inputs)
            } else {
                otherReaders.formUnion(inputs)
            }
        }
        var forms: [String: ActivationForms] = [:]
        for step in steps {
            // Producers that can write a bfloat16 copy as they go: convolutions (direct, tap-expanded,
            // transposed) on the 32-channel AVX-512 kernels, AVX-512 instance norms, and concatenations.
            let output: String
            switch step {
            case .convolution(let c, _, let o, _) where c.writesBFloat16: output = o
            case .expandedConvolution(_, _, let c, _, let o, _) where c.writesBFloat16: output = o
            case .transposed(let c, _, let o) where c.writesBFloat16: output = o
            case .concat(_, let o): output = o
            case .instanceNorm(_, _, _, _, _, _, let o) where convolutionTier == "avx512": output = o
            default: continue
            }
            guard bf16Readers.contains(output) else { continue }
            forms[output] = otherReaders.contains(output) ? [.float32, .bfloat16] : [.bfloat16]
        }
        return (forms, concats)
    }

    /// The values a step reads.
    static func inputs(of step: Step) -> [String] {
        switch step {
        case .convolution(_, let input, _, _), .winograd(_, let input, _, _), .transposed(_, let input, _), .maxPool(_, let input, _): return [input]
        case .expandedConvolution(_, _, _, let input, _, _): return [input]
        case .instanceNorm(_, _, _, _, _, let input, _), .softmax(let input, _): return [input]
        case .concat(let inputs, _): return inputs
        case .reference(let node): return node.inputs.filter { !$0.isEmpty }
        }
    }

    /// ConvTranspose (kernel = stride, no padding), MaxPool (window = stride, no padding), channel Concat and
    /// InstanceNormalization (with a fused activation) as blocked steps, or nil for the reference path.
    static func lowerBlockedOperator(_ node: ONNXNode, model: ONNXModel,
                                     fuse: (String) throws -> (code: Int, alpha: Float, output: String)?) throws -> Step? {
        // A node without a data input goes to its reference operator, which refuses it with a message.
        guard let first = node.inputs.first, !first.isEmpty else { return nil }
        func zeros(_ key: String) throws -> Bool { try (node.ints(key) ?? []).allSatisfy { $0 == 0 } }
        func ones(_ key: String) throws -> Bool { try (node.ints(key) ?? []).allSatisfy { $0 == 1 } }
        switch node.op {
        case "ConvTranspose":
            guard node.inputs.count > 1, let w = model.initializers[node.inputs[1]], w.shape.count == 4 || w.shape.count == 5,
                  w.shape.allSatisfy({ $0 > 0 }), try node.int("group", 1) == 1, try node.ints("strides") == Array(w.shape[2...]), try zeros("pads"), try ones("dilations"), try zeros("output_padding"),
                  node.attributes["output_shape"] == nil, try node.string("auto_pad", "NOTSET") == "NOTSET" else { return nil }
            let bias = node.inputs.count > 2 && !node.inputs[2].isEmpty ? model.initializers[node.inputs[2]]?.floats : nil
            if node.inputs.count > 2, !node.inputs[2].isEmpty, bias?.count != w.shape[1] { return nil }
            return .transposed(TransposedConvolution(weights: w.floats, bias: bias, inChannels: w.shape[0], outChannels: w.shape[1],
                                                     stride: Array(w.shape[2...])), input: node.inputs[0], output: node.outputs[0])
        case "MaxPool":
            guard node.outputs.count == 1, let k = try node.ints("kernel_shape"), k.count == 2 || k.count == 3, k.allSatisfy({ $0 > 0 }),
                  try node.ints("strides") == k,
                  try zeros("pads"), try ones("dilations"), try node.int("ceil_mode", 0) == 0,
                  ["NOTSET", "VALID"].contains(try node.string("auto_pad", "NOTSET")) else { return nil }
            return .maxPool(window: k, input: node.inputs[0], output: node.outputs[0])
        case "Concat":
            guard try node.int("axis", 0) == 1, node.inputs.allSatisfy({ !$0.isEmpty && model.initializers[$0] == nil }) else { return nil }
            return .concat(inputs: node.inputs, output: node.outputs[0])
        case "Softmax":
            guard try node.int("axis", -1) == 1 else { return nil }
            return .softmax(input: node.inputs[0], output: node.outputs[0])
        case "InstanceNormalization":
            guard node.inputs.count == 3, let scale = model.initializers[node.inputs[1]]?.floats,
                  let bias = model.initializers[node.inputs[2]]?.floats, scale.count == bias.count else { return nil }
            let epsilon = Double(try node.float("epsilon", 1e-5))
            let fused = try fuse(node.outputs[0])
            return .instanceNorm(scale: scale, bias: bias, epsilon: epsilon, activation: fused?.code ?? 0, alpha: fused?.alpha ?? 0,
                                 input: node.inputs[0], output: fused?.output ?? node.outputs[0])
        default:
            return nil
        }
    }

    /// A Conv node as a direct convolution, or nil when it needs the reference path (weights not constant,
    /// groups, auto_pad, 1-D).
    static func lowerConvolution(_ node: ONNXNode, model: ONNXModel) throws -> (DirectConvolution, [Int])? {
        guard node.inputs.count > 1, let w = model.initializers[node.inputs[1]], w.elementType == .float32, w.shape.count == 4 || w.shape.count == 5,
              w.shape.allSatisfy({ $0 > 0 }),
              try node.int("group", 1) == 1, try node.string("auto_pad", "NOTSET") == "NOTSET" else { return nil }
        let bias = node.inputs.count > 2 && !node.inputs[2].isEmpty ? model.initializers[node.inputs[2]]?.floats : nil
        if node.inputs.count > 2, !node.inputs[2].isEmpty, bias?.count != w.shape[0] { return nil }
        let rank = w.shape.count - 2
        let kernel = Array(w.shape[2...])
        let strides = try node.ints("strides") ?? Array(repeating: 1, count: rank)
        let dilations = try node.ints("dilations") ?? Array(repeating: 1, count: rank)
        let pads = try node.ints("pads") ?? Array(repeating: 0, count: 2 * rank)
        guard strides.count == rank, dilations.count == rank, pads.count == 2 * rank, strides.allSatisfy({ $0 > 0 }),
              dilations.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 && $0 <= 64 }) else { return nil }
        return (DirectConvolution(weights: w.floats, bias: bias, inChannels: w.shape[1], outChannels: w.shape[0], kernel: kernel,
                                  strides: strides, dilations: dilations, padBegin: Array(pads[..<rank]), activation: .none),
                Array(pads[rank...]))
    }

    /// The convolution with an inference BatchNormalization folded into its weights and bias, or nil
    /// when the normalisation's parameters are not constants.
    static func fold(_ c: DirectConvolution, _ bn: ONNXNode, _ model: ONNXModel) throws -> DirectConvolution? {
        let parameters = bn.inputs.dropFirst().map { model.initializers[$0] }
        guard parameters.count == 4, try bn.int("training_mode", 0) == 0, bn.outputs.count == 1 else { return nil }
        guard let scale = parameters[0]?.floats, let shift = parameters[1]?.floats, let mean = parameters[2]?.floats,
              let variance = parameters[3]?.floats, [scale, shift, mean, variance].allSatisfy({ $0.count == c.outChannels }) else { return nil }
        let epsilon = Double(try bn.float("epsilon", 1e-5))
        let factors = (0..<c.outChannels).map { Double(scale[$0]) / (Double(variance[$0]) + epsilon).squareRoot() }
        return c.scaled(by: factors, shift: (0..<c.outChannels).map { Double(shift[$0]) - Double(mean[$0]) * factors[$0] })
    }

    /// Runs the model on `feeds` and returns the graph outputs (planar tensors).
    public func run(_ feeds: [String: Tensor]) throws -> [String: Tensor] {
        var plain = model.initializers
        for input in model.inputs {
            guard let tensor = feeds[input.name] else { throw InferenceError("input '\(input.name)' is not given") }
            plain[input.name] = tensor
        }
        var blocked: [String: BlockedActivation] = [:]
        /// Values whose bfloat16 copy holds their current contents.
        var bf16Current = Set<String>()
        func planar(_ name: String) throws -> Tensor? {
            if let t = plain[name] { return t }
            guard let b = blocked[name] else { return nil }
            let shape = [1, b.channels] + spatial(b)
            var values = [Float](repeating: 0, count: shape.reduce(1, *))
            values.withUnsafeMutableBufferPointer { b.store(planar: $0) }
            let t = try Tensor(shape: shape, floats: values)
            plain[name] = t
            return t
        }
        defer { for b in blocked.values { release(b) } }
        let profiling = ProcessInfo.processInfo.environment["HEPATIX_PROFILE"] != nil
        for (index, step) in steps.enumerated() {
            let started = profiling ? DispatchTime.now().uptimeNanoseconds : 0
            defer {
                if profiling {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                    FileHandle.standardError.write("step \(index) \(InferencePlan.describe(step)): \(String(format: "%.2f", ms)) ms\n".data(using: .utf8)!)
                }
                // Values read for the last time: their buffers go back to the free list, planar copies are dropped.
                for name in InferencePlan.inputs(of: step) where lastUse[name] == index {
                    if let b = blocked.removeValue(forKey: name) { release(b) }
                    if model.initializers[name] == nil { plain[name] = nil }
                }
            }
            switch step {
            case .reference(let node):
                let inputs = try node.inputs.map { name -> Tensor? in
                    guard !name.isEmpty else { return nil }
                    guard let t = try planar(name) else { throw InferenceError("\(node.describe): input '\(name)' has no value") }
                    return t
                }
                for (name, value) in zip(node.outputs, try ReferenceOperators.evaluate(node, inputs)) where !name.isEmpty { plain[name] = value }
            case .transposed(let conv, let inputName, let outputName):
                let source = try blockedInput(inputName, blocked: &blocked, plain: plain, channels: conv.inChannels, rank: conv.stride.count)
                let target = buffer(outputName, channels: conv.outChannels, size: conv.outputSize(spatial(source)))
                if conv.usesBFloat16 && !bf16Current.contains(inputName) { makeBFloat16Copy(of: source) }
                let forms = outputForms[outputName] ?? .float32
                conv.run(source, target, pool: pool, stores: forms)
                if forms.contains(.bfloat16) { bf16Current.insert(outputName) }
                blocked[outputName] = target
            case .maxPool(let window, let inputName, let outputName):
                let source = try blockedInput(inputName, blocked: &blocked, plain: plain, channels: nil, rank: window.count)
                let out = zip(spatial(source), window).map { $0 / $1 }
                guard out.allSatisfy({ $0 > 0 }) else { throw InferenceError("MaxPool into '\(outputName)': empty output") }
                let target = buffer(outputName, channels: source.channels, size: out)
                BlockedOperations.maxPool(source, target, window: window, pool: pool)
                blocked[outputName] = target
            case .concat(let inputNames, let outputName):
                let sources = try inputNames.map { try blockedInput($0, blocked: &blocked, plain: plain, channels: nil, rank: nil) }
                let size = spatial(sources[0])
                guard sources.allSatisfy({ spatial($0) == size }) else { throw InferenceError("Concat into '\(outputName)': spatial sizes differ") }
                let target = buffer(outputName, channels: sources.reduce(0) { $0 + $1.channels }, size: size)
                let forms = outputForms[outputName] ?? .float32, fromBFloat16 = bf16Concats.contains(outputName)
                if fromBFloat16 { for (name, source) in zip(inputNames, sources) where !bf16Current.contains(name) { makeBFloat16Copy(of: source) } }
                BlockedOperations.concatenate(sources, target, pool: pool, stores: forms, fromBFloat16: fromBFloat16)
                if forms.contains(.bfloat16) { bf16Current.insert(outputName) }
                blocked[outputName] = target
            case .instanceNorm(let scale, let bias, let epsilon, let activation, let alpha, let inputName, let outputName):
                let source = try blockedInput(inputName, blocked: &blocked, plain: plain, channels: scale.count, rank: nil)
                let target = buffer(outputName, channels: source.channels, size: spatial(source))
                let forms = outputForms[outputName] ?? .float32
                BlockedOperations.instanceNormalize(source, target, scale: scale, bias: bias, epsilon: epsilon, activation: activation,
                                                    alpha: alpha, pool: pool, stores: forms)
                if forms.contains(.bfloat16) { bf16Current.insert(outputName) }
                blocked[outputName] = target
            case .expandedConvolution(let original, let expansion, let pointwise, let inputName, let outputName, let padEnd):
                guard let x = try planar(inputName), x.elementType == .float32, x.shape.count == original.kernel.count + 2,
                      x.shape[0] == 1, x.shape[1] == 1 else { throw InferenceError("Conv: '\(inputName)' is not a batch-1 single-channel image") }
                let size = Array(x.shape[2...])
                let out = original.outputSize(size, padEnd: padEnd)
                guard out.allSatisfy({ $0 > 0 }) else { throw InferenceError("Conv into '\(outputName)': empty output \(out)") }
                let taps = buffer(outputName + "#taps", channels: expansion.taps, size: out)
                x.floats.withUnsafeBufferPointer { expansion.run($0.baseAddress!, size: size, taps, pool: pool) }
                let target = buffer(outputName, channels: pointwise.outChannels, size: out)
                let forms = outputForms[outputName] ?? .float32
                pointwise.run(taps, target, pool: pool, stores: forms)
                if forms.contains(.bfloat16) { bf16Current.insert(outputName) }
                release(taps)
                blocked[outputName] = target
            case .softmax(let inputName, let outputName):
                guard let source = blocked[inputName] else {
                    // Not produced by a fast step: the reference softmax on the planar tensor.
                    let node = ONNXNode(name: "", op: "Softmax", domain: "", inputs: [inputName], outputs: [outputName], attributes: ["axis": .int(1)])
                    guard let x = try planar(inputName) else { throw InferenceError("Softmax: '\(inputName)' has no value") }
                    plain[outputName] = try ReferenceOperators.evaluate(node, [x])[0]
                    continue
                }
                let size = spatial(source)
                var values = [Float](repeating: 0, count: source.channels * size.reduce(1, *))
                values.withUnsafeMutableBufferPointer { BlockedOperations.softmaxChannels(source, into: $0, pool: pool) }
                plain[outputName] = try Tensor(shape: [1, source.channels] + size, floats: values)
            case .convolution(let conv, let inputName, let outputName, let padEnd):
                let (source, target) = try convolutionBuffers(conv, inputName, outputName, padEnd: padEnd, blocked: &blocked, plain: plain)
                if conv.usesBFloat16 && !bf16Current.contains(inputName) { makeBFloat16Copy(of: source) }
                let forms = outputForms[outputName] ?? .float32
                conv.run(source, target, pool: pool, stores: forms)
                if forms.contains(.bfloat16) { bf16Current.insert(outputName) }
                blocked[outputName] = target
            case .winograd(let conv, let inputName, let outputName, let padEnd):
                let (source, target) = try convolutionBuffers(conv.direct, inputName, outputName, padEnd: padEnd, blocked: &blocked, plain: plain)
                conv.run(source, target, pool: pool)
                blocked[outputName] = target
            }
        }
        return try Dictionary(model.outputs.map { output in
            guard let value = try planar(output.name) else { throw InferenceError("output '\(output.name)' was not computed") }
            return (output.name, value)
        }, uniquingKeysWith: { first, _ in first })  // a hand-built model may list an output twice
    }

    /// Fills the bfloat16 copy of `source` (whole storage, halos included) from its float32 form, for a value
    /// whose producer did not write one.
    private func makeBFloat16Copy(of source: BlockedActivation) {
        precondition(source.hasFloat32, "a bfloat16-only value must be written by its producer")
        let count = source.blocks * source.blockStride
        let (from, to) = (SendablePointer(UnsafePointer(source.storage)), SendableMutablePointer(source.makeBFloat16Copy()))
        let chunk = 1 << 16
        pool.forEach(items: (count + chunk - 1) / chunk) { _, item in
            let start = item * chunk
            hxk_f32_to_bf16_avx512(from.pointer + start, to.pointer + start, min(chunk, count - start))
        }
    }

    /// The input of a convolution step and a buffer for its output.
    private func convolutionBuffers(_ conv: DirectConvolution, _ inputName: String, _ outputName: String, padEnd: [Int],
                                    blocked: inout [String: BlockedActivation], plain: [String: Tensor]) throws -> (BlockedActivation, BlockedActivation) {
        let source = try blockedInput(inputName, blocked: &blocked, plain: plain, channels: conv.inChannels, rank: conv.kernel.count)
        let out = conv.outputSize(spatial(source), padEnd: padEnd)
        guard out.allSatisfy({ $0 > 0 }) else { throw InferenceError("Conv into '\(outputName)': empty output \(out)") }
        return (source, buffer(outputName, channels: conv.outChannels, size: out))
    }

    /// The blocked form of `name`, converting a planar tensor (batch 1, 4-D or 5-D) on the way. `channels`
    /// and `rank` (spatial axes), when given, must match.
    private func blockedInput(_ name: String, blocked: inout [String: BlockedActivation], plain: [String: Tensor],
                              channels: Int?, rank: Int?) throws -> BlockedActivation {
        if let b = blocked[name] {
            guard channels == nil || b.channels == channels, rank == nil || b.spatialRank == rank else {
                throw InferenceError("'\(name)' has \(b.channels) channels and \(b.spatialRank) spatial axes, expected \(channels ?? b.channels) and \(rank ?? b.spatialRank)")
            }
            return b
        }
        guard let t = plain[name] else { throw InferenceError("'\(name)' has no value") }
        guard t.elementType == .float32, t.shape.count == 4 || t.shape.count == 5, rank == nil || t.shape.count == rank! + 2,
              t.shape[0] == 1, channels == nil || t.shape[1] == channels else {
            throw InferenceError("'\(name)' of shape \(t.shape) is not a batch-1 \(channels.map { "\($0)-channel " } ?? "")image")
        }
        let b = buffer(name, channels: t.shape[1], size: Array(t.shape[2...]))
        t.floats.withUnsafeBufferPointer { b.load(planar: $0) }
        blocked[name] = b
        return b
    }

    /// Spatial size of a blocked activation ([depth,] height, width).
    private func spatial(_ b: BlockedActivation) -> [Int] { b.spatialRank == 3 ? [b.depth, b.height, b.width] : [b.height, b.width] }

    /// The cached blocked buffer for `name`, (re)allocated when its shape changed.
    private func buffer(_ name: String, channels: Int, size: [Int]) -> BlockedActivation {
        let (d, h, w) = size.count == 3 ? (size[0], size[1], size[2]) : (1, size[0], size[1])
        let float32 = outputForms[name]?.contains(.float32) ?? true
        let key = BufferKey(channels: channels, depth: d, height: h, width: w, halo: halos[name, default: 0], rank: size.count, float32: float32)
        if let reused = freeBuffers[key]?.popLast() { return reused }
        return BlockedActivation(channels: channels, depth: d, height: h, width: w, halo: key.halo, spatialRank: size.count, float32: float32)
    }

    /// Returns a buffer to the free list (its interior is overwritten by the next user; halos stay zero).
    private func release(_ b: BlockedActivation) {
        freeBuffers[BufferKey(channels: b.channels, depth: b.depth, height: b.height, width: b.width, halo: b.halo, rank: b.spatialRank,
                              float32: b.hasFloat32),
                    default: []].append(b)
    }
}
