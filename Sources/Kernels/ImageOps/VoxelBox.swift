/// An axis-aligned box of voxels inside a grid, for running whole-volume operations (distance transforms,
/// components) on the neighbourhood of one object only.
public struct VoxelBox: Sendable, Equatable {
    /// The enclosing grid.
    public let grid: VolumeGrid
    /// First voxel and size along x, y, z.
    public let origin: SIMD3<Int>, size: SIMD3<Int>
    /// The box as a grid of its own (same spacing).
    public let subgrid: VolumeGrid

    /// The bounding box of `voxels` (indices into `grid`) grown by `marginMM` on every side and clipped to the grid.
    /// - Throws: `GeometryError` when `voxels` is empty.
    public init(around voxels: [Int], in grid: VolumeGrid, marginMM: Double) throws {
        try require(!voxels.isEmpty, "a voxel box needs at least one voxel")
        let plane = grid.nx * grid.ny
        var low = SIMD3(Int.max, Int.max, Int.max), high = SIMD3(Int.min, Int.min, Int.min)
        for n in voxels {
            let p = SIMD3(n % grid.nx, (n % plane) / grid.nx, n / plane)
            low = pointwiseMin(low, p); high = pointwiseMax(high, p)
        }
        let margin = SIMD3(Int((marginMM / grid.spacing.x).rounded(.up)), Int((marginMM / grid.spacing.y).rounded(.up)),
                           Int((marginMM / grid.spacing.z).rounded(.up)))
        let top = SIMD3(grid.nx - 1, grid.ny - 1, grid.nz - 1)
        low = pointwiseMax(low &- margin, .zero)
        high = pointwiseMin(high &+ margin, top)
        self.grid = grid
        origin = low
        size = high &- low &+ 1
        subgrid = try VolumeGrid(nx: size.x, ny: size.y, nz: size.z, spacing: grid.spacing)
    }

    /// Index in the enclosing grid of box voxel `m`.
    @inline(__always) public func outer(_ m: Int) -> Int {
        let (x, y, z) = (m % size.x, (m / size.x) % size.y, m / (size.x * size.y))
        return ((z + origin.z) * grid.ny + y + origin.y) * grid.nx + x + origin.x
    }

    /// Index in the box of grid voxel `n`, or nil outside it.
    @inline(__always) public func inner(_ n: Int) -> Int? {
        let plane = grid.nx * grid.ny
        let p = SIMD3(n % grid.nx, (n % plane) / grid.nx, n / plane) &- origin
        guard p.x >= 0, p.y >= 0, p.z >= 0, p.x < size.x, p.y < size.y, p.z < size.z else { return nil }
        return (p.z * size.y + p.y) * size.x + p.x
    }

    /// The values of `full` inside the box.
    public func extract<T>(_ full: [T]) -> [T] { (0..<subgrid.count).map { full[outer($0)] } }
}
