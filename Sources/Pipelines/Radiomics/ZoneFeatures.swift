/// IBSI grey level size zone (9SAK) and distance zone (VMDZ) matrix features: zones are connected
/// voxels of one level (8-connected in 2D, 26-connected in 3D); a zone's distance is the smallest
/// distance of its voxels to the ROI edge (4-/6-connected steps, 1 next to the edge).
enum ZoneFeatures {
    static let sizeNames: FeatureNames = [
        ("szm.sze", ""), ("szm.lze", "48P8"), ("szm.lgze", "XMSY"), ("szm.hgze", "5GN9"), ("szm.szlge", "5RAI"),
        ("szm.szhge", "HW1V"), ("szm.lzlge", "YH51"), ("szm.lzhge", "J17V"), ("szm.glnu", "JNSA"), ("szm.glnu.norm", "Y1RO"),
        ("szm.zsnu", "4JP3"), ("szm.zsnu.norm", "VB3A"), ("szm.z.perc", "P30P"), ("szm.gl.var", "BYLV"), ("szm.zs.var", "3NSA"),
        ("szm.zs.entr", "GU8N"),
    ]
    static let distanceNames: FeatureNames = [
        ("dzm.sde", "0GBI"), ("dzm.lde", "MB4I"), ("dzm.lgze", "S1RA"), ("dzm.hgze", "K26C"), ("dzm.sdlge", "RUVG"),
        ("dzm.sdhge", "DKNJ"), ("dzm.ldlge", "A7WM"), ("dzm.ldhge", "KLTH"), ("dzm.glnu", "VFT7"), ("dzm.glnu.norm", "7HP3"),
        ("dzm.zdnu", "V294"), ("dzm.zdnu.norm", "IATH"), ("dzm.z.perc", "VIWW"), ("dzm.gl.var", "QK93"), ("dzm.zd.var", "7WT1"),
        ("dzm.zd.entr", "GBDU"),
    ]

    /// Size-zone and distance-zone matrices: one pair per slice of the grid for `planar` zones
    /// (8-connected in the slice), else one pair for the volume (26-connected). `distance` is
    /// `edgeDistances(g, planar:)` on the padded grid.
    static func matrices(_ g: TextureGrid, planar: Bool, distance: [Int32]) -> [(size: SizeZoneMatrix, distance: SizeZoneMatrix)] {
        let offsets = TextureGrid.neighbours.prefix(planar ? 8 : 26).map(g.offset)
        let groups = planar ? g.nz : 1
        var sizes = [[UInt64]](repeating: [], count: groups), distances = sizes
        var seen = [Bool](repeating: false, count: g.levels.count), stack: [Int] = []
        g.levels.withUnsafeBufferPointer { level in seen.withUnsafeMutableBufferPointer { seen in
            for start in g.roi where !seen[start] {
                let a = level[start]
                var count = 0, nearest = Int32.max
                seen[start] = true
                stack.append(start)
                while let p = stack.popLast() {
                    count += 1
                    nearest = min(nearest, distance[p])
                    for o in offsets where level[p + o] == a && !seen[p + o] {
                        seen[p + o] = true
                        stack.append(p + o)
                    }
                }
                let group = planar ? g.slice(of: start) : 0
                sizes[group].append(UInt64(a) << 32 | UInt64(count))
                distances[group].append(UInt64(a) << 32 | UInt64(nearest))
            }
        } }
        return (0..<groups).map { k in
            let voxels = planar ? g.voxelCount(slice: k) : g.roi.count
            return (SizeZoneMatrix(levels: g.levelCount, observations: sizes[k], voxels: voxels),
                    SizeZoneMatrix(levels: g.levelCount, observations: distances[k], voxels: voxels))
        }
    }

    /// Steps (4-connected in each slice, or 6-connected) from each voxel of the morphological mask to the
    /// nearest voxel outside it or the grid, on the padded grid; 1 for voxels on the edge, 0 outside.
    static func edgeDistances(_ g: TextureGrid, planar: Bool) -> [Int32] {
        var d = [Int32](repeating: 0, count: g.levels.count)
        let steps = [SIMD3(1, 0, 0), SIMD3(-1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, -1, 0), SIMD3(0, 0, 1), SIMD3(0, 0, -1)]
            .prefix(planar ? 4 : 6).map(g.offset)
        let inside = g.morphological
        var frontier = inside.indices.filter { p in inside[p] && steps.contains { !inside[p + $0] } }
        for p in frontier { d[p] = 1 }
        var distance: Int32 = 1, next: [Int] = []
        while !frontier.isEmpty {
            distance += 1
            next.removeAll(keepingCapacity: true)
            for p in frontier { for s in steps where inside[p + s] && d[p + s] == 0 {
                d[p + s] = distance
                next.append(p + s)
            } }
            swap(&frontier, &next)
        }
        return d
    }

    /// Both families in the 2D (slice averages), 2.5D (merged slices) and 3D aggregations.
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let everySlice = matrices(g, planar: true, distance: edgeDistances(g, planar: true))
        let perSlice = g.slicesWithROI.map { everySlice[$0] }
        let volume = matrices(g, planar: false, distance: edgeDistances(g, planar: false))[0]
        func v(_ m: SizeZoneMatrix) -> [Double] { Array(m.values().prefix(16)) }
        var out: [RadiomicsFeature] = []
        for (names, pick) in [(sizeNames, { (m: (size: SizeZoneMatrix, distance: SizeZoneMatrix)) in m.size }),
                              (distanceNames, { (m: (size: SizeZoneMatrix, distance: SizeZoneMatrix)) in m.distance })] {
            let slices = perSlice.map(pick)
            out += rows(names, averaged(slices.filter { !$0.isEmpty }.map(v)), aggregation: "2D")
            out += rows(names, v(slices.dropFirst().reduce(slices[0], +)), aggregation: "2.5D")
            out += rows(names, v(pick(volume)), aggregation: "3D")
        }
        return out
    }
}
