/// Trilinear interpolation in a `[z][y][x]` float volume at continuous index coordinates, clamped to the
/// grid's voxel centres (the edge value continues outward).
public struct TrilinearSampler: Sendable {
    public let nx: Int, ny: Int, nz: Int

    /// A sampler for an `nx × ny × nz` volume.
    public init(nx: Int, ny: Int, nz: Int) { (self.nx, self.ny, self.nz) = (nx, ny, nz) }

    /// The interpolated value of `volume` at index coordinates `u` (x, y, z).
    @inline(__always)
    public func sample(_ volume: UnsafePointer<Float>, at u: SIMD3<Double>) -> Float {
        func axis(_ v: Double, _ n: Int) -> (Int, Int, Float) {
            let c = min(max(v, 0), Double(n - 1)), low = min(Int(c), n - 1)
            return (low, min(low + 1, n - 1), Float(c - Double(low)))
        }
        let plane = nx * ny
        let (x0, x1, tx) = axis(u.x, nx), (y0, y1, ty) = axis(u.y, ny), (z0, z1, tz) = axis(u.z, nz)
        func v(_ z: Int, _ y: Int, _ x: Int) -> Float { volume[z * plane + y * nx + x] }
        let front = (v(z0, y0, x0) * (1 - tx) + v(z0, y0, x1) * tx) * (1 - ty) + (v(z0, y1, x0) * (1 - tx) + v(z0, y1, x1) * tx) * ty
        let back = (v(z1, y0, x0) * (1 - tx) + v(z1, y0, x1) * tx) * (1 - ty) + (v(z1, y1, x0) * (1 - tx) + v(z1, y1, x1) * tx) * ty
        return front * (1 - tz) + back * tz
    }
}
