import CHepatix
import Hepatix

@c @implementation
public func hx_grid_create(_ ctx: OpaquePointer?, _ nx: Int64, _ ny: Int64, _ nz: Int64, _ sx: Double, _ sy: Double,
                           _ sz: Double, _ cx: Double, _ cy: Double, _ cz: Double,
                           _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in
        let out = try required(out, "out")
        let grid = try VolumeGrid(nx: try count(nx, "nx", max: 65536), ny: try count(ny, "ny", max: 65536),
                                  nz: try count(nz, "nz", max: 65536),
                                  spacing: SIMD3(try finite(sx, "spacing_x"), try finite(sy, "spacing_y"), try finite(sz, "spacing_z")),
                                  centre: SIMD3(try finite(cx, "centre_x"), try finite(cy, "centre_y"), try finite(cz, "centre_z")))
        out.pointee = makeHandle(GridBox(grid))
    }
}

@c @implementation
public func hx_grid_voxels(_ grid: OpaquePointer?) -> Int64 {
    grid.map { Int64(object($0, as: GridBox.self).value.count) } ?? 0
}

@c @implementation
public func hx_grid_destroy(_ grid: OpaquePointer?) { releaseHandle(grid, as: GridBox.self) }
