import Foundation

/// IBSI grey level co-occurrence matrix features (LFYI): symmetric matrices at Chebyshev distance 1,
/// in the six aggregations IBSI names.
enum CooccurrenceFeatures {
    static let names: FeatureNames = [
        ("cm.joint.max", "GYBY"), ("cm.joint.avg", "60VM"), ("cm.joint.var", "UR99"), ("cm.joint.entr", "TU9B"),
        ("cm.diff.avg", "TF7R"), ("cm.diff.var", "D3YU"), ("cm.diff.entr", "NTRS"), ("cm.sum.avg", "ZGXS"),
        ("cm.sum.var", "OEEB"), ("cm.sum.entr", "P6QZ"), ("cm.energy", "8ZQL"), ("cm.contrast", "ACUI"),
        ("cm.dissimilarity", "8S9J"), ("cm.inv.diff", "IB1Z"), ("cm.inv.diff.norm", "NDRX"), ("cm.inv.diff.mom", "WF0Z"),
        ("cm.inv.diff.mom.norm", "1QCO"), ("cm.inv.var", "E8JP"), ("cm.corr", "NI2N"), ("cm.auto.corr", "QWB0"),
        ("cm.clust.tend", "DG8W"), ("cm.clust.shade", "7NFM"), ("cm.clust.prom", "AE86"), ("cm.info.corr.1", "R8DG"),
        ("cm.info.corr.2", "JN9H"),
    ]

    /// Counts (symmetric) of level pairs one step along `d` from the ROI voxels `g.roi[voxels]`.
    static func matrix(_ g: TextureGrid, direction d: SIMD3<Int>, voxels: Range<Int>) -> [Double] {
        let n = g.levelCount, o = g.offset(d)
        var c = [Int](repeating: 0, count: n * n)
        g.levels.withUnsafeBufferPointer { level in g.roi.withUnsafeBufferPointer { roi in c.withUnsafeMutableBufferPointer { c in
            for k in voxels {
                let p = roi[k], b = Int(level[p + o])
                if b > 0 { c[(Int(level[p]) - 1) * n + b - 1] += 1 }
            }
        } } }
        return (0..<(n * n)).map { Double(c[$0] + c[($0 % n) * n + $0 / n]) }
    }

    /// All six aggregations. The whole-volume matrices of the in-slice directions are the sums of the
    /// slices' (the same pairs), so only the nine through-plane directions scan the volume again.
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let planar = Array(TextureGrid.directions.prefix(4)), slices = g.slicesWithROI
        let perSlice = slices.map { z in planar.map { matrix(g, direction: $0, voxels: g.sliceStarts[z]..<g.sliceStarts[z + 1]) } }
        let sum = { (ms: [[Double]]) in ms.dropFirst().reduce(ms[0]) { zip($0, $1).map(+) } }
        let byDirection = planar.indices.map { d in sum(perSlice.map { $0[d] }) }
        let volume = byDirection + TextureGrid.directions.dropFirst(4).map { matrix(g, direction: $0, voxels: 0..<g.roi.count) }
        let nonEmpty = { (m: [Double]) in m.contains { $0 > 0 } }
        let n = g.levelCount
        var out: [RadiomicsFeature] = []
        out += rows(names, averaged(perSlice.flatMap { $0 }.filter(nonEmpty).map { values($0, n) }), aggregation: "2D, averaged")
        out += rows(names, averaged(perSlice.map(sum).filter(nonEmpty).map { values($0, n) }), aggregation: "2D, slice-merged")
        out += rows(names, averaged(byDirection.filter(nonEmpty).map { values($0, n) }), aggregation: "2.5D, direction-merged")
        out += rows(names, values(sum(byDirection), n), aggregation: "2.5D, merged")
        out += rows(names, averaged(volume.filter(nonEmpty).map { values($0, n) }), aggregation: "3D, averaged")
        out += rows(names, values(sum(volume), n), aggregation: "3D, merged")
        return out
    }

    /// The 25 features of one count matrix (`n × n`, levels 1 ... n).
    static func values(_ counts: [Double], _ n: Int) -> [Double] {
        let total = counts.reduce(0, +)
        let p = counts.map { $0 / total }
        var px = [Double](repeating: 0, count: n), py = px
        var diff = [Double](repeating: 0, count: n), sum = [Double](repeating: 0, count: 2 * n + 1)
        for i in 0..<n {
            for j in 0..<n {
                let v = p[i * n + j]
                px[i] += v; py[j] += v
                diff[abs(i - j)] += v
                sum[i + j + 2] += v
            }
        }
        func entropy(_ q: [Double]) -> Double { -q.reduce(0) { $0 + ($1 > 0 ? $1 * log2($1) : 0) } }
        func mean(_ q: [Double], offset: Int) -> Double { q.indices.reduce(0) { $0 + Double($1 + offset) * q[$1] } }
        func variance(_ q: [Double], offset: Int) -> Double {
            let m = mean(q, offset: offset)
            return q.indices.reduce(0) { $0 + (Double($1 + offset) - m) * (Double($1 + offset) - m) * q[$1] }
        }
        let mux = mean(px, offset: 1), muy = mean(py, offset: 1)
        let sx = variance(px, offset: 1).squareRoot(), sy = variance(py, offset: 1).squareRoot()
        var s = [Double](repeating: 0, count: 14)   // accumulated sums over (i, j)
        var hxy1 = 0.0, hxy2 = 0.0
        let ng = Double(n)
        for i in 0..<n {
            for j in 0..<n {
                let v = p[i * n + j]
                let (fi, fj) = (Double(i + 1), Double(j + 1))
                let d = fi - fj, c = fi + fj - mux - muy
                let q = px[i] * py[j]
                if q > 0 { hxy2 -= q * log2(q) }
                guard v > 0 else { continue }
                s[0] += (fi - mux) * (fi - mux) * v   // joint variance about the joint mean (= mux)
                s[1] += v * v
                s[2] += d * d * v
                s[3] += abs(d) * v
                s[4] += v / (1 + abs(d))
                s[5] += v / (1 + abs(d) / ng)
                s[6] += v / (1 + d * d)
                s[7] += v / (1 + d * d / (ng * ng))
                if i != j { s[8] += v / (d * d) }
                s[9] += (fi - mux) * (fj - muy) * v
                s[10] += fi * fj * v
                s[11] += c * c * v; s[12] += c * c * c * v; s[13] += c * c * c * c * v
                hxy1 -= v * log2(q)
            }
        }
        let hxy = entropy(p), hx = entropy(px), hy = entropy(py)
        let corr = sx > 0 && sy > 0 ? s[9] / (sx * sy) : Double.nan
        let ic1 = max(hx, hy) > 0 ? (hxy - hxy1) / max(hx, hy) : 0
        let ic2 = (1 - exp(-2 * (hxy2 - hxy))).squareRoot()
        return [p.max()!, mux, s[0], hxy, mean(diff, offset: 0), variance(diff, offset: 0), entropy(diff),
                mean(sum, offset: 0), variance(sum, offset: 0), entropy(sum), s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                corr, s[10], s[11], s[12], s[13], ic1, ic2]
    }
}
