/// IBSI neighbourhood grey tone difference (IPET) and neighbouring grey level dependence (REK0)
/// features, with neighbourhoods of Chebyshev distance 1 (8 voxels in a slice, 26 in 3D), ROI voxels
/// only, and dependence for equal levels (coarseness α = 0).
enum NeighbourhoodFeatures {
    static let toneNames: FeatureNames = [
        ("ngt.coarseness", "QCDE"), ("ngt.contrast", "65HE"), ("ngt.busyness", "NQ30"), ("ngt.complexity", "HDEZ"),
        ("ngt.strength", "1X9X"),
    ]
    static let dependenceNames: FeatureNames = [
        ("ngl.lde", "SODN"), ("ngl.hde", "IMOQ"), ("ngl.lgce", "TL9H"), ("ngl.hgce", "OAE7"), ("ngl.ldlge", "EQ3F"),
        ("ngl.ldhge", "JA6D"), ("ngl.hdlge", "NBZI"), ("ngl.hdhge", "9QMG"), ("ngl.glnu", "FP8K"), ("ngl.glnu.norm", "5SPA"),
        ("ngl.dcnu", "Z87G"), ("ngl.dcnu.norm", "OKJI"), ("ngl.dc.perc", "6XV8"), ("ngl.gl.var", "1PFV"), ("ngl.dc.var", "DNX2"),
        ("ngl.dc.entr", "FCBV"), ("ngl.dc.energy", "CAS9"),
    ]

    /// Grey tone differences: per level, `s` (sum of |level - neighbourhood mean|) and `n` (voxels with
    /// at least one ROI neighbour).
    struct ToneSums {
        var s: [Double], n: [Double]
        static func + (a: ToneSums, b: ToneSums) -> ToneSums { ToneSums(s: zip(a.s, b.s).map(+), n: zip(a.n, b.n).map(+)) }
    }

    /// Both matrices of the ROI voxels `g.roi[voxels]`, with the in-slice (8) or all 26 neighbours.
    static func matrices(_ g: TextureGrid, voxels: Range<Int>, planar: Bool) -> (tone: ToneSums, dependence: SizeZoneMatrix) {
        let offsets = TextureGrid.neighbours.prefix(planar ? 8 : 26).map(g.offset)
        var tone = ToneSums(s: [Double](repeating: 0, count: g.levelCount), n: [Double](repeating: 0, count: g.levelCount))
        var dependence = DenseCounts(levels: g.levelCount, width: offsets.count + 1)
        g.levels.withUnsafeBufferPointer { level in g.roi.withUnsafeBufferPointer { roi in offsets.withUnsafeBufferPointer { offsets in
            for k in voxels {
                let p = roi[k], a = Int(level[p])
                var sum = 0, count = 0, same = 0
                for o in offsets {
                    let b = Int(level[p + o])
                    sum += b
                    count += b > 0 ? 1 : 0
                    same += b == a ? 1 : 0
                }
                dependence.add(level: a, j: same + 1)
                guard count > 0 else { continue }
                tone.s[a - 1] += abs(Double(a) - Double(sum) / Double(count))
                tone.n[a - 1] += 1
            }
        } } }
        return (tone, dependence.matrix(voxels: voxels.count))
    }

    /// The five NGTDM features.
    static func toneValues(_ t: ToneSums) -> [Double] {
        let nvc = t.n.reduce(0, +)
        let p = t.n.map { $0 / nvc }
        let present = p.indices.filter { p[$0] > 0 }
        let ngp = Double(present.count)
        let ps = present.reduce(0.0) { $0 + p[$1] * t.s[$1] }, sSum = t.s.reduce(0, +)
        var contrast = 0.0, busyDenominator = 0.0, complexity = 0.0, strength = 0.0
        for i in present {
            for j in present {
                let (fi, fj) = (Double(i + 1), Double(j + 1))
                contrast += p[i] * p[j] * (fi - fj) * (fi - fj)
                busyDenominator += abs(fi * p[i] - fj * p[j])
                complexity += abs(fi - fj) * (p[i] * t.s[i] + p[j] * t.s[j]) / (p[i] + p[j])
                strength += (p[i] + p[j]) * (fi - fj) * (fi - fj)
            }
        }
        let coarseness = ps > 0 ? 1 / ps : 1e6
        let c = ngp > 1 ? contrast / (ngp * (ngp - 1)) * sSum / nvc : 0
        let busyness = busyDenominator > 0 ? ps / busyDenominator : 0
        return [coarseness, c, busyness, complexity / nvc, sSum > 0 ? strength / sSum : 0]
    }

    /// Both families in the 2D, 2.5D and 3D aggregations.
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let perSlice = g.slicesWithROI.map { matrices(g, voxels: g.sliceStarts[$0]..<g.sliceStarts[$0 + 1], planar: true) }
        let volume = matrices(g, voxels: 0..<g.roi.count, planar: false)
        var out: [RadiomicsFeature] = []
        let tones = perSlice.map(\.tone).filter { $0.n.contains { $0 > 0 } }
        out += rows(toneNames, averaged(tones.map(toneValues)), aggregation: "2D")
        out += rows(toneNames, toneValues(perSlice.dropFirst().reduce(perSlice[0].tone) { $0 + $1.tone }), aggregation: "2.5D")
        out += rows(toneNames, toneValues(volume.tone), aggregation: "3D")
        let dependences = perSlice.map(\.dependence)
        out += rows(dependenceNames, averaged(dependences.filter { !$0.isEmpty }.map { $0.values() }), aggregation: "2D")
        out += rows(dependenceNames, dependences.dropFirst().reduce(dependences[0], +).values(), aggregation: "2.5D")
        out += rows(dependenceNames, volume.dependence.values(), aggregation: "3D")
        return out
    }
}
