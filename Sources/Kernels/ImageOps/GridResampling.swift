/// Moves volumes between a fine grid and a coarser working grid made of whole blocks of fine voxels:
/// block averaging down (what a thicker reconstruction would show) and trilinear interpolation of
/// a mask's indicator back up, thresholded at one half. Coarse voxel (I, J, K) covers the fine voxels
/// `f·I ..< f·(I+1)` on each axis (the last block may be partial) and its centre is their mean position.
public struct BlockResampler: Sendable {
    /// The fine grid.
    public let fine: VolumeGrid
    /// Fine voxels per coarse voxel along x, y, z.
    public let factors: SIMD3<Int>
    /// The coarse grid (same centre when every block is whole).
    public let coarse: VolumeGrid

    /// Blocks of `factors` fine voxels.
    /// - Throws: `GeometryError` if a factor is below 1.
    public init(fine: VolumeGrid, factors: SIMD3<Int>) throws {
        try require(factors.x >= 1 && factors.y >= 1 && factors.z >= 1, "block factors must be at least 1")
        self.fine = fine
        self.factors = factors
        let sizes = SIMD3((fine.nx + factors.x - 1) / factors.x, (fine.ny + factors.y - 1) / factors.y,
                          (fine.nz + factors.z - 1) / factors.z)
        coarse = try VolumeGrid(nx: sizes.x, ny: sizes.y, nz: sizes.z,
                                spacing: fine.spacing * SIMD3<Double>(factors), centre: fine.centre)
    }

    /// Blocks whose edge is as close as possible to `target` mm (at least one fine voxel).
    public init(fine: VolumeGrid, targetSpacing target: Double) throws {
        func factor(_ s: Double) -> Int { max(1, Int((target / s).rounded())) }
        try self.init(fine: fine, factors: SIMD3(factor(fine.spacing.x), factor(fine.spacing.y), factor(fine.spacing.z)))
    }

    /// Mean of each block's fine values (partial blocks average the voxels they have).
    public func average(_ values: [Float]) -> [Float] {
        precondition(values.count == fine.count, "\(values.count) values for a grid of \(fine.count)")
        var sums = [Double](repeating: 0, count: coarse.count), counts = [Int](repeating: 0, count: coarse.count)
        var n = 0
        for k in 0..<fine.nz { for j in 0..<fine.ny { for i in 0..<fine.nx {
            let c = ((k / factors.z) * coarse.ny + j / factors.y) * coarse.nx + i / factors.x
            sums[c] += Double(values[n]); counts[c] += 1; n += 1
        } } }
        return zip(sums, counts).map { Float($0 / Double($1)) }
    }

    /// The coarse mask carried to the fine grid: trilinear interpolation of its 0/1 indicator at each
    /// fine voxel centre, kept where it reaches one half (smooth boundaries instead of blocks).
    public func upsample(_ mask: [Bool]) -> [Bool] {
        precondition(mask.count == coarse.count, "mask of \(mask.count) voxels for a grid of \(coarse.count)")
        var out = [Bool](repeating: false, count: fine.count)
        // Fine index i sits at coarse coordinate (i + 0.5) / f - 0.5 (block centres at whole numbers).
        func axis(_ i: Int, _ f: Int, _ n: Int) -> (Int, Int, Double) {
            let u = min(max((Double(i) + 0.5) / Double(f) - 0.5, 0), Double(n - 1))
            let lower = min(Int(u), n - 1)
            return (lower, min(lower + 1, n - 1), u - Double(lower))
        }
        let (cx, cy, plane) = (coarse.nx, coarse.ny, coarse.nx * coarse.ny)
        var n = 0
        for k in 0..<fine.nz {
            let (z0, z1, tz) = axis(k, factors.z, coarse.nz)
            for j in 0..<fine.ny {
                let (y0, y1, ty) = axis(j, factors.y, cy)
                for i in 0..<fine.nx {
                    let (x0, x1, tx) = axis(i, factors.x, cx)
                    func v(_ z: Int, _ y: Int, _ x: Int) -> Double { mask[z * plane + y * cx + x] ? 1 : 0 }
                    let front = (v(z0, y0, x0) * (1 - tx) + v(z0, y0, x1) * tx) * (1 - ty) + (v(z0, y1, x0) * (1 - tx) + v(z0, y1, x1) * tx) * ty
                    let back = (v(z1, y0, x0) * (1 - tx) + v(z1, y0, x1) * tx) * (1 - ty) + (v(z1, y1, x0) * (1 - tx) + v(z1, y1, x1) * tx) * ty
                    out[n] = front * (1 - tz) + back * tz >= 0.5
                    n += 1
                }
            }
        }
        return out
    }
}
