import Foundation

extension ProjectionGeometry {
    /// The ray measured by detector pixel (`row`, `column`) of view `view`: a point on it and its unit
    /// direction (from the source for divergent beams). Used by analytic simulators and tests.
    public func ray(view k: Int, row: Double, column: Double) -> (origin: SIMD3<Double>, direction: SIMD3<Double>) {
        let v = views[k]
        let dc = column - Double(columns - 1) / 2, dr = row - Double(rows - 1) / 2
        let pixel: SIMD3<Double>
        switch detector {
        case .flat:
            pixel = v.detectorCentre + v.detectorU * dc + v.detectorV * dr
        case .equiangular(let pitch):
            let toCentre = v.detectorCentre - v.source
            let radius = length3(toCentre)
            let axis = toCentre / radius
            let tangent = v.detectorU / length3(v.detectorU)
            let gamma = dc * pitch
            pixel = v.source + (axis * cos(gamma) + tangent * sin(gamma)) * radius + v.detectorV * dr
        }
        switch beam {
        case .parallel: return (pixel, v.rayDirection)
        case .divergent:
            let d = pixel - v.source
            return (v.source, d / length3(d))
        }
    }
}
