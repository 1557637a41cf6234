/// IBSI grey level run length matrix features (TP0I) in the six aggregations.
enum RunLengthFeatures {
    static let names: FeatureNames = [
        ("rlm.sre", "22OV"), ("rlm.lre", "W4KF"), ("rlm.lgre", "V3SW"), ("rlm.hgre", "G3QZ"), ("rlm.srlge", "HTZT"),
        ("rlm.srhge", "GD3A"), ("rlm.lrlge", "IVPO"), ("rlm.lrhge", "3KUM"), ("rlm.glnu", "R5YN"), ("rlm.glnu.norm", "OVBL"),
        ("rlm.rlnu", "W92Y"), ("rlm.rlnu.norm", "IC23"), ("rlm.r.perc", "9ZK5"), ("rlm.gl.var", "8CE5"), ("rlm.rl.var", "SXLW"),
        ("rlm.rl.entr", "HJ9O"),
    ]

    /// Runs of equal levels along `d` in slice `z` (whole grid for nil); voxels outside the ROI end runs.
    static func matrix(_ g: TextureGrid, direction d: SIMD3<Int>, slice z: Int?) -> SizeZoneMatrix {
        var m = SizeZoneMatrix(levels: g.levelCount, width: max(g.nx, g.ny, g.nz))
        m.voxels = Double(g.voxelCount(slice: z))
        for v in g.voxels(slice: z) {
            let a = g.level(v.x, v.y, v.z)
            // Start a run only where the previous voxel along d differs (or is outside).
            guard g.level(v.x - d.x, v.y - d.y, v.z - d.z) != a else { continue }
            var length = 1
            while g.level(v.x + length * d.x, v.y + length * d.y, v.z + length * d.z) == a { length += 1 }
            m.add(level: a, j: length)
        }
        return m
    }

    /// All six aggregations (merged matrices count their voxels once per merged direction, as IBSI asks).
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let planar = Array(TextureGrid.directions.prefix(4)), slices = g.slicesWithROI
        let perSlice = slices.map { z in planar.map { matrix(g, direction: $0, slice: z) } }
        let volume = TextureGrid.directions.map { matrix(g, direction: $0, slice: nil) }
        let merge = { (ms: [SizeZoneMatrix]) in ms.dropFirst().reduce(ms[0], +) }
        let byDirection = planar.indices.map { d in merge(perSlice.map { $0[d] }) }
        let keep = Array(0..<16)
        func v(_ m: SizeZoneMatrix) -> [Double] { keep.map { m.values()[$0] } }
        var out: [RadiomicsFeature] = []
        out += rows(names, averaged(perSlice.flatMap { $0 }.filter { !$0.isEmpty }.map(v)), aggregation: "2D, averaged")
        out += rows(names, averaged(perSlice.map(merge).filter { !$0.isEmpty }.map(v)), aggregation: "2D, slice-merged")
        out += rows(names, averaged(byDirection.filter { !$0.isEmpty }.map(v)), aggregation: "2.5D, direction-merged")
        out += rows(names, v(merge(byDirection)), aggregation: "2.5D, merged")
        out += rows(names, averaged(volume.filter { !$0.isEmpty }.map(v)), aggregation: "3D, averaged")
        out += rows(names, v(merge(volume)), aggregation: "3D, merged")
        return out
    }
}
