import Foundation
import Hepatix

/// `hepatix demo [--out DIR] [--threads N] [--denoise] [--scans]`: the main job on the built-in study. The liver
/// pipeline analyses the default multiphase abdomen phantom (seed 1) and writes its report; nothing is
/// opened, the report's path is printed. `--scans` adds the reconstruction demos: exact analytic scans of
/// the Shepp–Logan phantoms (parallel, equiangular fan, cone beam) reconstructed by FBP/FDK, and a dose
/// study (100/50/33/25 % dose, FBP against hybrid IR), as PNG slices with one line of accuracy figures each.
enum DemoCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--out", "--threads", "--denoiser", "--denoise-strength"], flags: ["--scans", "--denoise"])
        let out = a["--out"] ?? "out/demo"
        print(BuildInfo.summary)
        var options = AbdomenStudy.Options()
        options.threads = try a.int("--threads", default: 0)
        try AnalyzeCommand.analyzePhantom(seed: 1, options: options, analyzer: try AnalyzeCommand.analyzer(a, threads: options.threads), out: out)
        if a.has("--scans") { try scans(out: out + "/scans", threads: options.threads) }
    }

    /// The reconstruction demos, written into `out`.
    static func scans(out: String, threads: Int) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let cases = try PhantomScanDemo.run(threads: threads)
        for c in cases {
            let g = c.grid
            let slug = c.name.lowercased().filter { $0.isLetter || $0 == " " }.split(separator: " ").joined(separator: "-")
            let plane = g.nx * g.ny
            let mid = g.nz / 2
            let axial = Array(c.volume[(mid * plane)..<((mid + 1) * plane)])
            try PNGWriter.write(axial, width: g.nx, height: g.ny, window: 0.005, 0.035, to: "\(out)/\(slug)-axial.png")
            if g.nz > 1 {
                // Coronal slice (y = centre), z up.
                var coronal = [Float](repeating: 0, count: g.nx * g.nz)
                for k in 0..<g.nz { for j in 0..<g.nx { coronal[(g.nz - 1 - k) * g.nx + j] = c.volume[k * plane + (g.ny / 2) * g.nx + j] } }
                try PNGWriter.write(coronal, width: g.nx, height: g.nz, window: 0.005, 0.035, to: "\(out)/\(slug)-coronal.png")
            }
            print(String(format: "%@: %d x %d x %d, interior RMSE %.2e /mm (water 2.0e-2), %.3f s", c.name, g.nx, g.ny, g.nz, c.rmse, c.seconds))
        }
        let study = try DoseStudyDemo.run(threads: threads)
        print(String(format: "dose study (parallel beam, %.0f photons per ray at full dose): interior RMSE, FBP (Hann) vs hybrid IR", study.fullDosePhotons))
        for level in study.levels {
            let percent = Int((level.dose * 100).rounded())
            for (name, image) in [("fbp", level.fbp), ("hybrid-ir", level.iterative)] {
                try PNGWriter.write(image, width: study.grid.nx, height: study.grid.ny, window: 0.005, 0.035,
                                    to: "\(out)/dose-\(percent)-\(name).png")
            }
            print(String(format: "  dose %3d%%: FBP %.2e /mm, hybrid IR %.2e /mm (%.0f%% lower)", percent, level.fbpRMSE, level.iterativeRMSE,
                         100 * (1 - level.iterativeRMSE / level.fbpRMSE)))
        }
        print("images written to \(out)/")
    }
}
