import Foundation

/// The per-sample weights applied before ramp filtering: FDK's cosine weight
/// `D / sqrt(D² + u² + v²)` (u, v measured from the principal point, divergent beams only),
/// Parker's short-scan weight, and the view's angular weight divided by the ramp sample spacing.
public struct DetectorPreweighting: Sendable {
    let geometry: ProjectionGeometry
    let angular: AngularWeights
    let parameters: [ViewFilterParameters]
    /// Cosine weights `[row][column]` shared by all views when they share one detector pose relative
    /// to the source (circular orbits); nil otherwise (computed per sample).
    let sharedCosine: [Float]?

    /// Prepares the weights for a flat-detector `geometry`.
    /// - Throws: `GeometryError` from `AngularWeights` (non-monotone angles, too short a scan).
    public init(geometry: ProjectionGeometry) throws {
        self.geometry = geometry
        let parameters = (0..<geometry.views.count).map { geometry.filterParameters(view: $0) }
        self.parameters = parameters
        var maxFan = 0.0
        if geometry.beam == .divergent {
            for (k, p) in parameters.enumerated() {
                let pitch = length3(geometry.views[k].detectorU)
                for edge in [-0.5, Double(geometry.columns) - 0.5] {
                    maxFan = max(maxFan, abs(atan((edge - p.principalColumn) * pitch / p.sourceToDetector)))
                }
            }
        }
        angular = try AngularWeights(geometry: geometry, maxFanAngle: maxFan)
        let first = parameters[0]
        let pitches = geometry.views.map { (length3($0.detectorU), length3($0.detectorV)) }
        let shared = geometry.beam == .divergent && parameters.indices.allSatisfy { k in
            let p = parameters[k]
            return abs(p.sourceToDetector - first.sourceToDetector) < 1e-9 * first.sourceToDetector
                && abs(p.principalColumn - first.principalColumn) < 1e-9 && abs(p.principalRow - first.principalRow) < 1e-9
                && abs(pitches[k].0 - pitches[0].0) < 1e-12 && abs(pitches[k].1 - pitches[0].1) < 1e-12
        }
        sharedCosine = shared ? Self.cosineTable(geometry: geometry, view: 0, parameters: first) : nil
    }

    static func cosine(_ p: ViewFilterParameters, du: Double, dv: Double, column: Int, row: Int) -> Double {
        let u = (Double(column) - p.principalColumn) * du, v = (Double(row) - p.principalRow) * dv
        let d = p.sourceToDetector
        return d / (d * d + u * u + v * v).squareRoot()
    }

    static func cosineTable(geometry: ProjectionGeometry, view: Int, parameters p: ViewFilterParameters) -> [Float] {
        let du = length3(geometry.views[view].detectorU), dv = geometry.is2D ? 0 : length3(geometry.views[view].detectorV)
        var table = [Float](repeating: 0, count: geometry.rows * geometry.columns)
        for r in 0..<geometry.rows {
            for c in 0..<geometry.columns {
                table[r * geometry.columns + c] = Float(cosine(p, du: du, dv: dv, column: c, row: r))
            }
        }
        return table
    }

    /// Copies row `row` of view `view` from `source` into `target`, weighted, and returns whether
    /// every sample was finite.
    public func weightRow(view: Int, row: Int, source: UnsafePointer<Float>, target: UnsafeMutablePointer<Float>) -> Bool {
        let p = parameters[view]
        let columns = geometry.columns
        let scale = Float(angular.viewWeight[view] / p.rampSpacing)
        // Largest exponent field seen: 255 means NaN or infinity. An integer max vectorises, unlike a
        // floating-point running sum.
        var exponent: UInt32 = 0
        switch geometry.beam {
        case .parallel:
            for c in 0..<columns {
                let x = source[c]
                exponent = max(exponent, (x.bitPattern >> 23) & 0xFF)
                target[c] = x * scale
            }
        case .divergent where !angular.isShortScan && sharedCosine != nil:
            // Circular orbits: one precomputed cosine row, single precision (vectorises).
            sharedCosine!.withUnsafeBufferPointer { table in
                let weights = table.baseAddress! + row * columns
                for c in 0..<columns {
                    let x = source[c]
                    exponent = max(exponent, (x.bitPattern >> 23) & 0xFF)
                    target[c] = x * weights[c] * scale
                }
            }
        case .divergent:
            let du = length3(geometry.views[view].detectorU), dv = geometry.is2D ? 0 : length3(geometry.views[view].detectorV)
            for c in 0..<columns {
                let x = source[c]
                exponent = max(exponent, (x.bitPattern >> 23) & 0xFF)
                var w = sharedCosine.map { Double($0[row * columns + c]) } ?? Self.cosine(p, du: du, dv: dv, column: c, row: row)
                if angular.isShortScan {
                    w *= angular.parker(view: view, gamma: atan((Double(c) - p.principalColumn) * du / p.sourceToDetector))
                }
                target[c] = x * Float(w) * scale
            }
        }
        return exponent < 0xFF
    }
}
