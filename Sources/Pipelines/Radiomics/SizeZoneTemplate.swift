import Foundation

/// The feature set IBSI defines alike for run-length (GLRLM), size-zone (GLSZM), distance-zone (GLDZM)
/// and dependence-count (NGLDM) matrices `M[level][j]` (j = run length, zone size, distance or
/// dependence, from 1): short/long emphases, grey-level emphases and their products, the two
/// non-uniformities, the percentage `Σ M / voxels`, the two variances and the entropy, plus (NGLDM) the
/// energy.
struct SizeZoneMatrix {
    /// Counts, `levels × width`, column j - 1 for j.
    var counts: [Double]
    let levels: Int, width: Int
    /// ROI voxels the matrix stands for (for the percentage).
    var voxels: Double

    init(levels: Int, width: Int) {
        (self.levels, self.width) = (levels, width)
        counts = [Double](repeating: 0, count: levels * width)
        voxels = 0
    }

    mutating func add(level: Int, j: Int) { counts[(level - 1) * width + j - 1] += 1 }

    var isEmpty: Bool { !counts.contains { $0 > 0 } }

    /// Element-wise sum (merging), voxel counts added.
    static func + (a: SizeZoneMatrix, b: SizeZoneMatrix) -> SizeZoneMatrix {
        var c = SizeZoneMatrix(levels: a.levels, width: max(a.width, b.width))
        for m in [a, b] { for i in 0..<m.levels { for j in 0..<m.width { c.counts[i * c.width + j] += m.counts[i * m.width + j] } } }
        c.voxels = a.voxels + b.voxels
        return c
    }

    /// The 16 template features, then the energy.
    func values() -> [Double] {
        let total = counts.reduce(0, +)
        var s = [Double](repeating: 0, count: 8)
        var rowSums = [Double](repeating: 0, count: levels), columnSums = [Double](repeating: 0, count: width)
        var muI = 0.0, muJ = 0.0, entropy = 0.0, energy = 0.0
        for i in 0..<levels {
            for j in 0..<width {
                let m = counts[i * width + j]
                guard m > 0 else { continue }
                let (fi, fj) = (Double(i + 1) * Double(i + 1), Double(j + 1) * Double(j + 1))
                s[0] += m / fj; s[1] += m * fj; s[2] += m / fi; s[3] += m * fi
                s[4] += m / (fi * fj); s[5] += m * fi / fj; s[6] += m * fj / fi; s[7] += m * fi * fj
                rowSums[i] += m; columnSums[j] += m
                let p = m / total
                muI += Double(i + 1) * p; muJ += Double(j + 1) * p
                entropy -= p * log2(p); energy += p * p
            }
        }
        var varI = 0.0, varJ = 0.0
        for i in 0..<levels { for j in 0..<width where counts[i * width + j] > 0 {
            let p = counts[i * width + j] / total
            varI += (Double(i + 1) - muI) * (Double(i + 1) - muI) * p
            varJ += (Double(j + 1) - muJ) * (Double(j + 1) - muJ) * p
        } }
        let glnu = rowSums.reduce(0) { $0 + $1 * $1 } / total, jnu = columnSums.reduce(0) { $0 + $1 * $1 } / total
        return s.map { $0 / total } + [glnu, glnu / total, jnu, jnu / total, total / voxels, varI, varJ, entropy, energy]
    }
}
