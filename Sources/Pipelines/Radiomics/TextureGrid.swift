/// Discretised ROI for texture analysis: grey level `1 ... levelCount` per voxel, 0 outside the ROI.
///
/// The levels live on the image grid padded by one empty voxel on every side, so a neighbour one step
/// away is always a valid index (no bounds tests in the texture loops); voxels are addressed by their
/// linear index on that padded grid, and `roi` lists the ROI voxels in scan order (z, then y, then x).
struct TextureGrid {
    /// The unpadded grid size.
    let nx: Int, ny: Int, nz: Int
    let levelCount: Int
    /// Levels on the padded grid (`(nx + 2) × (ny + 2) × (nz + 2)`, x fastest), 0 outside the ROI.
    let levels: [Int32]
    /// The morphological mask (before re-segmentation) on the padded grid: GLDZM measures distances to
    /// its edge.
    let morphological: [Bool]
    /// Padded strides along y and z.
    let rowStride: Int, sliceStride: Int
    /// Padded indices of the ROI voxels in scan order.
    let roi: [Int]
    /// `roi[sliceStarts[z] ..< sliceStarts[z + 1]]` are the ROI voxels of slice z.
    let sliceStarts: [Int]

    /// Offsets `(dx, dy, dz)` of the 13 unique 3D directions at Chebyshev distance 1; the first four lie in
    /// the slice (the 2D directions).
    static let directions: [SIMD3<Int>] = [
        SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(-1, 1, 0),
        SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(-1, 0, 1), SIMD3(0, 1, 1), SIMD3(0, -1, 1),
        SIMD3(1, 1, 1), SIMD3(-1, 1, 1), SIMD3(1, -1, 1), SIMD3(-1, -1, 1),
    ]

    /// The 26 neighbour offsets at Chebyshev distance 1; the first eight lie in the slice.
    static let neighbours: [SIMD3<Int>] = {
        let all = (-1...1).flatMap { dz in (-1...1).flatMap { dy in (-1...1).map { dx in SIMD3(dx, dy, dz) } } }.filter { $0 != .zero }
        return all.filter { $0.z == 0 } + all.filter { $0.z != 0 }
    }()

    /// A grid from the ROI voxels' indices on the `nx × ny × nz` grid (x fastest, ascending) with their
    /// `levels`, and the morphological mask on that grid.
    init(nx: Int, ny: Int, nz: Int, roi unpadded: [Int], levels roiLevels: [Int], levelCount: Int, morphological mask: [Bool]) {
        (self.nx, self.ny, self.nz, self.levelCount) = (nx, ny, nz, levelCount)
        let (rowStride, sliceStride) = (nx + 2, (nx + 2) * (ny + 2))
        (self.rowStride, self.sliceStride) = (rowStride, sliceStride)
        var levels = [Int32](repeating: 0, count: sliceStride * (nz + 2))
        var morphological = [Bool](repeating: false, count: levels.count)
        var roi = [Int](repeating: 0, count: unpadded.count), starts = [Int](repeating: 0, count: nz + 1)
        levels.withUnsafeMutableBufferPointer { levels in roi.withUnsafeMutableBufferPointer { roi in
            for (k, i) in unpadded.enumerated() {
                let (z, y, x) = (i / (nx * ny), (i / nx) % ny, i % nx)
                let p = (z + 1) * sliceStride + (y + 1) * rowStride + x + 1
                roi[k] = p
                levels[p] = Int32(roiLevels[k])
                starts[z + 1] = k + 1
            }
        } }
        for z in 0..<nz where starts[z + 1] == 0 { starts[z + 1] = starts[z] }   // slices without ROI voxels
        morphological.withUnsafeMutableBufferPointer { target in mask.withUnsafeBufferPointer { source in
            for z in 0..<nz { for y in 0..<ny {
                let (from, to) = ((z * ny + y) * nx, (z + 1) * sliceStride + (y + 1) * rowStride + 1)
                (target.baseAddress! + to).update(from: source.baseAddress! + from, count: nx)
            } }
        } }
        (self.levels, self.morphological, self.roi, sliceStarts) = (levels, morphological, roi, starts)
    }

    /// The padded linear offset of a step `d`.
    @inline(__always) func offset(_ d: SIMD3<Int>) -> Int { d.x + d.y * rowStride + d.z * sliceStride }

    /// The unpadded slice of padded index `p`.
    @inline(__always) func slice(of p: Int) -> Int { p / sliceStride - 1 }

    /// Slices that hold ROI voxels.
    var slicesWithROI: [Int] { (0..<nz).filter { sliceStarts[$0] < sliceStarts[$0 + 1] } }

    /// ROI voxels in slice `z`, or in the whole grid for nil.
    func voxelCount(slice z: Int? = nil) -> Int { z.map { sliceStarts[$0 + 1] - sliceStarts[$0] } ?? roi.count }
}

/// Mean of feature vectors (texture aggregation by averaging); nil-safe for empty input.
func averaged(_ vectors: [[Double]]) -> [Double] {
    guard let first = vectors.first else { return [] }
    var sum = [Double](repeating: 0, count: first.count)
    for v in vectors { for i in v.indices { sum[i] += v[i] } }
    return sum.map { $0 / Double(vectors.count) }
}
