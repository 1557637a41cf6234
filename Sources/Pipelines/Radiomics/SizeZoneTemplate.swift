import Foundation

/// The feature set IBSI defines alike for run-length (GLRLM), size-zone (GLSZM), distance-zone (GLDZM)
/// and dependence-count (NGLDM) matrices `M[level][j]` (j = run length, zone size, distance or
/// dependence, from 1): short/long emphases, grey-level emphases and their products, the two
/// non-uniformities, the percentage `Σ M / voxels`, the two variances and the entropy, plus (NGLDM) the
/// energy.
///
/// Stored sparse (a 3D size-zone matrix of a liver can be 40 levels × 10⁶ sizes with a few thousand
/// non-zero cells); sums run over the non-zero cells in (level, j) order, as a dense scan would.
struct SizeZoneMatrix {
    /// One non-zero cell.
    struct Cell { let level: Int, j: Int, count: Double }

    /// Non-zero cells sorted by level, then j.
    private(set) var cells: [Cell]
    let levels: Int
    /// ROI voxels the matrix stands for (for the percentage).
    var voxels: Double

    /// A matrix from dense integer counts, `counts[(level - 1) * width + j - 1]`.
    init(levels: Int, width: Int, counts: UnsafeBufferPointer<Int>, voxels: Int) {
        (self.levels, self.voxels) = (levels, Double(voxels))
        cells = []
        for i in 0..<levels { for j in 0..<width where counts[i * width + j] > 0 {
            cells.append(Cell(level: i + 1, j: j + 1, count: Double(counts[i * width + j])))
        } }
    }

    /// A matrix from observations `(level << 32) | j` in any order.
    init(levels: Int, observations: [UInt64], voxels: Int) {
        (self.levels, self.voxels) = (levels, Double(voxels))
        cells = []
        for key in observations.sorted() {
            let (level, j) = (Int(key >> 32), Int(key & 0xFFFF_FFFF))
            if let last = cells.last, last.level == level, last.j == j {
                cells[cells.count - 1] = Cell(level: level, j: j, count: last.count + 1)
            } else {
                cells.append(Cell(level: level, j: j, count: 1))
            }
        }
    }

    private init(levels: Int, cells: [Cell], voxels: Double) { (self.levels, self.cells, self.voxels) = (levels, cells, voxels) }

    var isEmpty: Bool { cells.isEmpty }

    /// Element-wise sum (merging), voxel counts added.
    static func + (a: SizeZoneMatrix, b: SizeZoneMatrix) -> SizeZoneMatrix {
        var merged: [Cell] = []
        merged.reserveCapacity(a.cells.count + b.cells.count)
        var (i, k) = (0, 0)
        while i < a.cells.count || k < b.cells.count {
            if k == b.cells.count || (i < a.cells.count && (a.cells[i].level, a.cells[i].j) < (b.cells[k].level, b.cells[k].j)) {
                merged.append(a.cells[i]); i += 1
            } else if i == a.cells.count || (b.cells[k].level, b.cells[k].j) < (a.cells[i].level, a.cells[i].j) {
                merged.append(b.cells[k]); k += 1
            } else {
                merged.append(Cell(level: a.cells[i].level, j: a.cells[i].j, count: a.cells[i].count + b.cells[k].count))
                i += 1; k += 1
            }
        }
        return SizeZoneMatrix(levels: max(a.levels, b.levels), cells: merged, voxels: a.voxels + b.voxels)
    }

    /// The 16 template features, then the energy.
    func values() -> [Double] {
        let total = cells.reduce(0) { $0 + $1.count }
        let width = cells.reduce(0) { max($0, $1.j) }
        var s = [Double](repeating: 0, count: 8)
        var rowSums = [Double](repeating: 0, count: levels), columnSums = [Double](repeating: 0, count: width)
        var muI = 0.0, muJ = 0.0, entropy = 0.0, energy = 0.0
        for c in cells {
            let m = c.count
            let (fi, fj) = (Double(c.level) * Double(c.level), Double(c.j) * Double(c.j))
            s[0] += m / fj; s[1] += m * fj; s[2] += m / fi; s[3] += m * fi
            s[4] += m / (fi * fj); s[5] += m * fi / fj; s[6] += m * fj / fi; s[7] += m * fi * fj
            rowSums[c.level - 1] += m; columnSums[c.j - 1] += m
            let p = m / total
            muI += Double(c.level) * p; muJ += Double(c.j) * p
            entropy -= p * log2(p); energy += p * p
        }
        var varI = 0.0, varJ = 0.0
        for c in cells {
            let p = c.count / total
            varI += (Double(c.level) - muI) * (Double(c.level) - muI) * p
            varJ += (Double(c.j) - muJ) * (Double(c.j) - muJ) * p
        }
        let glnu = rowSums.reduce(0) { $0 + $1 * $1 } / total, jnu = columnSums.reduce(0) { $0 + $1 * $1 } / total
        return s.map { $0 / total } + [glnu, glnu / total, jnu, jnu / total, total / voxels, varI, varJ, entropy, energy]
    }
}

/// Dense integer counts `levels × width` for building `SizeZoneMatrix`es where j is small (run lengths,
/// dependence counts, distances).
struct DenseCounts {
    let levels: Int, width: Int
    private(set) var counts: [Int]

    init(levels: Int, width: Int) {
        (self.levels, self.width) = (levels, width)
        counts = [Int](repeating: 0, count: levels * width)
    }

    @inline(__always) mutating func add(level: Int, j: Int) { counts[(level - 1) * width + j - 1] += 1 }

    /// The sparse matrix, standing for `voxels` ROI voxels.
    func matrix(voxels: Int) -> SizeZoneMatrix {
        counts.withUnsafeBufferPointer { SizeZoneMatrix(levels: levels, width: width, counts: $0, voxels: voxels) }
    }
}
