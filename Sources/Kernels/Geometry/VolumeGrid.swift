/// A regular voxel grid in the scanner frame (millimetres). Voxel `(i, j, k)` — row `i` along y,
/// column `j` along x, slice `k` along z — has its centre at
/// `centre + ((j - (nx-1)/2) dx, (i - (ny-1)/2) dy, (k - (nz-1)/2) dz)`.
/// Arrays are stored `[k][i][j]` (x fastest), the layout of the benchmark truth files.
public struct VolumeGrid: Sendable, Equatable {
    /// Voxels along x, y, z (2D images have `nz == 1`).
    public let nx: Int, ny: Int, nz: Int
    /// Voxel pitch along x, y, z in mm.
    public let spacing: SIMD3<Double>
    /// Position of the grid's centre in mm.
    public let centre: SIMD3<Double>

    /// Total voxel count.
    public var count: Int { nx * ny * nz }

    /// Validates and creates a grid.
    /// - Throws: `GeometryError` for non-positive sizes or spacing, non-finite values, or more than 2^34 voxels.
    public init(nx: Int, ny: Int, nz: Int = 1, spacing: SIMD3<Double>, centre: SIMD3<Double> = .zero) throws {
        try require(nx >= 1 && ny >= 1 && nz >= 1, "volume sizes must be at least 1, got \(nx) x \(ny) x \(nz)")
        try require(nx <= 1 << 16 && ny <= 1 << 16 && nz <= 1 << 16, "volume sizes must be at most 65536")
        let (n, overflow) = (nx * ny).multipliedReportingOverflow(by: nz)
        try require(!overflow && n <= 1 << 34, "volume of \(nx) x \(ny) x \(nz) voxels is too large")
        try require(isFinite3(spacing) && spacing.x > 0 && spacing.y > 0 && spacing.z > 0,
                    "voxel spacing must be positive and finite")
        try require(isFinite3(centre), "volume centre must be finite")
        self.nx = nx; self.ny = ny; self.nz = nz
        self.spacing = spacing
        self.centre = centre
    }

    /// A square 2D image grid with pixel pitch `pixel` (mm), centred on the rotation axis.
    public static func image(size: Int, pixel: Double) throws -> VolumeGrid {
        try VolumeGrid(nx: size, ny: size, nz: 1, spacing: SIMD3(pixel, pixel, pixel))
    }

    /// A cubic grid of `size³` voxels of pitch `voxel` (mm), centred on the isocentre.
    public static func cube(size: Int, voxel: Double) throws -> VolumeGrid {
        try VolumeGrid(nx: size, ny: size, nz: size, spacing: SIMD3(repeating: voxel))
    }

    /// Centre of voxel (column j, row i, slice k) in mm.
    public func position(i: Double, j: Double, k: Double) -> SIMD3<Double> {
        centre + SIMD3(j - Double(nx - 1) / 2, i - Double(ny - 1) / 2, k - Double(nz - 1) / 2) * spacing
    }
}
