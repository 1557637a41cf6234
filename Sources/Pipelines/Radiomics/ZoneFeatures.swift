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

    /// Size-zone and distance-zone matrices of slice `z` (whole grid for nil).
    /// `distance` is `edgeDistances(g, planar: z != nil)`, computed once by the caller for all slices.
    static func matrices(_ g: TextureGrid, slice z: Int?, distance: [Int]) -> (size: SizeZoneMatrix, distance: SizeZoneMatrix) {
        let planar = z != nil
        let voxels = g.voxels(slice: z)
        var size = SizeZoneMatrix(levels: g.levelCount, width: max(1, voxels.count))
        var dist = SizeZoneMatrix(levels: g.levelCount, width: max(g.nx, g.ny, g.nz))
        size.voxels = Double(voxels.count); dist.voxels = size.voxels
        var seen = [Bool](repeating: false, count: g.levels.count)
        let neighbours = (-1...1).flatMap { dz in (-1...1).flatMap { dy in (-1...1).map { dx in SIMD3(dx, dy, dz) } } }
            .filter { $0 != .zero && (!planar || $0.z == 0) }
        for start in voxels where !seen[g.index(start.x, start.y, start.z)] {
            let a = g.level(start.x, start.y, start.z)
            var stack = [start], count = 0, nearest = Int.max
            seen[g.index(start.x, start.y, start.z)] = true
            while let v = stack.popLast() {
                count += 1
                nearest = min(nearest, distance[g.index(v.x, v.y, v.z)])
                for o in neighbours {
                    let w = v &+ o
                    guard g.level(w.x, w.y, w.z) == a, !seen[g.index(w.x, w.y, w.z)] else { continue }
                    seen[g.index(w.x, w.y, w.z)] = true
                    stack.append(w)
                }
            }
            size.add(level: a, j: count)
            dist.add(level: a, j: nearest)
        }
        return (size, dist)
    }

    /// Steps (4-connected in each slice, or 6-connected) from each voxel of the morphological mask to the
    /// nearest voxel outside it or the grid; 1 for voxels on the edge.
    static func edgeDistances(_ g: TextureGrid, planar: Bool) -> [Int] {
        var d = [Int](repeating: 0, count: g.levels.count)
        var frontier: [SIMD3<Int>] = []
        let steps = [SIMD3(1, 0, 0), SIMD3(-1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, -1, 0)] + (planar ? [] : [SIMD3(0, 0, 1), SIMD3(0, 0, -1)])
        func inROI(_ x: Int, _ y: Int, _ z: Int) -> Bool { g.inside(x, y, z) && g.morphological[g.index(x, y, z)] }
        for z in 0..<g.nz { for y in 0..<g.ny { for x in 0..<g.nx where g.morphological[g.index(x, y, z)] {
            if steps.contains(where: { !inROI(x + $0.x, y + $0.y, z + $0.z) }) {
                d[g.index(x, y, z)] = 1
                frontier.append(SIMD3(x, y, z))
            }
        } } }
        var distance = 1
        while !frontier.isEmpty {
            distance += 1
            var next: [SIMD3<Int>] = []
            for v in frontier {
                for s in steps {
                    let w = v &+ s
                    guard inROI(w.x, w.y, w.z), d[g.index(w.x, w.y, w.z)] == 0 else { continue }
                    d[g.index(w.x, w.y, w.z)] = distance
                    next.append(w)
                }
            }
            frontier = next
        }
        return d
    }

    /// Both families in the 2D (slice averages), 2.5D (merged slices) and 3D aggregations.
    static func features(_ g: TextureGrid) -> [RadiomicsFeature] {
        let planarDistances = edgeDistances(g, planar: true)
        let perSlice = g.slicesWithROI.map { matrices(g, slice: $0, distance: planarDistances) }
        let volume = matrices(g, slice: nil, distance: edgeDistances(g, planar: false))
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
