import Foundation

/// IBSI radiomic features of every lesion an analysis found, through the radiomics layer: the lesion mask on
/// the registered portal venous phase the lesions were measured in (`LiverAnalyzer.Output.lesionPhases`), cropped
/// to the lesion's box plus a margin, processed as IBSI configuration C (trilinear to 2 mm isotropic,
/// re-segmentation to [-1000, 400] HU, fixed bin size 25 HU).
/// Deterministic: the extractor gives the same bits whatever the thread count.
public struct LesionRadiomics: Codable, Sendable, Equatable {
    /// One lesion's features, keyed "tag" or "tag [aggregation]" (IBSI tag, e.g. `cm.joint.max [3D, merged]`).
    public struct Lesion: Codable, Sendable, Equatable {
        public let number: Int
        public let features: [String: Double]
    }

    /// The IBSI configuration used and the phase the intensities come from.
    public let configuration: String, phase: String
    public let lesions: [Lesion]

    /// Voxels of context kept around each lesion's box (the interpolation needs neighbours at the edge).
    static let margin = 3

    /// Features of every lesion in `output` (`configuration` is an IBSI configuration name; default C).
    /// - Throws: `RadiomicsError` when a lesion's ROI cannot be processed (e.g. re-segmentation empties it).
    public init(_ output: LiverAnalyzer.Output, configuration name: String = "C", threads: Int = 0) throws {
        try self.init(portal: output.lesionPhases[.portalVenous]!, lesionNumber: output.lesionNumber, configuration: name, threads: threads)
    }

    /// Features of every lesion labelled in `lesionNumber` (0 outside lesions, one label per voxel of `portal`).
    /// - Throws: `RadiomicsError` for an unknown configuration, labels that do not fill the grid, or a lesion
    ///   whose ROI cannot be processed.
    public init(portal: PatientVolume, lesionNumber: [UInt8], configuration name: String = "C", threads: Int = 0) throws {
        guard let configuration = IBSIConfiguration.named(name), name != "phantom" else {
            throw RadiomicsError.invalid("unknown IBSI configuration \(name) for CT lesions (use A-E)")
        }
        var settings = configuration.settings
        settings.threads = threads
        let extractor = RadiomicsExtractor(settings: settings)
        let (nx, ny, nz) = (portal.nx, portal.ny, portal.nz)
        guard lesionNumber.count == portal.voxels.count else {
            throw RadiomicsError.invalid("\(lesionNumber.count) lesion labels for \(portal.voxels.count) voxels")
        }
        var boxes: [Int: (lo: SIMD3<Int>, hi: SIMD3<Int>)] = [:]
        for n in lesionNumber.indices where lesionNumber[n] != 0 {
            let p = SIMD3(n % nx, (n / nx) % ny, n / (nx * ny)), label = Int(lesionNumber[n])
            let box = boxes[label] ?? (p, p)
            boxes[label] = (pointwiseMin(box.lo, p), pointwiseMax(box.hi, p))
        }
        var lesions: [Lesion] = []
        for label in boxes.keys.sorted() {
            let box = boxes[label]!
            let lo = pointwiseMax(box.lo &- Self.margin, .zero), hi = pointwiseMin(box.hi &+ Self.margin, SIMD3(nx - 1, ny - 1, nz - 1))
            var values: [Double] = [], mask: [Bool] = []
            for k in lo.z...hi.z { for j in lo.y...hi.y { for i in lo.x...hi.x {
                let n = (k * ny + j) * nx + i
                values.append(Double(portal.voxels[n]))
                mask.append(Int(lesionNumber[n]) == label)
            } } }
            let size = hi &- lo &+ 1
            let image = try configuration.prepare(try RadiomicsImage(nx: size.x, ny: size.y, nz: size.z, spacing: portal.spacing, values: values, mask: mask))
            var features: [String: Double] = [:]
            for f in try extractor.features(image) { features[f.aggregation.isEmpty ? f.tag : "\(f.tag) [\(f.aggregation)]"] = f.value }
            lesions.append(Lesion(number: label, features: features))
        }
        (self.configuration, self.phase, self.lesions) = (name, ContrastPhase.portalVenous.slug, lesions)
    }
}
