/// The convex hull of integer points (exact orientation tests in 64-bit integers). Candidates are first
/// cut down with a necessary condition: a vertex of the 3D hull is a vertex of the 2D hull of every axis
/// plane through it (z, then y, then x planes), which leaves a few thousand of a liver mesh's ~10⁵
/// vertices. The survivors are added one by one: each point outside the current hull replaces the faces
/// it sees by a cone over their horizon. Faces are counter-clockwise seen from outside; points on the
/// hull's faces are skipped (they change neither area nor volume). Deterministic: no randomisation.
struct ConvexHull {
    /// Triangles as point indices; empty when the points are coplanar.
    let faces: [(Int, Int, Int)]

    /// Six times the signed volume of tetrahedron (a, b, c, p): positive when p lies above the
    /// counter-clockwise triangle abc.
    @inline(__always) static func orient(_ a: SIMD3<Int>, _ b: SIMD3<Int>, _ c: SIMD3<Int>, _ p: SIMD3<Int>) -> Int {
        let u = b &- a, v = c &- a, w = p &- a
        return u.x * (v.y * w.z - v.z * w.y) - u.y * (v.x * w.z - v.z * w.x) + u.z * (v.x * w.y - v.y * w.x)
    }

    /// The hull of `all` (distinct points, coordinates below 2²⁰ in magnitude).
    init(_ all: [SIMD3<Int>]) {
        var keep = Array(all.indices)
        for axis in [2, 1, 0] { keep = Self.planeHullVertices(all, keep, axis: axis) }
        keep.sort()
        let hull = ConvexHull(candidates: keep.map { all[$0] })
        faces = hull.faces.map { (keep[$0.0], keep[$0.1], keep[$0.2]) }
    }

    /// The members of `candidates` that are vertices (not edge points) of the 2D convex hull of the
    /// candidates sharing their coordinate on `axis` (Andrew's monotone chain, exact integer turns).
    static func planeHullVertices(_ p: [SIMD3<Int>], _ candidates: [Int], axis: Int) -> [Int] {
        let (u, v) = axis == 2 ? (1, 0) : axis == 1 ? (2, 0) : (2, 1)
        let order = candidates.sorted { a, b in
            (p[a][axis], p[a][u], p[a][v]) < (p[b][axis], p[b][u], p[b][v])
        }
        @inline(__always) func turn(_ o: Int, _ a: Int, _ b: Int) -> Int {
            (p[a][u] - p[o][u]) * (p[b][v] - p[o][v]) - (p[a][v] - p[o][v]) * (p[b][u] - p[o][u])
        }
        var vertices: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && p[order[end]][axis] == p[order[start]][axis] { end += 1 }
            let plane = order[start..<end]
            vertices += plane.count <= 2 ? Array(plane) : Self.monotoneChain(Array(plane), turn: turn)
            start = end
        }
        return vertices
    }

    /// The vertices of the 2D convex hull of `sorted` (at least 3 points in lexicographic order), counter-clockwise
    /// from the first: Andrew's monotone chain, the lower then the upper chain. `turn(o, a, b)` is the cross product
    /// of a − o and b − o; a turn ≤ 0 pops, so collinear points are not vertices.
    static func monotoneChain<Point>(_ sorted: [Point], turn: (Point, Point, Point) -> Int) -> [Point] {
        var hull: [Point] = []
        for sweep in [sorted, sorted.reversed()] {
            let start = hull.count
            for p in sweep {
                while hull.count >= start + 2 && turn(hull[hull.count - 2], hull[hull.count - 1], p) <= 0 { hull.removeLast() }
                hull.append(p)
            }
            hull.removeLast()   // the last point starts the other chain
        }
        return hull
    }

    /// A face with its outward plane: `normal · q > offset` exactly when q sees the face.
    private struct Face {
        let a: Int, b: Int, c: Int
        let normal: SIMD3<Int>, offset: Int

        init(_ a: Int, _ b: Int, _ c: Int, _ p: [SIMD3<Int>]) {
            (self.a, self.b, self.c) = (a, b, c)
            let u = p[b] &- p[a], v = p[c] &- p[a]
            normal = SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
            offset = (normal &* p[a]).wrappedSum()
        }

        @inline(__always) func sees(_ q: SIMD3<Int>) -> Bool { (normal &* q).wrappedSum() > offset }
    }

    private init(candidates p: [SIMD3<Int>]) {
        guard p.count >= 4, let i1 = p.indices.first(where: { p[$0] != p[0] }),
              let i2 = p.indices.first(where: { k in
                  let u = p[i1] &- p[0], v = p[k] &- p[0]
                  return SIMD3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x) != .zero
              }),
              let i3 = p.indices.first(where: { Self.orient(p[0], p[i1], p[i2], p[$0]) != 0 }) else {
            faces = []
            return
        }
        var (a, b, c) = (0, i1, i2)
        if Self.orient(p[a], p[b], p[c], p[i3]) > 0 { swap(&b, &c) }   // i3 below abc: abc faces outward
        var faces = [Face(a, b, c, p), Face(a, c, i3, p), Face(c, b, i3, p), Face(b, a, i3, p)]
        var visible: [Int] = [], edges = Set<SIMD2<Int>>(), horizon: [SIMD2<Int>] = []
        for k in p.indices where k != a && k != b && k != c && k != i3 {
            let q = p[k]
            visible.removeAll(keepingCapacity: true)
            for f in faces.indices where faces[f].sees(q) { visible.append(f) }
            guard !visible.isEmpty else { continue }
            edges.removeAll(keepingCapacity: true)
            for f in visible {
                let t = faces[f]
                edges.insert(SIMD2(t.a, t.b)); edges.insert(SIMD2(t.b, t.c)); edges.insert(SIMD2(t.c, t.a))
            }
            horizon.removeAll(keepingCapacity: true)
            for e in edges where !edges.contains(SIMD2(e.y, e.x)) { horizon.append(e) }
            horizon.sort { ($0.x, $0.y) < ($1.x, $1.y) }   // set order is not reproducible
            // Remove the visible faces (ascending indices) by swapping in survivors from the end.
            for f in visible.reversed() {
                faces.swapAt(f, faces.count - 1)
                faces.removeLast()
            }
            for e in horizon { faces.append(Face(e.x, e.y, k, p)) }
        }
        self.faces = faces.map { ($0.a, $0.b, $0.c) }
    }

    /// Volume and area of the hull of `points` (mm).
    func measures(_ points: [SIMD3<Double>]) -> (volume: Double, area: Double) {
        guard let first = faces.first else { return (0, 0) }
        let o = points[first.0]
        var volume = 0.0, area = 0.0
        for (a, b, c) in faces {
            let (pa, pb, pc) = (points[a] - o, points[b] - o, points[c] - o)
            volume += dot(pa, cross(pb, pc)) / 6
            area += length(cross(pb - pa, pc - pa)) / 2
        }
        return (abs(volume), area)
    }
}
