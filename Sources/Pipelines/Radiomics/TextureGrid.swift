/// Discretised ROI for texture analysis: grey level `1 ... levelCount` per voxel, 0 outside the ROI,
/// on the image grid (x fastest).
struct TextureGrid {
    let nx: Int, ny: Int, nz: Int
    let levels: [Int32]
    let levelCount: Int
    /// The morphological mask (before re-segmentation): GLDZM measures distances to its edge.
    let morphological: [Bool]

    /// Offsets `(dx, dy, dz)` of the 13 unique 3D directions at Chebyshev distance 1; the first four lie in
    /// the slice (the 2D directions).
    static let directions: [SIMD3<Int>] = [
        SIMD3(1, 0, 0), SIMD3(1, 1, 0), SIMD3(0, 1, 0), SIMD3(-1, 1, 0),
        SIMD3(0, 0, 1), SIMD3(1, 0, 1), SIMD3(-1, 0, 1), SIMD3(0, 1, 1), SIMD3(0, -1, 1),
        SIMD3(1, 1, 1), SIMD3(-1, 1, 1), SIMD3(1, -1, 1), SIMD3(-1, -1, 1),
    ]

    @inline(__always) func index(_ x: Int, _ y: Int, _ z: Int) -> Int { (z * ny + y) * nx + x }

    @inline(__always) func inside(_ x: Int, _ y: Int, _ z: Int) -> Bool { x >= 0 && x < nx && y >= 0 && y < ny && z >= 0 && z < nz }

    /// Level at (x, y, z), 0 outside the grid or the ROI.
    @inline(__always) func level(_ x: Int, _ y: Int, _ z: Int) -> Int { inside(x, y, z) ? Int(levels[index(x, y, z)]) : 0 }

    /// Slices that hold ROI voxels.
    var slicesWithROI: [Int] { (0..<nz).filter { z in (0..<(nx * ny)).contains { levels[z * nx * ny + $0] > 0 } } }

    /// ROI voxels in slice `z`, or in the whole grid for nil.
    func voxelCount(slice z: Int? = nil) -> Int {
        let range = z.map { ($0 * nx * ny)..<(($0 + 1) * nx * ny) } ?? 0..<levels.count
        return levels[range].reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    }

    /// The voxels of slice `z` (all slices for nil) as coordinates.
    func voxels(slice z: Int?) -> [SIMD3<Int>] {
        let zs = z.map { [$0] } ?? Array(0..<nz)
        var out: [SIMD3<Int>] = []
        for k in zs { for y in 0..<ny { for x in 0..<nx where levels[index(x, y, k)] > 0 { out.append(SIMD3(x, y, k)) } } }
        return out
    }
}

/// Mean of feature vectors (texture aggregation by averaging); nil-safe for empty input.
func averaged(_ vectors: [[Double]]) -> [Double] {
    guard let first = vectors.first else { return [] }
    var sum = [Double](repeating: 0, count: first.count)
    for v in vectors { for i in v.indices { sum[i] += v[i] } }
    return sum.map { $0 / Double(vectors.count) }
}
