import Foundation

extension ProjectionGeometry {
    /// Checks that every view's detector covers the grid's inscribed circle (radius min(nx·dx, ny·dy)/2
    /// about the grid centre, 64 points, middle slice) across its columns, and for cone beams the grid's
    /// axis from the first to the last slice across its rows, so that FBP never silently reconstructs
    /// truncated projections. (The rims of the top and bottom slices near the source are outside any
    /// circular cone beam; that is FDK's known data insufficiency, not truncation, and is allowed.)
    /// - Throws: `GeometryError.unsupported` naming the first view and the covered radius.
    public func checkCoverage(of grid: VolumeGrid) throws {
        let radius = min(Double(grid.nx) * grid.spacing.x, Double(grid.ny) * grid.spacing.y) / 2
        let (cj, ci, ck) = (Double(grid.nx - 1) / 2, Double(grid.ny - 1) / 2, Double(grid.nz - 1) / 2)
        for k in views.indices {
            let m = try mapping(view: k, grid: grid)
            for step in 0..<64 {
                let angle = Double(step) * 2 * .pi / 64
                let p = m.map(j: cj + radius * cos(angle) / grid.spacing.x, i: ci + radius * sin(angle) / grid.spacing.y, k: ck)
                guard p.u >= -0.5 && p.u <= Double(columns) - 0.5 else {
                    throw GeometryError.unsupported(String(format: "view %d: the detector columns do not cover the grid's field of view (radius %.1f mm); enlarge the detector or shrink the grid", k, radius))
                }
            }
            guard !is2D else { continue }
            for kz in [-0.5, Double(grid.nz) - 0.5] {
                let v = m.map(j: cj, i: ci, k: kz).v
                guard v >= -0.5 && v <= Double(rows) - 0.5 else {
                    throw GeometryError.unsupported(String(format: "view %d: the detector rows do not cover the grid's slices (%.1f mm tall on the axis); enlarge the detector or shrink the grid", k, Double(grid.nz) * grid.spacing.z))
                }
            }
        }
    }
}
