import Foundation

/// IBSI intensity-based statistics (UHIW), intensity histogram (ZVCW) and intensity-volume histogram
/// (P88C) features.
enum IntensityFeatures {
    static let statisticsNames: FeatureNames = [
        ("stat.mean", "Q4LE"), ("stat.var", "ECT3"), ("stat.skew", "KE2A"), ("stat.kurt", "IPH6"), ("stat.median", "Y12H"),
        ("stat.min", "1GSF"), ("stat.P10", "QG58"), ("stat.P90", "8DWT"), ("stat.max", "84IY"), ("stat.iqr", "SALO"),
        ("stat.range", "2OJQ"), ("stat.mad", "4FUA"), ("stat.rmad", "1128"), ("stat.medad", "N72L"), ("stat.cov", "7TET"),
        ("stat.qcod", "9S40"), ("stat.energy", "N8CA"), ("stat.rms", "5ZWQ"),
    ]
    static let histogramNames: FeatureNames = [
        ("ih.mean", "X6K6"), ("ih.var", "CH89"), ("ih.skew", "88K1"), ("ih.kurt", "C3I7"), ("ih.median", "WIFQ"),
        ("ih.min", "1PR8"), ("ih.P10", "1PR8"), ("ih.P90", "GPMT"), ("ih.max", "3NCY"), ("ih.mode", "AMMC"),
        ("ih.iqr", "WR0O"), ("ih.range", "5Z3W"), ("ih.mad", "D2ZX"), ("ih.rmad", "WRZB"), ("ih.medad", "4RNL"),
        ("ih.cov", "CWYJ"), ("ih.qcod", "SLWD"), ("ih.entropy", "TLU2"), ("ih.uniformity", "BJ5W"), ("ih.max.grad", "12CE"),
        ("ih.max.grad.gl", "8E6O"), ("ih.min.grad", "VQB3"), ("ih.min.grad.gl", "RHQZ"),
    ]
    static let volumeHistogramNames: FeatureNames = [
        ("ivh.V10", "BC2M_10"), ("ivh.V90", "BC2M_90"), ("ivh.I10", "GBPN_10"), ("ivh.I90", "GBPN_90"),
        ("ivh.V10minusV90", "DDTU"), ("ivh.I10minusI90", "CNV2"),
    ]

    /// The moments and order statistics shared by both families, over `x` (sorted ascending).
    private static func summary(_ x: [Double]) -> [Double] {
        let n = Double(x.count)
        let mean = x.reduce(0, +) / n
        let m2 = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        var m3 = 0.0, m4 = 0.0
        for v in x {
            let d = v - mean, d2 = d * d
            m3 += d2 * d; m4 += d2 * d2
        }
        (m3, m4) = (m3 / n, m4 / n)
        let skew = m2 > 0 ? m3 / pow(m2, 1.5) : 0
        let kurt = m2 > 0 ? m4 / (m2 * m2) - 3 : 0
        let (p10, p25, median, p75, p90) = (percentile(x, 0.10), percentile(x, 0.25), percentile(x, 0.5), percentile(x, 0.75), percentile(x, 0.90))
        let robust = x.filter { $0 >= p10 && $0 <= p90 }
        let robustMean = robust.reduce(0, +) / Double(robust.count)
        return [mean, m2, skew, kurt, median, x.first!, p10, p90, x.last!, p75 - p25, x.last! - x.first!,
                x.reduce(0) { $0 + abs($1 - mean) } / n, robust.reduce(0) { $0 + abs($1 - robustMean) } / Double(robust.count),
                x.reduce(0) { $0 + abs($1 - median) } / n, m2.squareRoot() / mean, (p75 - p25) / (p75 + p25)]
    }

    /// Percentile by linear interpolation between order statistics (numpy's default), `x` sorted.
    static func percentile(_ x: [Double], _ q: Double) -> Double {
        let position = q * Double(x.count - 1)
        let low = Int(position.rounded(.down)), high = min(low + 1, x.count - 1)
        return x[low] + (x[high] - x[low]) * (position - Double(low))
    }

    /// Intensity-based statistics of the ROI intensities `x`, sorted ascending.
    static func statistics(sorted x: [Double]) -> [RadiomicsFeature] {
        let energy = x.reduce(0) { $0 + $1 * $1 }
        return rows(statisticsNames, summary(x) + [energy, (energy / Double(x.count)).squareRoot()])
    }

    /// Intensity histogram features of discretised levels `1 ... levelCount`.
    static func histogram(_ levels: [Int], levelCount: Int) -> [RadiomicsFeature] {
        var counts = [Double](repeating: 0, count: levelCount + 1)
        for l in levels { counts[l] += 1 }
        let x = sortedLevels(counts)
        let n = Double(levels.count)
        let mode = (1...levelCount).max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        let p = counts.map { $0 / n }
        let entropy = -p.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) }
        let uniformity = p.reduce(0) { $0 + $1 * $1 }
        // Gradient: forward difference at the first level, backward at the last, central elsewhere.
        let gradient = (1...levelCount).map { i -> Double in
            if levelCount == 1 { return 0 }
            if i == 1 { return counts[2] - counts[1] }
            if i == levelCount { return counts[i] - counts[i - 1] }
            return (counts[i + 1] - counts[i - 1]) / 2
        }
        let maxAt = gradient.indices.max { gradient[$0] < gradient[$1] || (gradient[$0] == gradient[$1] && $0 > $1) }!
        let minAt = gradient.indices.min { gradient[$0] < gradient[$1] || (gradient[$0] == gradient[$1] && $0 < $1) }!
        var s = summary(x)
        s.insert(Double(mode), at: 9)
        return rows(histogramNames, s + [entropy, uniformity, gradient[maxAt], Double(maxAt + 1), gradient[minAt], Double(minAt + 1)])
    }

    /// The levels `l` with multiplicities `counts[l]`, ascending, as intensities.
    static func sortedLevels(_ counts: [Double]) -> [Double] {
        counts.indices.flatMap { l in repeatElement(Double(l), count: Int(counts[l])) }
    }

    /// Intensity-volume histogram of discretised intensities `x` (sorted ascending; taken as the IVH
    /// intensities), over the ROI's range: V10/V90 the volume fractions at 10 % / 90 % of the intensity
    /// range, I10/I90 the lowest intensities whose volume fraction is at most 10 % / 90 %.
    static func volumeHistogram(sorted x: [Double], step: Double = 1, range: ClosedRange<Double>? = nil) -> [RadiomicsFeature] {
        let (lo, hi) = range.map { ($0.lowerBound, $0.upperBound) } ?? (x.first!, x.last!), n = Double(x.count)
        func fraction(atLeast i: Double) -> Double { Double(x.count - lowerBound(x, i)) / n }
        func volume(at f: Double) -> Double { fraction(atLeast: lo + f * (hi - lo)) }
        func intensity(at f: Double) -> Double {
            var i = lo
            while i <= hi + step / 2 {
                if fraction(atLeast: i) <= f { return i }
                i += step
            }
            return hi + step
        }
        let (v10, v90, i10, i90) = (volume(at: 0.1), volume(at: 0.9), intensity(at: 0.1), intensity(at: 0.9))
        return rows(volumeHistogramNames, [v10, v90, i10, i90, v10 - v90, i10 - i90])
    }

    /// Index of the first element of sorted `x` that is >= `v`.
    private static func lowerBound(_ x: [Double], _ v: Double) -> Int {
        var (lo, hi) = (0, x.count)
        while lo < hi {
            let mid = (lo + hi) / 2
            if x[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
