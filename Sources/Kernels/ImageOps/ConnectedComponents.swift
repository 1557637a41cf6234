/// Labelling of 6-connected (face-neighbour) components of a binary volume by union–find.
/// Components are numbered 1, 2, … in the raster order of their first voxel, so labels are
/// deterministic; 0 is background.
public struct ConnectedComponents: Sendable {
    /// Component number of every voxel (0 outside the mask).
    public let labels: [Int32]
    /// Voxel count of component `c` at index `c - 1`.
    public let sizes: [Int]

    /// Labels the components of `mask` on `grid`.
    /// - Complexity: O(n α(n)) for n voxels.
    public init(_ mask: [Bool], grid: VolumeGrid) {
        precondition(mask.count == grid.count, "mask of \(mask.count) voxels for a grid of \(grid.count)")
        let (nx, plane) = (grid.nx, grid.nx * grid.ny)
        var parent = [Int32](repeating: -1, count: mask.count)
        func find(_ a: Int32) -> Int32 {
            var root = a
            while parent[Int(root)] != root { root = parent[Int(root)] }
            var node = a
            while parent[Int(node)] != root { let next = parent[Int(node)]; parent[Int(node)] = root; node = next }
            return root
        }
        func union(_ a: Int, _ b: Int) {
            let (ra, rb) = (find(Int32(a)), find(Int32(b)))
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        for n in 0..<mask.count where mask[n] {
            parent[n] = Int32(n)
            let x = n % nx, y = (n / nx) % grid.ny
            if x > 0 && mask[n - 1] { union(n, n - 1) }
            if y > 0 && mask[n - nx] { union(n, n - nx) }
            if n >= plane && mask[n - plane] { union(n, n - plane) }
        }
        // Roots are the smallest index of each component, so numbering roots in raster order numbers
        // components by their first voxel.
        var number = [Int32](repeating: 0, count: mask.count)
        var labels = [Int32](repeating: 0, count: mask.count)
        var sizes: [Int] = []
        for n in 0..<mask.count where mask[n] {
            let root = Int(find(Int32(n)))
            if root == n { sizes.append(0); number[n] = Int32(sizes.count) }
            let label = number[root]
            labels[n] = label
            sizes[Int(label) - 1] += 1
        }
        self.labels = labels
        self.sizes = sizes
    }

    /// Number of components.
    public var count: Int { sizes.count }

    /// The component with most voxels (the first such in raster order), or nil for an empty mask.
    public var largest: Int32? {
        guard let best = sizes.indices.max(by: { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) }) else { return nil }
        return Int32(best + 1)
    }

    /// The voxels of component `label`.
    public func mask(of label: Int32) -> [Bool] { labels.map { $0 == label } }
}
