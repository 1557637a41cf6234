import Foundation

extension ProjectionGeometry {
    /// Evenly spaced gantry angles `start + k * range / count`.
    static func angles(count: Int, range: Double, start: Double) throws -> [Double] {
        try require(count >= 1, "a geometry needs at least one view, got \(count)")
        try require(range.isFinite && range > 0 && range <= 4 * .pi, "angular range must be in (0, 4 pi], got \(range)")
        try require(start.isFinite, "start angle must be finite")
        return (0..<count).map { start + Double($0) * range / Double(count) }
    }

    /// 2D parallel beam. View `k` at angle `θ_k = start + k * range / views` measures
    /// `p(θ, s) = ∫ f` over the line `x cos θ + y sin θ = s`; bin `m` sits at `s = (m - (bins-1)/2) * binPitch + offset`.
    ///
    /// Matches the W1 workload (`range = π`, `start = 0`).
    /// - Throws: `GeometryError` for non-positive counts or pitch.
    public static func parallel2D(views: Int, bins: Int, binPitch: Double, range: Double = .pi,
                                  start: Double = 0, detectorOffset: Double = 0) throws -> ProjectionGeometry {
        try parallel2D(angles: angles(count: views, range: range, start: start), bins: bins, binPitch: binPitch,
                       detectorOffset: detectorOffset)
    }

    /// 2D parallel beam at the given gantry angles (radians, any order or spacing, as measured data has
    /// them); otherwise as `parallel2D(views:bins:binPitch:range:start:detectorOffset:)`.
    /// - Throws: `GeometryError` for no angles, non-finite angles or a non-positive pitch.
    public static func parallel2D(angles: [Double], bins: Int, binPitch: Double, detectorOffset: Double = 0) throws -> ProjectionGeometry {
        try require(binPitch.isFinite && binPitch > 0, "bin pitch must be positive, got \(binPitch)")
        try require(detectorOffset.isFinite, "detector offset must be finite")
        try require(angles.allSatisfy(\.isFinite), "gantry angles must be finite")
        let views = angles.map { t -> ProjectionView in
            let eu = SIMD3(cos(t), sin(t), 0.0)
            return ProjectionView(source: .zero, rayDirection: SIMD3(-sin(t), cos(t), 0),
                                  detectorCentre: eu * detectorOffset, detectorU: eu * binPitch,
                                  detectorV: SIMD3(0, 0, 1), angle: t)
        }
        return try ProjectionGeometry(beam: .parallel, columns: bins, rows: 1, views: views)
    }

    /// 2D fan beam on a circular orbit. At angle `β` the source is `S = (R sin β, -R cos β)`, the central
    /// ray runs along `(-sin β, cos β)`, and the detector (flat, or equiangular arc about the source) lies
    /// at distance `sourceToDetector` with columns increasing along `(cos β, sin β)`.
    ///
    /// Matches the W2 workload (flat, `range = 2π`). For a flat detector `columnPitch` is in mm;
    /// for an equiangular one it is the arc length at distance `sourceToDetector` (mm).
    /// - Throws: `GeometryError` when distances are not `0 < R < D` or the fan does not fit.
    public static func fan2D(views: Int, columns: Int, columnPitch: Double, sourceToIsocentre: Double,
                             sourceToDetector: Double, equiangular: Bool = false, range: Double = 2 * .pi,
                             start: Double = 0, detectorOffset: Double = 0) throws -> ProjectionGeometry {
        let (r, d) = (sourceToIsocentre, sourceToDetector)
        try require(r.isFinite && d.isFinite && r > 0 && d > r, "need 0 < source-isocentre (\(r)) < source-detector (\(d)) mm")
        try require(columnPitch.isFinite && columnPitch > 0, "column pitch must be positive, got \(columnPitch)")
        try require(detectorOffset.isFinite, "detector offset must be finite")
        let list = try angles(count: views, range: range, start: start).map { b -> ProjectionView in
            let dir = SIMD3(-sin(b), cos(b), 0.0), eu = SIMD3(cos(b), sin(b), 0.0)
            let s = SIMD3(r * sin(b), -r * cos(b), 0)
            return ProjectionView(source: s, rayDirection: dir, detectorCentre: s + d * dir + eu * detectorOffset,
                                  detectorU: eu * columnPitch, detectorV: SIMD3(0, 0, 1), angle: b)
        }
        let shape: DetectorShape = equiangular ? .equiangular(angularPitch: columnPitch / d) : .flat
        return try ProjectionGeometry(beam: .divergent, detector: shape, columns: columns, rows: 1, views: list)
    }

    /// 3D cone beam, circular orbit about z, flat panel: source and `u` axis as in `fan2D`, rows along +z.
    /// Matches the W3 workload.
    /// - Throws: `GeometryError` when distances are not `0 < R < D` or pitches are not positive.
    public static func coneBeamCircular(views: Int, columns: Int, rows: Int, columnPitch: Double, rowPitch: Double,
                                        sourceToIsocentre: Double, sourceToDetector: Double, range: Double = 2 * .pi,
                                        start: Double = 0) throws -> ProjectionGeometry {
        let (r, d) = (sourceToIsocentre, sourceToDetector)
        try require(r.isFinite && d.isFinite && r > 0 && d > r, "need 0 < source-isocentre (\(r)) < source-detector (\(d)) mm")
        try require(columnPitch.isFinite && columnPitch > 0 && rowPitch.isFinite && rowPitch > 0,
                    "detector pitches must be positive, got \(columnPitch) x \(rowPitch)")
        try require(rows >= 2, "a cone-beam detector needs at least 2 rows, got \(rows)")
        let list = try angles(count: views, range: range, start: start).map { b -> ProjectionView in
            let dir = SIMD3(-sin(b), cos(b), 0.0), eu = SIMD3(cos(b), sin(b), 0.0)
            let s = SIMD3(r * sin(b), -r * cos(b), 0)
            return ProjectionView(source: s, rayDirection: dir, detectorCentre: s + d * dir,
                                  detectorU: eu * columnPitch, detectorV: SIMD3(0, 0, rowPitch), angle: b)
        }
        return try ProjectionGeometry(beam: .divergent, columns: columns, rows: rows, views: list)
    }
}
