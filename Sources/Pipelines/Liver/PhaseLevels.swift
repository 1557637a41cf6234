/// The liver parenchyma's level (median HU) and noise (robust SD) in each registered phase, measured on
/// the liver mask; lesions and vessels are a minority there and do not move the median.
public struct PhaseLevels: Sendable, Codable {
    /// Median HU per phase (`ContrastPhase.index` lanes; NaN where the phase is missing).
    public var median = SIMD4<Double>(repeating: .nan)
    /// 1.4826 × median absolute deviation per phase.
    public var spread = SIMD4<Double>(repeating: .nan)

    /// Levels of `phases` inside `liver`.
    public init(_ phases: [ContrastPhase: [Float]], liver: [Bool]) {
        for (phase, values) in phases {
            let inside = zip(values, liver).compactMap { $1 ? Double($0) : nil }
            let m = LiverSegmenter.median(inside)
            median[phase.index] = m
            spread[phase.index] = 1.4826 * LiverSegmenter.median(inside.map { abs($0 - m) })
        }
    }

    /// The level of `phase` (NaN if missing).
    public subscript(phase: ContrastPhase) -> Double { median[phase.index] }
}
