import Foundation
import Hepatix

/// The phantom-study options shared by `analyze --phantom`, `phantom` and `evaluate`.
enum PhantomArguments {
    /// Flags `options(_:)` reads.
    static let valued: Set<String> = ["--dose", "--acquisition", "--size", "--threads"]
    /// Flags `anatomy(_:seed:)` reads.
    static let flags: Set<String> = ["--tumour-in-vein"]

    /// The anatomy of phantom `seed`; with `--tumour-in-vein`, its first HCC invades a portal branch (the LR-TIV case).
    static func anatomy(_ a: Arguments, seed: UInt64) -> AbdomenAnatomy {
        let anatomy = AbdomenAnatomy.generate(seed: seed)
        return a.has("--tumour-in-vein") ? anatomy.withTumourInVein() : anatomy
    }

    /// Study options from `--threads N`, `--acquisition image|fbp|ir`, `--size NX,NY,NZ` (same 384 × 384 × 200 mm
    /// field of view, finer voxels) and `--dose FRACTION` (one value; `evaluate` reads its list itself).
    static func options(_ a: Arguments, readDose: Bool = true) throws -> AbdomenStudy.Options {
        var options = AbdomenStudy.Options()
        options.threads = try a.int("--threads", default: 0)
        options.acquisition = try acquisition(a)
        if let size = a["--size"] {
            let n = size.split(separator: ",").compactMap { Int($0) }
            guard n.count == 3, n.allSatisfy({ $0 >= 16 && $0 <= 2048 }) else { throw CLIError("--size takes NX,NY,NZ (16...2048 each)") }
            let field = SIMD3<Double>(options.size) * options.spacing
            options.size = SIMD3(n[0], n[1], n[2])
            options.spacing = field / SIMD3<Double>(options.size)
        }
        if readDose, let dose = a["--dose"] {
            guard let d = Double(dose) else { throw CLIError("--dose must be a number") }
            options.dose = d
        }
        return options
    }

    /// The `--acquisition image|fbp|ir` option (default image-domain noise).
    static func acquisition(_ a: Arguments) throws -> PhantomAcquisition {
        guard let text = a["--acquisition"] else { return .image }
        guard let method = PhantomAcquisition(rawValue: text) else { throw CLIError("--acquisition takes image, fbp or ir") }
        return method
    }
}
