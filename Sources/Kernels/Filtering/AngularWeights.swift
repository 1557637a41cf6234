import Foundation

/// How each view enters the FBP angular integral: `Δβ_k` (trapezoid rule on the views' angles) times
/// a redundancy factor — 1/2 for a full 2π divergent scan (every ray measured twice), `π / coverage`
/// for parallel scans, and Parker weights (per view and column) for short divergent scans.
public struct AngularWeights: Sendable {
    /// `Δβ_k × redundancy` per view (radians).
    public let viewWeight: [Double]
    /// True when Parker weights must be applied per column (`parker(view:column:)`).
    public let isShortScan: Bool
    /// Angular coverage of the scan (radians), including one step.
    public let coverage: Double
    private let relativeAngle: [Double]
    private let orientation: Double
    private let delta: Double

    /// Computes the weights of `geometry` (`maxFanAngle` is the largest |γ| on the detector, radians).
    /// - Throws: `GeometryError.unsupported` for angles that do not increase or decrease monotonically,
    ///   or a divergent scan shorter than π + fan angle.
    public init(geometry: ProjectionGeometry, maxFanAngle: Double) throws {
        let angles = geometry.views.map(\.angle)
        let n = angles.count
        var steps: [Double] = []
        for k in 1..<max(n, 1) { steps.append(angles[k] - angles[k - 1]) }
        let sign: Double = (steps.first ?? 1) < 0 ? -1 : 1
        guard steps.allSatisfy({ $0 * sign > 0 }) else {
            throw GeometryError.unsupported("view angles must increase or decrease monotonically")
        }
        let meanStep = n > 1 ? abs(angles[n - 1] - angles[0]) / Double(n - 1) : Double.pi
        var delta = [Double](repeating: meanStep, count: n)
        if n > 2 {
            delta[0] = abs(steps[0]); delta[n - 1] = abs(steps[n - 2])
            for k in 1..<(n - 1) { delta[k] = abs(angles[k + 1] - angles[k - 1]) / 2 }
        }
        let coverage = abs(angles[n - 1] - angles[0]) + meanStep
        self.coverage = coverage
        relativeAngle = angles.map { abs($0 - angles[0]) }
        orientation = sign
        self.delta = (abs(angles[n - 1] - angles[0]) - .pi) / 2
        switch geometry.beam {
        case .parallel:
            isShortScan = false
            viewWeight = delta.map { $0 * .pi / max(coverage, .pi) }
        case .divergent:
            if coverage >= 2 * .pi - 0.5 * meanStep {
                isShortScan = false
                viewWeight = delta.map { $0 * .pi / coverage }
            } else {
                guard self.delta >= maxFanAngle - 1e-9 else {
                    let need = (Double.pi + 2 * maxFanAngle) * 180 / .pi
                    throw GeometryError.unsupported(String(format: "the scan covers %.1f degrees; a fan of %.1f degrees needs at least %.1f (short scan)",
                                                           coverage * 180 / .pi, 2 * maxFanAngle * 180 / .pi, need))
                }
                isShortScan = true
                viewWeight = delta
            }
        }
    }

    /// Parker's short-scan weight for view `k` and fan angle `gamma` (radians, positive along the
    /// detector u axis), smoothly down-weighting the doubly measured rays at both ends of the scan.
    /// Parker's γ counts positive against the direction of rotation, hence the sign flip; the other
    /// sign triples the interior error of the short-scan test (`FBPAccuracyTests.fanBeamShortScanParker`).
    public func parker(view k: Int, gamma: Double) -> Double {
        let b = relativeAngle[k]
        let g = -gamma * orientation
        let d = delta
        if b < 2 * (d - g) {
            let s = sin(.pi / 4 * b / (d - g)); return s * s
        }
        if b <= .pi - 2 * g { return 1 }
        if b <= .pi + 2 * d {
            let s = sin(.pi / 4 * (.pi + 2 * d - b) / (d + g)); return s * s
        }
        return 0
    }
}
