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

    /// Both matrices of slice `z` (whole grid for nil).
    static func matrices(_ g: TextureGrid, slice z: Int?) -> (tone: ToneSums, dependence: SizeZoneMatrix) {
        let planar = z != nil
        let offsets = (-1...1).flatMap { dz in (-1...1).flatMap { dy in (-1...1).map { dx in SIMD3(dx, dy, dz) } } }
            .filter { $0 != .zero && (!planar || $0.z == 0) }
        var tone = ToneSums(s: [Double](repeating: 0, count: g.levelCount), n: [Double](repeating: 0, count: g.levelCount))
        var dependence = SizeZoneMatrix(levels: g.levelCount, width: offsets.count + 1)
        let voxels = g.voxels(slice: z)
        dependence.voxels = Double(voxels.count)
        for v in voxels {
            let a = g.level(v.x, v.y, v.z)
            var sum = 0, count = 0, same = 0
            for o in offsets {
                let b = g.level(v.x + o.x, v.y + o.y, v.z + o.z)
                guard b > 0 else { continue }
                sum += b; count += 1
                if b == a { same += 1 }
            }
            dependence.add(level: a, j: same + 1)
            guard count > 0 else { continue }
            tone.s[a - 1] += abs(Double(a) - Double(sum) / Double(count))
            tone.n[a - 1] += 1
        }
        return (tone, dependence)
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
        let perSlice = g.slicesWithROI.map { matrices(g, slice: $0) }
        let volume = matrices(g, slice: nil)
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
