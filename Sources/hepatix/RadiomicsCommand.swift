import Foundation
import Hepatix

/// `hepatix radiomics --image DESCRIPTOR.json [--config phantom|A|B|C|D|E] [--format csv|json] [--threads N]`:
/// IBSI features of the raw + JSON form of `../shared/conformance/ibsi` (image and mask named in the
/// descriptor), printed as CSV (`tag,code,aggregation,value`) or JSON. NIfTI input comes with the
/// DICOM/NIfTI issue.
enum RadiomicsCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--image", "--config", "--format", "--threads"])
        let loaded = try RadiomicsImage.loadRaw(descriptor: try a.required("--image"))
        let name = a["--config"] ?? "phantom"
        guard let configuration = IBSIConfiguration.named(name) else {
            throw CLIError("configuration '\(name)' is not available (phantom, A, B, C, D, E)")
        }
        var settings = configuration.settings
        settings.threads = try a.int("--threads", default: 0)
        let start = Date()
        let features = try RadiomicsExtractor(settings: settings).features(try configuration.prepare(loaded))
        let seconds = Date().timeIntervalSince(start)
        switch a["--format"] ?? "csv" {
        case "csv":
            print("tag,code,aggregation,value")
            for f in features { print("\(f.tag),\(f.code),\"\(f.aggregation)\",\(f.value)") }
        case "json":
            let rows = features.map { ["tag": $0.tag, "code": $0.code, "aggregation": $0.aggregation, "value": $0.value.isFinite ? $0.value as Any : NSNull()] }
            let json = try JSONSerialization.data(withJSONObject: ["seconds": seconds, "features": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(data: json, encoding: .utf8)!)
        case let other: throw CLIError("unknown format '\(other)'; csv or json")
        }
        FileHandle.standardError.write(String(format: "%d features in %.3f s\n", features.count, seconds).data(using: .utf8)!)
    }
}
