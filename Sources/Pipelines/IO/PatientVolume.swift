/// A scalar volume placed in patient space (DICOM LPS, mm): what a DICOM series or a NIfTI file becomes.
/// Voxel `(i, j, k)` (i fastest: along image rows, then down the columns, then across slices) has its
/// centre at `origin + i·spacing.x·axisI + j·spacing.y·axisJ + k·spacing.z·axisK`. The axes are unit
/// vectors; `axisK` need not be orthogonal to the others (a gantry-tilted series keeps its shear).
public struct PatientVolume: Sendable {
    public let nx: Int, ny: Int, nz: Int
    /// Voxel pitch along i, j, k in mm.
    public let spacing: SIMD3<Double>
    /// Centre of voxel (0,0,0), LPS mm.
    public let origin: SIMD3<Double>
    /// Unit directions of i, j and k in LPS.
    public let axisI: SIMD3<Double>, axisJ: SIMD3<Double>, axisK: SIMD3<Double>
    /// Voxel values (HU for CT), `nx * ny * nz`, i fastest.
    public var voxels: [Float]

    /// A volume from its parts.
    /// - Throws: `DicomError` when sizes and the voxel count disagree or the geometry is degenerate.
    public init(nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>, origin: SIMD3<Double>,
                axisI: SIMD3<Double>, axisJ: SIMD3<Double>, axisK: SIMD3<Double>, voxels: [Float]) throws {
        guard nx >= 1, ny >= 1, nz >= 1, nx.multipliedReportingOverflow(by: ny).partialValue * nz == voxels.count else {
            throw DicomError("volume of \(nx) x \(ny) x \(nz) cannot hold \(voxels.count) voxels")
        }
        guard spacing.x > 0, spacing.y > 0, spacing.z > 0, spacing.x.isFinite, spacing.y.isFinite, spacing.z.isFinite else {
            throw DicomError("voxel spacing must be positive and finite")
        }
        (self.nx, self.ny, self.nz, self.spacing, self.origin) = (nx, ny, nz, spacing, origin)
        (self.axisI, self.axisJ, self.axisK, self.voxels) = (axisI, axisJ, axisK, voxels)
    }

    /// Centre of voxel (i, j, k) in LPS mm.
    public func position(i: Double, j: Double, k: Double) -> SIMD3<Double> {
        origin + i * spacing.x * axisI + j * spacing.y * axisJ + k * spacing.z * axisK
    }

    /// The voxel-to-world matrix rows in NIfTI's RAS+ convention (LPS with x and y negated).
    public var rasAffine: [SIMD4<Double>] {
        let columns = [axisI * spacing.x, axisJ * spacing.y, axisK * spacing.z, origin]
        let flip = SIMD3<Double>(-1, -1, 1)
        let ras = columns.map { $0 * flip }
        return (0..<3).map { r in SIMD4(ras[0][r], ras[1][r], ras[2][r], ras[3][r]) } + [SIMD4(0, 0, 0, 1)]
    }

    /// The volume as NIfTI (RAS+ affine written as sform and qform).
    public func nifti() throws -> NIfTIVolume {
        try NIfTIVolume(nx: nx, ny: ny, nz: nz, spacing: spacing, values: voxels.map(Double.init), affine: rasAffine)
    }
}

extension PatientVolume {
    /// A NIfTI volume placed in LPS: the RAS+ affine's columns give the axes and spacing (x and y negated).
    /// - Throws: `DicomError` when an axis of the affine has zero length or is not finite.
    public init(_ nifti: NIfTIVolume) throws {
        let flip = SIMD3<Double>(-1, -1, 1)
        func column(_ c: Int) -> SIMD3<Double> { SIMD3(nifti.affine[0][c], nifti.affine[1][c], nifti.affine[2][c]) * flip }
        func unit(_ v: SIMD3<Double>) throws -> SIMD3<Double> {
            let length = (v * v).sum().squareRoot()
            guard length > 0, length.isFinite else { throw DicomError("the NIfTI affine has a degenerate axis") }
            return v / length
        }
        let axes = [column(0), column(1), column(2)]
        let spacing = axes.map { ($0 * $0).sum().squareRoot() }
        try self.init(nx: nifti.nx, ny: nifti.ny, nz: nifti.nz, spacing: SIMD3(spacing[0], spacing[1], spacing[2]),
                      origin: column(3), axisI: try unit(axes[0]), axisJ: try unit(axes[1]), axisK: try unit(axes[2]),
                      voxels: nifti.values.map { Float($0) })
    }

    /// The voxel grid (sizes and spacing) that image operations run on.
    public func voxelGrid() throws -> VolumeGrid {
        try VolumeGrid(nx: nx, ny: ny, nz: nz, spacing: spacing)
    }
}
