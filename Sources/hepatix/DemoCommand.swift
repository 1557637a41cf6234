import Foundation
import Hepatix

/// `hepatix demo [--out DIR] [--threads N]`: the built-in phantom study. Today: exact analytic scans
/// of the Shepp–Logan phantoms (parallel, equiangular fan, cone beam), reconstructed by FBP/FDK, and a
/// dose study (100/50/33/25 % dose, FBP against hybrid IR), written as PNG slices with one line of
/// accuracy figures per case.
enum DemoCommand {
    static func run(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--out", "--threads"])
        let out = a["--out"] ?? "out/demo"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        print(BuildInfo.summary)
        let cases = try PhantomScanDemo.run(threads: try a.int("--threads", default: 0))
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
        let study = try DoseStudyDemo.run(threads: try a.int("--threads", default: 0))
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
