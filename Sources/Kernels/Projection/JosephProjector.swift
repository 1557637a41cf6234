import Foundation

/// Ray-driven Joseph projector `A` and its exact adjoint `Aᵀ`, sharing one traversal (scalar reference).
///
/// For each detector pixel the ray (from `ProjectionGeometry.ray`) is sampled once per voxel plane
/// across its dominant axis, at the plane's voxel centres; the sample is the linear (2D) or bilinear
/// (3D) interpolation of the neighbouring voxels, weighted by the ray length per plane
/// (pitch / |cos| in mm). `forward` sums those weighted samples; `adjoint` spreads a ray value back with
/// the very same weights, so ⟨Ax, y⟩ = ⟨x, Aᵀy⟩ holds to rounding. Voxels outside the grid are zero.
///
/// Unlike `WeightedBackprojector` (FBP's weighted backprojection), this is a true adjoint pair for
/// iterative methods. Units: volume in 1/mm, projections are line integrals.
public final class JosephProjector: ProjectorPair, @unchecked Sendable {
    /// The scan and the volume grid.
    public let geometry: ProjectionGeometry
    public let grid: VolumeGrid

    /// Plans the pair.
    /// - Throws: `GeometryError.invalidParameter` when a 2D geometry meets a multi-slice grid.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid) throws {
        if geometry.is2D { try require(grid.nz == 1, "a 2D geometry projects a single slice, got nz = \(grid.nz)") }
        self.geometry = geometry
        self.grid = grid
    }

    /// Calls `visit(voxel, weight)` for every voxel the ray of pixel (`row`, `column`) of `view` touches.
    @inline(__always)
    func traverse(view: Int, row: Int, column: Int, _ visit: (Int, Double) -> Void) {
        let ray = geometry.ray(view: view, row: Double(row), column: Double(column))
        let origin0 = grid.position(i: 0, j: 0, k: 0)
        // Index space: voxel (j, i, k) at integer coordinates.
        let a = (ray.origin - origin0) / grid.spacing
        let b = ray.direction / grid.spacing
        let sizes = SIMD3(grid.nx, grid.ny, grid.nz)
        let strides = SIMD3(1, grid.nx, grid.nx * grid.ny)
        let ab = SIMD3(abs(b.x), abs(b.y), abs(b.z))
        // Dominant axis m and the other one (2D) or two (3D) axes.
        let m = grid.nz == 1 || ab.z < max(ab.x, ab.y) ? (ab.x >= ab.y ? 0 : 1) : 2
        guard ab[m] > 0 else { return }
        let o1 = m == 0 ? 1 : 0, o2 = m == 2 ? 1 : 2
        let step = 1 / ab[m]   // mm of ray per plane (|direction| = 1)
        @inline(__always) func inside(_ axis: Int, _ x: Int) -> Bool { x >= 0 && x < sizes[axis] }
        for n in 0..<sizes[m] {
            let p = a + b * ((Double(n) - a[m]) / b[m])
            let base = n * strides[m]
            let c1 = p[o1], f1 = c1.rounded(.down), w1 = c1 - f1, i1 = Int(f1)
            if grid.nz == 1 {
                if inside(o1, i1) { visit(base + i1 * strides[o1], step * (1 - w1)) }
                if inside(o1, i1 + 1) { visit(base + (i1 + 1) * strides[o1], step * w1) }
            } else {
                let c2 = p[o2], f2 = c2.rounded(.down), w2 = c2 - f2, i2 = Int(f2)
                for d2 in 0...1 where inside(o2, i2 + d2) {
                    let row = base + (i2 + d2) * strides[o2], w = step * (d2 == 0 ? 1 - w2 : w2)
                    if inside(o1, i1) { visit(row + i1 * strides[o1], w * (1 - w1)) }
                    if inside(o1, i1 + 1) { visit(row + (i1 + 1) * strides[o1], w * w1) }
                }
            }
        }
    }

    /// `projections = A volume` (`[view][row][column]`) for the views in `subset` (all views if nil);
    /// other views' rows are left untouched. Each view is one work item.
    public func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        let input = SendablePointer(volume.baseAddress!)
        let out = SendableMutablePointer(projections.baseAddress!)   // each view writes its own rows
        let perView = geometry.rows * geometry.columns
        let list = subset ?? Array(geometry.views.indices)
        pool.forEach(items: list.count) { _, item in
            let view = list[item]
            for r in 0..<self.geometry.rows {
                for c in 0..<self.geometry.columns {
                    var sum = 0.0
                    self.traverse(view: view, row: r, column: c) { voxel, w in sum += w * Double(input.pointer[voxel]) }
                    out.pointer[view * perView + r * self.geometry.columns + c] = Float(sum)
                }
            }
        }
    }

    /// `volume = Aᵀ projections`, over the views in `subset` (all views if nil). The views are split into
    /// `pool.threads` fixed chunks, each accumulated in its own buffer (Double) and summed in chunk order,
    /// so a given thread count gives fixed bits.
    public func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        let list = subset ?? Array(geometry.views.indices)
        let chunks = max(1, min(pool.threads, list.count))
        let count = grid.count
        let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: chunks * count)
        defer { partial.deallocate() }
        partial.initialize(repeating: 0)
        let sums = SendableMutablePointer(partial.baseAddress!)   // chunk c owns [c*count, (c+1)*count)
        let input = SendablePointer(projections.baseAddress!)
        let perView = geometry.rows * geometry.columns
        pool.forEach(items: chunks) { _, chunk in
            let acc = sums.pointer + chunk * count
            for item in (list.count * chunk / chunks)..<(list.count * (chunk + 1) / chunks) {
                let view = list[item]
                for r in 0..<self.geometry.rows {
                    for c in 0..<self.geometry.columns {
                        let y = Double(input.pointer[view * perView + r * self.geometry.columns + c])
                        guard y != 0 else { continue }
                        self.traverse(view: view, row: r, column: c) { voxel, w in acc[voxel] += w * y }
                    }
                }
            }
        }
        for v in 0..<count {
            var s = 0.0
            for chunk in 0..<chunks { s += partial[chunk * count + v] }
            volume[v] = Float(s)
        }
    }
}
