/// One projection of a scan, described by vectors in the scanner frame (millimetres), the way
/// ASTRA's `*_vec` geometries do: every beam shape (parallel, fan, cone, helical) reduces to this.
///
/// A detector pixel `(row, col)` sits at
/// `detectorCentre + (col - (columns-1)/2) * detectorU + (row - (rows-1)/2) * detectorV`.
/// `detectorU` and `detectorV` have the length of the pixel pitch and must be orthogonal.
public struct ProjectionView: Sendable, Equatable {
    /// X-ray source position (divergent beams). Unused for parallel beams.
    public var source: SIMD3<Double>
    /// Unit direction of the rays (parallel beams) or of the central ray (divergent beams).
    public var rayDirection: SIMD3<Double>
    /// Centre of the detector (the point between the middle columns and rows).
    public var detectorCentre: SIMD3<Double>
    /// Step from one detector column to the next; its length is the column pitch.
    public var detectorU: SIMD3<Double>
    /// Step from one detector row to the next; its length is the row pitch (2D: any unit vector along z).
    public var detectorV: SIMD3<Double>
    /// Gantry angle of this view in radians; used for angular integration weights and Parker weights.
    public var angle: Double

    /// Creates a view from its vectors (millimetres, radians).
    public init(source: SIMD3<Double>, rayDirection: SIMD3<Double>, detectorCentre: SIMD3<Double>,
                detectorU: SIMD3<Double>, detectorV: SIMD3<Double>, angle: Double) {
        self.source = source
        self.rayDirection = rayDirection
        self.detectorCentre = detectorCentre
        self.detectorU = detectorU
        self.detectorV = detectorV
        self.angle = angle
    }
}

/// Dot product of two 3-vectors.
@inlinable func dot3(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }

/// Euclidean length of a 3-vector.
@inlinable func length3(_ a: SIMD3<Double>) -> Double { dot3(a, a).squareRoot() }

/// Cross product of two 3-vectors.
@inlinable func cross3(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
