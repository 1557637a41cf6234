/// The projective map of one view from voxel indices to detector indices:
/// for `p = (j, i, k, 1)`, the detector column is `u·p / w·p`, the row is `v·p / w·p`, and `w·p` is the
/// depth of the voxel along the detector normal divided by the source–isocentre distance (1 for
/// parallel beams). FDK weights each voxel's contribution by `1 / (w·p)²`.
public struct DetectorMapping: Sendable, Equatable {
    /// Coefficients of column × depth over `(j, i, k, 1)`.
    public var u: SIMD4<Double>
    /// Coefficients of row × depth over `(j, i, k, 1)`.
    public var v: SIMD4<Double>
    /// Coefficients of the normalised depth over `(j, i, k, 1)`.
    public var w: SIMD4<Double>

    /// Detector column, row and depth of voxel `(j, i, k)`.
    @inlinable public func map(j: Double, i: Double, k: Double) -> (u: Double, v: Double, w: Double) {
        let p = SIMD4(j, i, k, 1)
        let d = (w * p).sum()
        return ((u * p).sum() / d, (v * p).sum() / d, d)
    }
}

/// Per-view quantities that filtering needs besides the map.
public struct ViewFilterParameters: Sendable, Equatable {
    /// Source–detector distance along the detector normal (mm); 0 for parallel beams.
    public var sourceToDetector: Double
    /// Source–isocentre distance along the detector normal (mm); 0 for parallel beams.
    public var sourceToIsocentre: Double
    /// Principal point (foot of the normal from the source) in detector index coordinates.
    public var principalColumn: Double, principalRow: Double
    /// Ramp-filter sample spacing in mm at the isocentre: column pitch × R / D (parallel: the pitch).
    public var rampSpacing: Double
}

extension ProjectionGeometry {
    /// The projective map of view `k` for voxels of `grid`.
    /// - Throws: `GeometryError.unsupported` when the origin is not in front of the source.
    public func mapping(view k: Int, grid: VolumeGrid) throws -> DetectorMapping {
        let v = views[k]
        let pu = length3(v.detectorU), pv = length3(v.detectorV)
        let eu = v.detectorU / pu, ev = v.detectorV / pv
        var n = cross3(eu, ev)
        let (cu, cv) = (Double(columns - 1) / 2, Double(rows - 1) / 2)
        // Physical point X(j,i,k) = x0 + j*ax + i*ay + k*az.
        let x0 = grid.position(i: 0, j: 0, k: 0)
        let ax = SIMD3(grid.spacing.x, 0, 0), ay = SIMD3(0, grid.spacing.y, 0), az = SIMD3(0, 0, grid.spacing.z)
        func indexRow(_ a: SIMD3<Double>, _ c: Double) -> SIMD4<Double> {
            SIMD4(dot3(a, ax), dot3(a, ay), dot3(a, az), dot3(a, x0) + c)
        }
        switch beam {
        case .parallel:
            let d = v.rayDirection
            let dn = dot3(d, n)
            let a = (eu - n * (dot3(d, eu) / dn)) / pu
            let b = (ev - n * (dot3(d, ev) / dn)) / pv
            return DetectorMapping(u: indexRow(a, cu - dot3(a, v.detectorCentre)),
                                   v: indexRow(b, cv - dot3(b, v.detectorCentre)),
                                   w: SIMD4(0, 0, 0, 1))
        case .divergent:
            if dot3(v.detectorCentre - v.source, n) < 0 { n = -n }
            let s = v.source
            let dsd = dot3(v.detectorCentre - s, n)
            let r = -dot3(s, n)
            guard r > 1e-6 else {
                throw GeometryError.unsupported("view \(k): the isocentre is not in front of the source")
            }
            // w = (X - S)·n / R ; u·w = ((S - C)·eu/pu + cu) w + (D/(R pu)) (X - S)·eu
            let wRow = indexRow(n / r, -dot3(s, n) / r)
            let uRow = indexRow(eu * (dsd / (r * pu)), -dot3(s, eu) * dsd / (r * pu)) + wRow * (dot3(s - v.detectorCentre, eu) / pu + cu)
            let vRow = indexRow(ev * (dsd / (r * pv)), -dot3(s, ev) * dsd / (r * pv)) + wRow * (dot3(s - v.detectorCentre, ev) / pv + cv)
            return DetectorMapping(u: uRow, v: vRow, w: wRow)
        }
    }

    /// Filtering parameters of view `k`.
    public func filterParameters(view k: Int) -> ViewFilterParameters {
        let v = views[k]
        let pu = length3(v.detectorU), pv = length3(v.detectorV)
        let eu = v.detectorU / pu, ev = v.detectorV / pv
        switch beam {
        case .parallel:
            return ViewFilterParameters(sourceToDetector: 0, sourceToIsocentre: 0, principalColumn: Double(columns - 1) / 2,
                                        principalRow: Double(rows - 1) / 2, rampSpacing: pu)
        case .divergent:
            var n = cross3(eu, ev)
            if dot3(v.detectorCentre - v.source, n) < 0 { n = -n }
            let dsd = dot3(v.detectorCentre - v.source, n)
            let r = max(-dot3(v.source, n), 1e-6)
            let foot = v.source + n * dsd - v.detectorCentre
            return ViewFilterParameters(sourceToDetector: dsd, sourceToIsocentre: r,
                                        principalColumn: dot3(foot, eu) / pu + Double(columns - 1) / 2,
                                        principalRow: dot3(foot, ev) / pv + Double(rows - 1) / 2,
                                        rampSpacing: pu * r / dsd)
        }
    }
}
