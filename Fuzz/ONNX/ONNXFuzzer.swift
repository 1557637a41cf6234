import Foundation
import Hepatix

/// libFuzzer entry point over the ONNX loader and both engines: every input is parsed as a model; one that
/// loads, and declares float inputs of known small shapes, is run through the reference interpreter and the
/// fast plan at each precision. Any error must be an `InferenceError`; a trap, sanitizer report or other
/// error type is a finding. Built by scripts/fuzz-onnx.sh with -sanitize=fuzzer,address and HEPATIX_FUZZ.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    do {
        let model = try ONNXModel(serialized: Data(bytes: data, count: size), baseDirectory: nil)
        var feeds: [String: Tensor] = [:]
        for input in model.inputs where model.initializers[input.name] == nil {
            guard input.elementType == .float32, let shape = input.shape, shape.allSatisfy({ $0 != nil && $0! > 0 }) else { return 0 }
            let dims = shape.map { $0! }
            guard dims.reduce(1, *) <= 1 << 16 else { return 0 }
            feeds[input.name] = try Tensor(shape: dims, floats: (0..<dims.reduce(1, *)).map { Float($0 % 13) / 13 - 0.4 })
        }
        _ = try? ReferenceInterpreter(model).run(feeds)
        for precision in InferencePlan.Precision.allCases {
            do { _ = try InferencePlan(model, threads: 2, precision: precision).run(feeds) } catch is InferenceError {}
        }
    } catch is InferenceError {
    } catch {
        fatalError("unexpected error type \(type(of: error)): \(error)")
    }
    return 0
}

#if HEPATIX_FUZZ
/// libFuzzer's driver, entered from the executable's entry point (SwiftPM names it `<module>_main` and
/// aliases `main` to it, so libFuzzer's own `main` is not used).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("onnx_fuzzer_main")
func fuzzerEntry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc, arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { fuzzONNX($0, $1) }
}
#else
/// Without libFuzzer (a normal build): replays the files given as arguments through the same entry point,
/// to reproduce a finding under a debugger.
@main enum ReplayONNXInputs {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let bytes = FileManager.default.contents(atPath: path) else { print("cannot read \(path)"); continue }
            _ = bytes.withUnsafeBytes { fuzzONNX($0.bindMemory(to: UInt8.self).baseAddress, bytes.count) }
            print("\(path): no finding")
        }
    }
}
#endif
