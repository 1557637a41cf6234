import Foundation

/// The ROI surface as IBSI builds it: marching cubes at level 0.5 on the mask padded with empty voxels,
/// vertices at the midpoints of cube edges that join an ROI voxel to a non-ROI one (binary data).
///
/// The triangle table is derived rather than transcribed: on each cube face the crossings are paired
/// into segments with the ROI on their right as seen from outside the cube (an ambiguous face, two
/// diagonal ROI corners, cuts each corner off on its own); segments chain into closed loops, and a loop
/// of four or more vertices becomes a star of triangles around its centroid (symmetric: no arbitrary
/// diagonal). Neighbouring cubes derive the same segment on a shared face in opposite directions, so the
/// mesh is closed and consistently oriented. On IBSI's digital phantom: volume 553.1 mm³ and area
/// 386.3 mm² against the reference 556 ± 4 and 388 ± 3.
struct SurfaceMesh {
    /// Enclosed volume (divergence theorem: |Σ a · (b × c)| / 6) and surface area (mm³, mm²), summed over
    /// the triangles as they are made.
    let volume: Double, area: Double
    /// Distinct vertices (mm), and the same in half-voxel units (exact integers) for the convex hull.
    let vertices: [SIMD3<Double>]
    let halfVoxelVertices: [SIMD3<Int>]


    /// The mesh of `mask` (`nx × ny × nz`, x fastest) with voxel `spacing`.
    init(mask: [Bool], nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>) {
        // The mask padded by one empty voxel on every side: a cube's eight corners are plain loads.
        let (px, pxy) = (nx + 2, (nx + 2) * (ny + 2))
        var padded = [UInt8](repeating: 0, count: pxy * (nz + 2))
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx where mask[(z * ny + y) * nx + x] {
            padded[(z + 1) * pxy + (y + 1) * px + x + 1] = 1
        } } }
        let cornerOffsets = (0..<8).map { c in (c >> 2 & 1) * pxy + (c >> 1 & 1) * px + (c & 1) }
        var volume = 0.0, area = 0.0
        func add(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ c: SIMD3<Double>) {
            volume += dot(a, cross(b, c))
            area += length(cross(b - a, c - a))
        }
        // Each vertex is the midpoint of one grid edge: mark edges (lower corner, axis) in a dense table
        // instead of hashing coordinates, and keep the doubled coordinates of each new vertex.
        let (ex, ey) = (nx + 2, ny + 2)
        var seen = [Bool](repeating: false, count: ex * ey * (nz + 2) * 3)
        var keys: [UInt64] = []
        for z in -1..<nz { for y in -1..<ny { for x in -1..<nx {
            let base = (z + 1) * pxy + (y + 1) * px + x + 1   // padded index of corner 0
            var config = 0
            for c in 0..<8 { config |= Int(padded[base + cornerOffsets[c]]) << c }
            guard config != 0 && config != 255 else { continue }
            for loop in Self.table[config] {
                let points = loop.map { edge -> SIMD3<Int> in
                    let (a, b) = Self.edges[edge]
                    let low = SIMD3(x, y, z) &+ Self.corner(a), axis = (b ^ a).trailingZeroBitCount
                    let slot = (((low.z + 1) * ey + low.y + 1) * ex + low.x + 1) * 3 + axis
                    let doubled = SIMD3(2 * x, 2 * y, 2 * z) &+ Self.corner(a) &+ Self.corner(b)
                    if !seen[slot] {
                        seen[slot] = true
                        keys.append(UInt64(doubled.z + 2) << 42 | UInt64(doubled.y + 2) << 21 | UInt64(doubled.x + 2))
                    }
                    return doubled
                }
                let mm = points.map { SIMD3<Double>(Double($0.x), Double($0.y), Double($0.z)) * spacing / 2 }
                if mm.count == 3 {
                    add(mm[0], mm[1], mm[2])
                } else {
                    let c = mm.reduce(.zero, +) / Double(mm.count)
                    for k in 0..<mm.count { add(c, mm[k], mm[(k + 1) % mm.count]) }
                }
            }
        } } }
        (self.volume, self.area) = (abs(volume) / 6, area / 2)
        // Sorted keys order the vertices by (z, y, x), as the convex hull's plane filter expects.
        let mask21: UInt64 = (1 << 21) - 1
        halfVoxelVertices = keys.sorted().map { k in SIMD3(Int(k & mask21) - 2, Int(k >> 21 & mask21) - 2, Int(k >> 42) - 2) }
        vertices = halfVoxelVertices.map { SIMD3<Double>(Double($0.x), Double($0.y), Double($0.z)) * spacing / 2 }
    }

    static func corner(_ c: Int) -> SIMD3<Int> { SIMD3(c & 1, c >> 1 & 1, c >> 2 & 1) }

    /// The 12 cube edges as corner pairs.
    static let edges: [(Int, Int)] = (0..<8).flatMap { a in [1, 2, 4].compactMap { bit in a & bit == 0 ? (a, a | bit) : nil } }

    /// Loops of edge indices per corner configuration (bit c set: corner c in the ROI).
    static let table: [[[Int]]] = (0..<256).map(loops)

    /// The six faces, corners counter-clockwise as seen from outside the cube.
    static let faces: [[Int]] = {
        let normals = [SIMD3(-1, 0, 0), SIMD3(1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 1, 0), SIMD3(0, 0, -1), SIMD3(0, 0, 1)]
        return normals.map { n in
            let axis = n.x != 0 ? 0 : n.y != 0 ? 1 : 2
            let side = n[axis] > 0 ? 1 : 0
            let members = (0..<8).filter { corner($0)[axis] == side }
            let centre = SIMD3<Double>(0.5, 0.5, 0.5)
            let nd = SIMD3<Double>(Double(n.x), Double(n.y), Double(n.z))
            let u = axis == 0 ? SIMD3<Double>(0, 1, 0) : SIMD3<Double>(1, 0, 0)
            let v = cross(nd, u)
            return members.sorted { a, b in
                let pa = SIMD3<Double>(corner(a)) - centre, pb = SIMD3<Double>(corner(b)) - centre
                return atan2(dot(pa, v), dot(pa, u)) < atan2(dot(pb, v), dot(pb, u))
            }
        }
    }()

    static func loops(_ config: Int) -> [[Int]] {
        func isIn(_ c: Int) -> Bool { config >> c & 1 == 1 }
        func edgeIndex(_ a: Int, _ b: Int) -> Int { edges.firstIndex { ($0.0 == a && $0.1 == b) || ($0.0 == b && $0.1 == a) }! }
        var next: [Int: Int] = [:]
        for face in faces {
            // Crossings along the counter-clockwise walk: entering the ROI, then leaving it.
            var entering: [Int] = [], leaving: [Int] = []
            var order: [(edge: Int, enters: Bool)] = []
            for k in 0..<4 {
                let (a, b) = (face[k], face[(k + 1) % 4])
                guard isIn(a) != isIn(b) else { continue }
                order.append((edgeIndex(a, b), isIn(b)))
            }
            // Rotate so the walk starts at an entering crossing, then pair each with the next leaving one.
            if let first = order.firstIndex(where: { $0.enters }) { order = Array(order[first...] + order[..<first]) }
            for c in order { if c.enters { entering.append(c.edge) } else { leaving.append(c.edge) } }
            for (a, b) in zip(entering, leaving) { next[a] = b }
        }
        var loops: [[Int]] = [], used = Set<Int>()
        for start in next.keys.sorted() where !used.contains(start) {
            var loop: [Int] = [], e = start
            while !used.contains(e) {
                used.insert(e)
                loop.append(e)
                e = next[e]!
            }
            loops.append(loop)
        }
        return loops
    }
}

@inline(__always) func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
@inline(__always) func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}
@inline(__always) func length(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }

extension SIMD3 where Scalar == Double {
    init(_ v: SIMD3<Int>) { self.init(Double(v.x), Double(v.y), Double(v.z)) }
}
