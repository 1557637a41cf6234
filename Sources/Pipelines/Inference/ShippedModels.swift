import Foundation
import CKernels

/// Where the ONNX models Hepatix ships (`Models/` in the source tree, `lib/hepatix/models` once installed)
/// are found, first match wins:
/// 1. the folder in the `HEPATIX_MODELS` environment variable;
/// 2. `models` beside the binary holding this code (the installed shared library or CLI);
/// 3. `Models` at the top of the source tree this was built from.
public enum ShippedModels {
    /// The folders searched, in order.
    public static var searchPath: [String] {
        var folders: [String] = []
        if let env = ProcessInfo.processInfo.environment["HEPATIX_MODELS"], !env.isEmpty { folders.append(env) }
        if let binary = binaryDirectory {
            folders.append(binary + "/models")
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // Sources/Pipelines/Inference
        folders.append(source.appendingPathComponent("../../../Models").standardized.path)
        return folders
    }

    /// The path of the shipped model `name`.
    /// - Throws: `InferenceError` listing the folders searched when no folder holds it.
    public static func path(of name: String) throws -> String {
        let folders = searchPath
        for folder in folders {
            let candidate = folder + "/" + name
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
        }
        throw InferenceError("model \(name) not found in \(folders.joined(separator: ", ")) (set HEPATIX_MODELS to its folder)")
    }

    /// The folder of the binary image (shared library or executable) this code was loaded from.
    private static var binaryDirectory: String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard hxk_loaded_image_path(&buffer, Int32(buffer.count)) == 1 else { return nil }
        let path = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
    }
}
