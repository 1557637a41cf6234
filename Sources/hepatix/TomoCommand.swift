import Foundation
import Hepatix

/// `hepatix reconstruct --tomo DIR [--algorithm fbp|pwls-tv] [--iterations N] [--beta B] [--delta D]
/// [--threads N] --out OUT.f32`: measured parallel-beam data (flat/dark correction, -ln, automatic
/// rotation-centre search, one slice per detector row); prints the centre found and writes the slices
/// (`rows × columns × columns` float32) plus a JSON sidecar.
enum TomoCommand {
    static func run(folder: String, arguments a: Arguments) throws {
        let out = try a.required("--out")
        var options = TomoReconstruction.Options()
        guard let algorithm = TomoReconstruction.Options.Algorithm(rawValue: a["--algorithm"] ?? "fbp") else {
            throw CLIError("--tomo reconstructs with --algorithm fbp or pwls-tv")
        }
        options.algorithm = algorithm
        options.iterations = try a.int("--iterations", default: options.iterations)
        options.threads = try a.int("--threads", default: 0)
        for (flag, path) in [("--beta", \TomoReconstruction.Options.beta), ("--delta", \.delta)] {
            guard let text = a[flag] else { continue }
            guard let v = Double(text) else { throw CLIError("\(flag) expects a number") }
            options[keyPath: path] = v
        }
        let dataset = try TomoDataset.load(folder: folder)
        let start = Date()
        let bar = ProgressBar(label: "tomo \(algorithm.rawValue)")
        let result = try TomoReconstruction.reconstruct(dataset, options: options, progress: { bar.update($0) })
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        try RawFloatFile.write(result.slices, to: out)
        print(String(format: "rotation centre %.2f (rows: %@), %d x %d x %d slices, %.2f s", result.centre,
                     result.rowCentres.map { String(format: "%.2f", $0) }.joined(separator: ", "), dataset.rows, result.size,
                     result.size, seconds))
        let report: [String: Any] = [
            "algorithm": algorithm.rawValue, "centre": result.centre, "row_centres": result.rowCentres,
            "shape": [dataset.rows, result.size, result.size], "seconds": seconds, "clipped_transmissions": result.clippedTransmissions,
            "convention": "slice[row][i][j], pixel centre x = j - n/2, y = n/2 - i, attenuation per detector pixel",
        ]
        let json = try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys])
        let sidecar = (out as NSString).deletingPathExtension + ".json"
        guard FileManager.default.createFile(atPath: sidecar, contents: json) else { throw CLIError("cannot write \(sidecar)") }
    }
}
