import Foundation
import HepatixKernels

/// How intensities become grey levels for the texture and histogram families.
public enum Discretisation: Sendable, Equatable {
    /// The intensities already are grey levels (integers from 1), as in IBSI's digital phantom.
    case none
    /// `n` bins over the ROI's range: level = floor(n (x - min) / (max - min)) + 1, the maximum in bin n.
    case fixedBinNumber(Int)
    /// Bins of `width` from `lowerBound`: level = floor((x - lowerBound) / width) + 1.
    case fixedBinSize(width: Double, lowerBound: Double)
}

/// How the intensity-volume histogram reads intensities.
public enum VolumeHistogramBinning: Sendable, Equatable {
    /// The texture discretisation's grey levels, step 1 (IBSI's digital phantom).
    case textureLevels
    /// The intensities themselves, in steps of `step` (discrete data such as integer HU).
    case intensities(step: Double)
    /// Fixed bin size `width` from the re-segmentation range's lower bound (ROI minimum without one).
    case fixedBinSize(Double)
    /// `n` bins over the ROI's range.
    case fixedBinNumber(Int)
}

/// IBSI processing settings (one of configurations A-E, or the digital phantom's).
public struct RadiomicsSettings: Sendable, Equatable {
    /// Grey levels for the texture and intensity-histogram families.
    public var discretisation: Discretisation
    /// Intensity-volume histogram binning. Default `.textureLevels`.
    public var volumeHistogram = VolumeHistogramBinning.textureLevels
    /// Re-segmentation: keep ROI voxels with intensities in this range (nil: no range).
    public var range: ClosedRange<Double>? = nil
    /// Re-segmentation: keep ROI voxels within this many standard deviations of the ROI mean (nil: off).
    /// Combined with `range` as the intersection.
    public var outlierSigma: Double? = nil
    /// Worker threads (feature families run in parallel); 0 means one per core. Results are
    /// bit-identical for every count.
    public var threads = 0

    /// Settings with `discretisation` and nothing else.
    public init(discretisation: Discretisation) { self.discretisation = discretisation }
}

/// Computes IBSI features of a `RadiomicsImage`: morphology, local intensity, intensity statistics,
/// intensity histogram, intensity-volume histogram, GLCM, GLRLM (six aggregations), GLSZM, GLDZM,
/// NGTDM, NGLDM (2D / 2.5D / 3D). The image's mask is the morphological mask; re-segmentation derives
/// the intensity mask from it. Interpolation is a separate step before this one
/// (`RadiomicsImage.resampled`, which `IBSIConfiguration` applies for configurations B-E).
public struct RadiomicsExtractor: Sendable {
    /// The processing settings.
    public var settings: RadiomicsSettings
    /// Shorthand for `settings.discretisation`.
    public var discretisation: Discretisation { settings.discretisation }

    /// An extractor with `discretisation` and no re-segmentation.
    public init(discretisation: Discretisation) { settings = RadiomicsSettings(discretisation: discretisation) }

    /// An extractor with full settings.
    public init(settings: RadiomicsSettings) { self.settings = settings }

    /// The intensity mask: the ROI after re-segmentation by range and outliers.
    func intensityMask(_ image: RadiomicsImage) throws -> [Bool] {
        var mask = image.mask
        if let r = settings.range { for v in mask.indices where mask[v] && !r.contains(image.values[v]) { mask[v] = false } }
        if let k = settings.outlierSigma {
            let x = image.roiValues, n = Double(x.count)
            let mean = x.reduce(0, +) / n, sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
            for v in mask.indices where mask[v] && abs(image.values[v] - mean) > k * sd { mask[v] = false }
        }
        guard mask.contains(true) else { throw RadiomicsError.invalid("re-segmentation left no ROI voxel") }
        return mask
    }

    /// Grey levels of the ROI voxels (in voxel order) and the level count.
    /// - Throws: `RadiomicsError.invalid` for bad bin settings or, with `.none`, non-integer or < 1 values.
    func levels(_ values: [Double]) throws -> (levels: [Int], count: Int) {
        switch discretisation {
        case .none:
            guard values.allSatisfy({ $0 >= 1 && $0 == $0.rounded() && $0 < 1e6 }) else {
                throw RadiomicsError.invalid("without discretisation the ROI intensities must be integers from 1")
            }
            let l = values.map { Int($0) }
            return (l, l.max()!)
        case .fixedBinNumber(let n):
            guard n >= 1 && n <= 1 << 16 else { throw RadiomicsError.invalid("bin number must be 1...65536, got \(n)") }
            let (lo, hi) = (values.min()!, values.max()!)   // IBSI: the intensity mask's range
            guard hi > lo else { return (values.map { _ in 1 }, 1) }
            return (values.map { min(n, Int((Double(n) * ($0 - lo) / (hi - lo)).rounded(.down)) + 1) }, n)
        case .fixedBinSize(let width, let lower):
            guard width > 0, width.isFinite, lower.isFinite else { throw RadiomicsError.invalid("bin width must be positive, got \(width)") }
            let l = values.map { Int((($0 - lower) / width).rounded(.down)) + 1 }
            guard l.allSatisfy({ $0 >= 1 }), l.max()! <= 1 << 16 else {
                throw RadiomicsError.invalid("ROI intensities below the lower bound or too many bins")
            }
            return (l, l.max()!)
        }
    }

    /// Every implemented feature of `image`.
    /// - Throws: `RadiomicsError.invalid` for bad settings or an ROI that re-segmentation empties.
    public func features(_ whole: RadiomicsImage) throws -> [RadiomicsFeature] {
        // Work on the ROI's box plus the local-intensity sphere's reach (6.2 mm) and one voxel.
        let reach = SIMD3(Int((6.21 / whole.spacing.x).rounded(.up)), Int((6.21 / whole.spacing.y).rounded(.up)),
                          Int((6.21 / whole.spacing.z).rounded(.up))) &+ 1
        let image = try whole.croppedToROI(margin: reach)
        let intensity = try intensityMask(image)
        var roi: [Int] = []
        intensity.withUnsafeBufferPointer { m in for i in m.indices where m[i] { roi.append(i) } }
        let values = image.values.withUnsafeBufferPointer { v in roi.map { v[$0] } }
        let (levels, count) = try self.levels(values)
        let texture = TextureGrid(nx: image.nx, ny: image.ny, nz: image.nz, roi: roi, levels: levels, levelCount: count, morphological: image.mask)
        let masked = try RadiomicsImage(nx: image.nx, ny: image.ny, nz: image.nz, spacing: image.spacing, values: image.values, mask: intensity)
        try checkVolumeHistogramSettings()
        // Families run as independent work items, each computed whole by one worker and stored in its own
        // slot, then joined in output order: the bits do not depend on the thread count. Items are handed
        // out longest first (liver ROI timings) so two workers finish close together.
        let threads = settings.threads
        let families: [(slot: Int, run: @Sendable () -> [RadiomicsFeature])] = [
            (1, { MorphologyFeatures.autocorrelationFeatures(masked, threads: threads) }),
            (0, { MorphologyFeatures.shapeFeatures(image, intensity: masked) }),
            (6, { ZoneFeatures.features(texture) }),
            (2, { LocalIntensityFeatures.features(masked) }),
            (5, { RunLengthFeatures.features(texture) }),
            (7, { NeighbourhoodFeatures.features(texture) }),
            (3, { [self] in
                let sorted = RadixSort.sorted(values)
                return IntensityFeatures.statistics(sorted: sorted) + IntensityFeatures.histogram(levels, levelCount: count)
                    + volumeHistogram(sorted: sorted, levels: levels, levelCount: count)
            }),
            (4, { CooccurrenceFeatures.features(texture) }),
        ]
        let results = FamilyResults(count: families.count)
        WorkerPool(threads: threads).forEach(items: families.count) { _, k in
            results.store(families[k].run(), at: families[k].slot)
        }
        return results.joined()
    }

    /// The IVH of the intensity-mask voxels (`sorted`: their intensities ascending; `levels`: their grey
    /// levels) under `settings.volumeHistogram`; the fractions run over the re-segmentation range when
    /// there is one, else over the ROI's. Every binning is monotone, so binned sorted values stay sorted.
    func volumeHistogram(sorted: [Double], levels: [Int], levelCount: Int) -> [RadiomicsFeature] {
        switch settings.volumeHistogram {
        case .textureLevels:
            var counts = [Double](repeating: 0, count: levelCount + 1)
            for l in levels { counts[l] += 1 }
            return IntensityFeatures.volumeHistogram(sorted: IntensityFeatures.sortedLevels(counts))
        case .intensities(let step):
            return IntensityFeatures.volumeHistogram(sorted: sorted, step: step, range: settings.range)
        case .fixedBinSize(let width):
            // Each voxel stands at its bin's centre; the intensity range runs between the centres of the bins
            // holding the re-segmentation bounds (the ROI's extremes without a range).
            let lower = settings.range?.lowerBound ?? sorted.first!
            func centre(_ x: Double) -> Double { lower + (((x - lower) / width).rounded(.down) + 0.5) * width }
            let top = settings.range?.upperBound ?? sorted.last!
            return IntensityFeatures.volumeHistogram(sorted: sorted.map(centre), step: width, range: centre(lower)...centre(top))
        case .fixedBinNumber(let n):
            // Checked by `checkVolumeHistogramSettings`, so binning cannot fail here.
            let binned = (try? RadiomicsExtractor(discretisation: .fixedBinNumber(n)).levels(sorted).levels.map(Double.init)) ?? []
            return IntensityFeatures.volumeHistogram(sorted: binned)
        }
    }

    /// Refuses IVH settings that cannot bin: a non-positive or non-finite step or width, a bin number
    /// outside 1...65536.
    func checkVolumeHistogramSettings() throws {
        switch settings.volumeHistogram {
        case .textureLevels: return
        case .intensities(let w), .fixedBinSize(let w):
            guard w > 0, w.isFinite else { throw RadiomicsError.invalid("intensity-volume histogram step must be positive, got \(w)") }
        case .fixedBinNumber(let n):
            guard n >= 1 && n <= 1 << 16 else { throw RadiomicsError.invalid("IVH bin number must be 1...65536, got \(n)") }
        }
    }
}

/// One slot per feature family, written by exactly one worker each.
private final class FamilyResults: @unchecked Sendable {
    private var slots: [[RadiomicsFeature]]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: [], count: count) }

    func store(_ rows: [RadiomicsFeature], at k: Int) { lock.withLock { slots[k] = rows } }

    func joined() -> [RadiomicsFeature] { lock.withLock { slots.flatMap { $0 } } }
}
