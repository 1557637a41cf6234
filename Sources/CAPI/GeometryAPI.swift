import CHepatix
import Hepatix

/// Stores a new geometry handle in `out` (checked for NULL before any work).
private func createGeometry(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
                            _ make: () throws -> ProjectionGeometry) -> hx_status {
    withContext(ctx) { _ in
        let out = try required(out, "out")
        out.pointee = makeHandle(GeometryBox(try make()))
    }
}

@c @implementation
public func hx_geometry_create_parallel2d(_ ctx: OpaquePointer?, _ views: Int64, _ bins: Int64, _ binPitch: Double,
                                          _ range: Double, _ start: Double,
                                          _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    createGeometry(ctx, out) {
        try .parallel2D(views: try count(views, "views", max: 1 << 22), bins: try count(bins, "bins", max: 1 << 20),
                        binPitch: try finite(binPitch, "bin_pitch"), range: try finite(range, "angular_range"),
                        start: try finite(start, "start_angle"))
    }
}

@c @implementation
public func hx_geometry_create_fan2d(_ ctx: OpaquePointer?, _ views: Int64, _ columns: Int64, _ pitch: Double,
                                     _ sourceIso: Double, _ sourceDet: Double, _ equiangular: Int32, _ range: Double,
                                     _ start: Double, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    createGeometry(ctx, out) {
        guard equiangular == 0 || equiangular == 1 else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "equiangular must be 0 or 1, got \(equiangular)")
        }
        return try .fan2D(views: try count(views, "views", max: 1 << 22), columns: try count(columns, "columns", max: 1 << 20),
                          columnPitch: try finite(pitch, "column_pitch"), sourceToIsocentre: try finite(sourceIso, "source_isocentre"),
                          sourceToDetector: try finite(sourceDet, "source_detector"), equiangular: equiangular == 1,
                          range: try finite(range, "angular_range"), start: try finite(start, "start_angle"))
    }
}

@c @implementation
public func hx_geometry_create_cone_circular(_ ctx: OpaquePointer?, _ views: Int64, _ columns: Int64, _ rows: Int64,
                                             _ columnPitch: Double, _ rowPitch: Double, _ sourceIso: Double,
                                             _ sourceDet: Double, _ range: Double, _ start: Double,
                                             _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    createGeometry(ctx, out) {
        try .coneBeamCircular(views: try count(views, "views", max: 1 << 22), columns: try count(columns, "columns", max: 1 << 20),
                              rows: try count(rows, "rows", max: 1 << 20), columnPitch: try finite(columnPitch, "column_pitch"),
                              rowPitch: try finite(rowPitch, "row_pitch"), sourceToIsocentre: try finite(sourceIso, "source_isocentre"),
                              sourceToDetector: try finite(sourceDet, "source_detector"), range: try finite(range, "angular_range"),
                              start: try finite(start, "start_angle"))
    }
}

@c @implementation
public func hx_geometry_create_vectors(_ ctx: OpaquePointer?, _ beam: hx_beam, _ views: Int64, _ columns: Int64,
                                       _ rows: Int64, _ values: UnsafePointer<Double>?, _ valueCount: Int,
                                       _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    createGeometry(ctx, out) {
        let n = try count(views, "views", max: 1 << 22)
        let values = try required(values, "values")
        guard valueCount == 16 * n else {
            throw BoundaryError(HX_ERR_SIZE_MISMATCH, "values holds \(valueCount) doubles, 16 per view x \(n) views = \(16 * n) expected")
        }
        let shape: BeamShape
        switch beam {
        case HX_BEAM_PARALLEL: shape = .parallel
        case HX_BEAM_DIVERGENT: shape = .divergent
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown beam \(beam.rawValue)")
        }
        func vec(_ base: Int) -> SIMD3<Double> { SIMD3(values[base], values[base + 1], values[base + 2]) }
        let list = (0..<n).map { k in
            let b = 16 * k
            return ProjectionView(source: vec(b), rayDirection: vec(b + 3), detectorCentre: vec(b + 6),
                                  detectorU: vec(b + 9), detectorV: vec(b + 12), angle: values[b + 15])
        }
        return try ProjectionGeometry(beam: shape, columns: try count(columns, "columns", max: 1 << 20),
                                      rows: try count(rows, "rows", max: 1 << 20), views: list)
    }
}

@c @implementation
public func hx_geometry_views(_ g: OpaquePointer?) -> Int64 {
    g.map { Int64(object($0, as: GeometryBox.self).value.views.count) } ?? 0
}

@c @implementation
public func hx_geometry_columns(_ g: OpaquePointer?) -> Int64 {
    g.map { Int64(object($0, as: GeometryBox.self).value.columns) } ?? 0
}

@c @implementation
public func hx_geometry_rows(_ g: OpaquePointer?) -> Int64 {
    g.map { Int64(object($0, as: GeometryBox.self).value.rows) } ?? 0
}

@c @implementation
public func hx_geometry_destroy(_ g: OpaquePointer?) { releaseHandle(g, as: GeometryBox.self) }
