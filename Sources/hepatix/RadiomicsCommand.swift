import Foundation
import Hepatix

/// `hepatix radiomics --image IMG [--mask MASK [--label N]] [--config phantom|A|B|C|D|E|settings.json]
/// [--format csv|json] [--threads N] [--repeat K]`: IBSI features, printed as CSV (`tag,code,aggregation,value`) or
/// JSON. IMG is either the raw + JSON descriptor of `../shared/conformance/ibsi` (naming image and mask)
/// or a NIfTI image (`.nii`, `.nii.gz`) with a NIfTI MASK, whose ROI is label N (default: non-zero).
/// The extraction time (after loading; the median of K runs) goes to standard error.
enum RadiomicsCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--image", "--mask", "--label", "--config", "--format", "--threads", "--repeat"])
        let imagePath = try a.required("--image")
        let loaded: RadiomicsImage
        if imagePath.hasSuffix(".json") {
            guard a["--mask"] == nil, a["--label"] == nil else { throw CLIError("a descriptor names its own mask: drop --mask/--label") }
            loaded = try RadiomicsImage.loadRaw(descriptor: imagePath)
        } else {
            guard let mask = a["--mask"] else { throw CLIError("a NIfTI image needs --mask MASK.nii[.gz]") }
            let label = try a["--label"].map { text -> Int in
                guard let n = Int(text) else { throw CLIError("--label takes an integer, got '\(text)'") }
                return n
            }
            loaded = try RadiomicsImage.loadNIfTI(image: imagePath, mask: mask, label: label)
        }
        let name = a["--config"] ?? "phantom"
        let configuration: IBSIConfiguration
        if name.hasSuffix(".json") {
            configuration = try IBSIConfiguration.load(settingsFile: name)
        } else {
            guard let named = IBSIConfiguration.named(name) else {
                throw CLIError("configuration '\(name)' is not available (phantom, A, B, C, D, E or a settings .json)")
            }
            configuration = named
        }
        var settings = configuration.settings
        settings.threads = try a.int("--threads", default: 0)
        // --repeat K extracts K times and reports the median time (the features are the same each time).
        var features: [RadiomicsFeature] = [], times: [Double] = []
        for _ in 0..<max(1, try a.int("--repeat", default: 1)) {
            let start = Date()
            features = try RadiomicsExtractor(settings: settings).features(try configuration.prepare(loaded))
            times.append(Date().timeIntervalSince(start))
        }
        let seconds = times.sorted()[times.count / 2]
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
