/// The convex hull of integer points (exact orientation tests in 64-bit integers), built incrementally:
/// each point outside the current hull replaces the faces it sees by a cone over their horizon. Faces
/// are counter-clockwise seen from outside. Points on the hull's faces are skipped (they change neither
/// area nor volume). O(points × faces): meant for meshes of tumour-sized ROIs.
struct ConvexHull {
    /// Triangles as point indices; empty when the points are coplanar.
    let faces: [(Int, Int, Int)]

    /// Six times the signed volume of tetrahedron (a, b, c, p): positive when p lies above the
    /// counter-clockwise triangle abc.
    @inline(__always) static func orient(_ a: SIMD3<Int>, _ b: SIMD3<Int>, _ c: SIMD3<Int>, _ p: SIMD3<Int>) -> Int {
        let u = b &- a, v = c &- a, w = p &- a
        return u.x * (v.y * w.z - v.z * w.y) - u.y * (v.x * w.z - v.z * w.x) + u.z * (v.x * w.y - v.y * w.x)
    }

    init(_ all: [SIMD3<Int>]) {
        // A hull vertex has no point on both sides of it along any line, so only the first and last point
        // of each x-row can be one: keep those (indices into `all`), a few thousand out of ~1e5 vertices.
        var ends: [SIMD2<Int>: (Int, Int)] = [:]
        for (k, q) in all.enumerated() {
            let row = SIMD2(q.y, q.z)
            if let (lo, hi) = ends[row] {
                ends[row] = (all[lo].x <= q.x ? lo : k, all[hi].x >= q.x ? hi : k)
            } else {
                ends[row] = (k, k)
            }
        }
        let keep = Array(Set(ends.values.flatMap { [$0.0, $0.1] })).sorted()
        let hull = ConvexHull(candidates: keep.map { all[$0] })
        faces = hull.faces.map { (keep[$0.0], keep[$0.1], keep[$0.2]) }
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
        var faces = [(a, b, c), (a, c, i3), (c, b, i3), (b, a, i3)]
        for k in p.indices where k != a && k != b && k != c && k != i3 {
            let visible = faces.indices.filter { Self.orient(p[faces[$0].0], p[faces[$0].1], p[faces[$0].2], p[k]) > 0 }
            guard !visible.isEmpty else { continue }
            var edges = Set<SIMD2<Int>>()
            for f in visible {
                let t = faces[f]
                for e in [SIMD2(t.0, t.1), SIMD2(t.1, t.2), SIMD2(t.2, t.0)] { edges.insert(e) }
            }
            let horizon = edges.filter { !edges.contains(SIMD2($0.y, $0.x)) }
            let hidden = Set(visible)
            faces = faces.indices.filter { !hidden.contains($0) }.map { faces[$0] }
            for e in horizon.sorted(by: { ($0.x, $0.y) < ($1.x, $1.y) }) { faces.append((e.x, e.y, k)) }
        }
        self.faces = faces
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
