/// How intensities become grey levels for the texture and histogram families.
public enum Discretisation: Sendable, Equatable {
    /// The intensities already are grey levels (integers from 1), as in IBSI's digital phantom.
    case none
    /// `n` bins over the ROI's range: level = floor(n (x - min) / (max - min)) + 1, the maximum in bin n.
    case fixedBinNumber(Int)
    /// Bins of `width` from `lowerBound`: level = floor((x - lowerBound) / width) + 1.
    case fixedBinSize(width: Double, lowerBound: Double)
}

/// Computes IBSI features of a `RadiomicsImage`. Families done: local intensity, intensity statistics,
/// intensity histogram, intensity-volume histogram, GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM (all
/// aggregations). Not yet: morphology (mesh), and the preprocessing of configurations A-E
/// (interpolation, re-segmentation).
public struct RadiomicsExtractor: Sendable {
    /// The grey-level discretisation.
    public var discretisation: Discretisation

    /// An extractor with `discretisation`.
    public init(discretisation: Discretisation) { self.discretisation = discretisation }

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
            let (lo, hi) = (values.min()!, values.max()!)
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
    /// - Throws: `RadiomicsError.invalid` for bad settings.
    public func features(_ image: RadiomicsImage) throws -> [RadiomicsFeature] {
        let roi = image.values.indices.filter { image.mask[$0] }
        let values = roi.map { image.values[$0] }
        let (levels, count) = try self.levels(values)
        var grid = [Int32](repeating: 0, count: image.values.count)
        for (k, v) in roi.enumerated() { grid[v] = Int32(levels[k]) }
        let texture = TextureGrid(nx: image.nx, ny: image.ny, nz: image.nz, levels: grid, levelCount: count)
        var out = MorphologyFeatures.features(image)
        out += LocalIntensityFeatures.features(image)
        out += IntensityFeatures.statistics(values)
        out += IntensityFeatures.histogram(levels, levelCount: count)
        out += IntensityFeatures.volumeHistogram(levels.map(Double.init))
        out += CooccurrenceFeatures.features(texture)
        out += RunLengthFeatures.features(texture)
        out += ZoneFeatures.features(texture)
        out += NeighbourhoodFeatures.features(texture)
        return out
    }
}
