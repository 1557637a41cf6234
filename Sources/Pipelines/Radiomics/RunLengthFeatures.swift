/// IBSI grey level run length matrix features (TP0I) in the six aggregations.
enum RunLengthFeatures {
    static let names: FeatureNames = [
        ("rlm.sre", "22OV"), ("rlm.lre", "W4KF"), ("rlm.lgre", "V3SW"), ("rlm.hgre", "G3QZ"), ("rlm.srlge", "HTZT"),
        ("rlm.srhge", "GD3A"), ("rlm.lrlge", "IVPO"), ("rlm.lrhge", "3KUM"), ("rlm.glnu", "R5YN"), ("rlm.glnu.norm", "OVBL"),
        ("rlm.rlnu", "W92Y"), ("rlm.rlnu.norm", "IC23"), ("rlm.r.perc", "9ZK5"), ("rlm.gl.var", "8CE5"), ("rlm.rl.var", "SXLW"),
        ("rlm.rl.entr", "HJ9O"),
    ]

    /// Runs of equal levels along `d` that start at the ROI voxels `g.roi[voxels]`; voxels outside the ROI
    /// end runs.
    static func matrix(_ g: TextureGrid, direction d: SIMD3<Int>, voxels: Range<Int>) -> SizeZoneMatrix {
        var counts = DenseCounts(levels: g.levelCount, width: max(g.nx, g.ny, g.nz))
        let o = g.offset(d)
        g.levels.withUnsafeBufferPointer { level in g.roi.withUnsafeBufferPointer { roi in
            for k in voxels {
                let p = roi[k], a = level[p]
                // Start a run only where the previous voxel along d differs (or is outside).
                guard level[p - o] != a else { continue }
                var length = 1
                while level[p + length * o] == a { length += 1 }
                counts.add(level: Int(a), j: length)
            }
        } }
        return counts.matrix(voxels: voxels.count)
    }

    /// All six aggregations (merged matrices count their voxels once per merged direction, as IBSI asks).
    /// The whole-volume matrices of the in-slice directions are the merged slices'.
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let planar = Array(TextureGrid.directions.prefix(4)), slices = g.slicesWithROI
        let perSlice = slices.map { z in planar.map { matrix(g, direction: $0, voxels: g.sliceStarts[z]..<g.sliceStarts[z + 1]) } }
        let merge = { (ms: [SizeZoneMatrix]) in ms.dropFirst().reduce(ms[0], +) }
        let byDirection = planar.indices.map { d in merge(perSlice.map { $0[d] }) }
        let volume = byDirection + TextureGrid.directions.dropFirst(4).map { matrix(g, direction: $0, voxels: 0..<g.roi.count) }
        func v(_ m: SizeZoneMatrix) -> [Double] { Array(m.values().prefix(16)) }
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
