/// The shape of the X-ray beam.
public enum BeamShape: String, Sendable, Equatable {
    /// Parallel rays (synchrotron, rebinned data): `ProjectionView.source` is unused.
    case parallel
    /// Rays from a point source: fan beam (2D) or cone beam (3D).
    case divergent
}

/// The shape of the detector.
public enum DetectorShape: Sendable, Equatable {
    /// A flat panel: pixels on the plane spanned by `detectorU` and `detectorV`.
    case flat
    /// An equiangular (cylindrical) fan detector centred on the source: column `c` lies at fan angle
    /// `(c - (columns-1)/2) * angularPitch` radians; `detectorU` is the tangent at the centre.
    case equiangular(angularPitch: Double)
}

/// A complete scan geometry: detector size and one `ProjectionView` per projection.
///
/// Build it with a constructor (`parallel2D`, `fan2D`, `coneBeamCircular`) or from explicit vectors
/// with `init(beam:detector:columns:rows:views:)`, which validates everything.
public struct ProjectionGeometry: Sendable, Equatable {
    /// Parallel or divergent.
    public let beam: BeamShape
    /// Flat or equiangular.
    public let detector: DetectorShape
    /// Detector columns (along `detectorU`).
    public let columns: Int
    /// Detector rows (along `detectorV`); 1 for a 2D (single-slice) geometry.
    public let rows: Int
    /// One entry per projection, in acquisition order.
    public let views: [ProjectionView]

    /// True for single-row (2D) geometries.
    public var is2D: Bool { rows == 1 }

    /// Validates and stores a vector geometry.
    /// - Throws: `GeometryError` for zero views, fewer than 2 columns, non-finite or degenerate vectors,
    ///   non-orthogonal detector axes, or an equiangular detector on a parallel beam.
    public init(beam: BeamShape, detector: DetectorShape = .flat, columns: Int, rows: Int,
                views: [ProjectionView]) throws {
        try require(!views.isEmpty, "a geometry needs at least one view, got 0")
        try require(columns >= 2 && columns <= 1 << 20, "detector needs 2 to 1048576 columns, got \(columns)")
        try require(rows >= 1 && rows <= 1 << 20, "detector needs 1 to 1048576 rows, got \(rows)")
        try require(views.count <= 1 << 22, "at most 4194304 views are supported, got \(views.count)")
        if case .equiangular(let pitch) = detector {
            try require(beam == .divergent, "an equiangular detector needs a divergent (fan) beam")
            try require(rows == 1, "equiangular detectors are supported for 2D fan beams only")
            try require(pitch.isFinite && pitch > 0 && pitch * Double(columns) < .pi,
                        "equiangular pitch must be positive and the fan narrower than 180 degrees, got \(pitch) rad")
        }
        for (k, v) in views.enumerated() {
            let vectors = [v.source, v.rayDirection, v.detectorCentre, v.detectorU, v.detectorV]
            try require(vectors.allSatisfy(isFinite3) && v.angle.isFinite, "view \(k) has a non-finite vector or angle")
            let pu = length3(v.detectorU), pv = length3(v.detectorV)
            try require(pu > 1e-9 && pv > 1e-9, "view \(k): detector pitch must be positive")
            try require(abs(dot3(v.detectorU, v.detectorV)) <= 1e-6 * pu * pv,
                        "view \(k): detector u and v axes must be orthogonal")
            try require(abs(length3(v.rayDirection) - 1) < 1e-6, "view \(k): ray direction must be a unit vector")
            let normal = cross3(v.detectorU, v.detectorV) / (pu * pv)
            try require(abs(dot3(normal, v.rayDirection)) > 1e-3, "view \(k): rays run parallel to the detector")
            if beam == .divergent {
                try require(length3(v.detectorCentre - v.source) > 1e-6, "view \(k): detector centre coincides with the source")
            }
        }
        self.beam = beam
        self.detector = detector
        self.columns = columns
        self.rows = rows
        self.views = views
    }
}
