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
        // Zones as (level << 32 | size) and (level << 32 | distance), with the group (slice) of each.
        var sizeKeys = [UInt64](repeating: 0, count: g.roi.count), distanceKeys = sizeKeys
        var groupOf = [Int32](repeating: 0, count: g.roi.count), zones = 0
        // Visited voxels are cleared to level 0 in a working copy, so "same level" also means "not yet
        // visited": one load per neighbour.
        var open = g.levels
        let stack = UnsafeMutablePointer<Int>.allocate(capacity: g.roi.count)
        defer { stack.deallocate() }
        open.withUnsafeMutableBufferPointer { level in
        distance.withUnsafeBufferPointer { distance in offsets.withUnsafeBufferPointer { offsets in
            for start in g.roi where level[start] != 0 {
                let a = level[start]
                var count = 0, nearest = Int32.max, top = 1
                level[start] = 0
                stack[0] = start
                while top > 0 {
                    top -= 1
                    let p = stack[top]
                    count += 1
                    nearest = min(nearest, distance[p])
                    for o in offsets where level[p + o] == a {
                        level[p + o] = 0
                        stack[top] = p + o
                        top += 1
                    }
                }
                sizeKeys[zones] = UInt64(a) << 32 | UInt64(count)
                distanceKeys[zones] = UInt64(a) << 32 | UInt64(nearest)
                groupOf[zones] = Int32(planar ? g.slice(of: start) : 0)
                zones += 1
            }
        } } }
        var sizes = [[UInt64]](repeating: [], count: groups), distances = sizes
        for k in 0..<zones {
            sizes[Int(groupOf[k])].append(sizeKeys[k])
            distances[Int(groupOf[k])].append(distanceKeys[k])
        }
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
        let allSteps = [1, -1, g.rowStride, -g.rowStride, g.sliceStride, -g.sliceStride]
        // Breadth-first from the edge voxels: one queue, each voxel entering it once.
        let queue = UnsafeMutablePointer<Int>.allocate(capacity: g.levels.count)
        defer { queue.deallocate() }
        g.morphological.withUnsafeBufferPointer { inside in d.withUnsafeMutableBufferPointer { d in allSteps.withUnsafeBufferPointer { all in
            let steps = UnsafeBufferPointer(rebasing: all.prefix(planar ? 4 : 6))
            // Every ROI voxel is at least one padding layer in, so p ± step stays in the grid.
            var tail = 0
            for p in g.sliceStride..<(inside.count - g.sliceStride) where inside[p] {
                for s in steps where !inside[p + s] {
                    d[p] = 1
                    queue[tail] = p
                    tail += 1
                    break
                }
            }
            var head = 0
            while head < tail {
                let p = queue[head], next = d[p] + 1
                head += 1
                for s in steps where inside[p + s] && d[p + s] == 0 {
                    d[p + s] = next
                    queue[tail] = p + s
                    tail += 1
                }
            }
        } } }
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
