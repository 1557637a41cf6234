import Foundation
import HepatixKernelsAVX2

/// Joseph's projector pair for 2D geometries (parallel or fan, flat or equiangular detector), AVX2.
///
/// Same definition as `JosephProjector`: each ray is sampled once per voxel plane of its dominant axis
/// (image rows when it runs closer to y, image columns otherwise) by linear interpolation, weighted by
/// its length per plane. Rays of one view are grouped into runs sharing a dominant axis; image columns
/// are read from a transposed copy, so every plane is a contiguous padded line.
///
/// - Forward: per view (one work item), eight rays at a time cross each plane (`sampleRays`).
/// - Adjoint: per block of planes (one work item), eight voxels at a time gather the rays that reach
///   them with the same tent weights (`spreadRays`), view after view in a fixed order. No two items
///   write the same voxel, so results are bit-identical for every thread count, with no reduction.
public final class FastJoseph2D: ProjectorPair, @unchecked Sendable {
    public let geometry: ProjectionGeometry
    public let grid: VolumeGrid
    /// Serialises calls: the pair owns its scratch memory.
    private let lock = NSLock()

    /// Rays of one view sharing a dominant axis.
    struct Run {
        /// True when the planes are image columns (the ray runs closer to x).
        let alongColumns: Bool
        let rays: Range<Int>
    }

    private let columns: Int
    /// Padded line lengths of the row-major and transposed images.
    private let rowStride: Int, columnStride: Int
    private let runs: [[Run]]
    private let maxRuns: Int
    /// Per view: ray intercepts then slopes (`columns + 2 * tentPadding` each), and the closed form
    /// for parallel beams.
    private let tables: ScratchBuffer<Float>
    private let closedForms: [(alpha0: Double, alphaStep: Double, beta: Float)]
    private let affine: Bool
    /// Ray length per plane (mm), per view and column.
    private let steps: ScratchBuffer<Float>
    private let rowsIn: ScratchBuffer<Float>, columnsIn: ScratchBuffer<Float>
    private let rowsSum: ScratchBuffer<Float>, columnsSum: ScratchBuffer<Float>
    /// Projections scaled by the ray steps, one padded copy per run (adjoint).
    private let prepared: ScratchBuffer<Float>
    private let rayScratch: ScratchBuffer<Float>, startScratch: ScratchBuffer<Int32>
    private let maxThreads: Int
    /// Every view, in order (the default subset, kept so that calls allocate nothing).
    private let allViews: [Int]

    /// Planes per adjoint work item.
    private static let planeBlock = 8

    /// Plans the pair.
    /// - Throws: `GeometryError.invalidParameter` for a 3D geometry or grid.
    public init(geometry: ProjectionGeometry, grid: VolumeGrid, maxThreads: Int) throws {
        try require(geometry.is2D && grid.nz == 1, "the 2D Joseph pair needs a single-row geometry and a single-slice grid")
        self.geometry = geometry
        self.grid = grid
        self.maxThreads = max(1, maxThreads)
        let m = geometry.columns, pad = tentPadding, nviews = geometry.views.count
        allViews = Array(0..<nviews)
        columns = m
        rowStride = grid.nx + 2 * pad
        columnStride = grid.ny + 2 * pad
        affine = geometry.beam == .parallel && geometry.detector == .flat
        let tableLength = m + 2 * pad
        tables = ScratchBuffer(count: nviews * 2 * tableLength)
        steps = ScratchBuffer(count: nviews * m)
        var runs: [[Run]] = [], closedForms: [(Double, Double, Float)] = []
        let origin0 = grid.position(i: 0, j: 0, k: 0)
        for v in 0..<nviews {
            var intercept = [Double](repeating: 0, count: m), slope = [Double](repeating: 0, count: m)
            var alongColumns = [Bool](repeating: false, count: m)
            for c in 0..<m {
                let ray = geometry.ray(view: v, row: 0, column: Double(c))
                let a = (ray.origin - origin0) / grid.spacing, b = ray.direction / grid.spacing
                alongColumns[c] = abs(b.x) >= abs(b.y)   // the reference's tie rule
                let (m0, o) = alongColumns[c] ? (0, 1) : (1, 0)
                try require(b[m0] != 0, "view \(v) ray \(c) does not cross the image plane")
                slope[c] = b[o] / b[m0]
                intercept[c] = a[o] - slope[c] * a[m0]
                steps.pointer[v * m + c] = Float(1 / abs(b[m0]))
            }
            let a = tables.pointer + v * 2 * tableLength + pad, b = a + tableLength
            for c in -pad..<(m + pad) {
                let e = min(max(c, 0), m - 1)   // ends replicated: positions stay monotone past the detector
                a[c] = Float(intercept[e])
                b[c] = Float(slope[e])
            }
            var viewRuns: [Run] = [], start = 0
            for c in 1...m where c == m || alongColumns[c] != alongColumns[start] {
                viewRuns.append(Run(alongColumns: alongColumns[start], rays: start..<c))
                start = c
            }
            runs.append(viewRuns)
            closedForms.append((intercept[0], slope[0], Float(intercept[1] - intercept[0])))
        }
        self.runs = runs
        self.closedForms = closedForms
        maxRuns = runs.map(\.count).max() ?? 1
        rowsIn = ScratchBuffer(count: grid.ny * rowStride)
        columnsIn = ScratchBuffer(count: grid.nx * columnStride)
        rowsSum = ScratchBuffer(count: grid.ny * rowStride)
        columnsSum = ScratchBuffer(count: grid.nx * columnStride)
        prepared = ScratchBuffer(count: nviews * maxRuns * tableLength)
        rayScratch = ScratchBuffer(count: self.maxThreads * (m + 16))
        startScratch = ScratchBuffer(count: self.maxThreads * (max(grid.nx, grid.ny) + 16))
    }

    private func table(view v: Int) -> RayTable2D {
        let a = UnsafePointer(tables.pointer + v * 2 * (columns + 2 * tentPadding) + tentPadding)
        let f = closedForms[v]
        return RayTable2D(a: a, b: a + columns + 2 * tentPadding, affine: affine, alpha0: f.alpha0, alphaStep: f.alphaStep, beta: f.beta)
    }

    /// Lines of one plane family: first voxel of plane 0, stride, plane count and voxels per line.
    private func lines(_ base: ScratchBuffer<Float>, alongColumns: Bool) -> (UnsafeMutablePointer<Float>, Int, Int, Int) {
        alongColumns ? (base.pointer + tentPadding, columnStride, grid.nx, grid.ny)
                     : (base.pointer + tentPadding, rowStride, grid.ny, grid.nx)
    }

    public func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        requireCall(volume: volume.count, projections: projections.count, threads: pool.threads, maxThreads: maxThreads)
        copyIn(volume, pool: pool)
        let list = subset ?? allViews
        let out = SendableMutablePointer(projections.baseAddress!)   // each view writes its own row
        let m = columns
        pool.forEach(items: list.count) { worker, item in
            let v = list[item]
            let acc = self.rayScratch.pointer + worker * (m + 16)
            acc.initialize(repeating: 0, count: m + 8)
            let table = self.table(view: v)
            for run in self.runs[v] {
                let (first, stride, planes, voxels) = self.lines(run.alongColumns ? self.columnsIn : self.rowsIn, alongColumns: run.alongColumns)
                josephForwardRun2DAVX2(table, lines: first, lineStride: stride, planes: planes, voxels: voxels, rays: run.rays, acc: acc)
            }
            let step = self.steps.pointer + v * m, row = out.pointer + v * m
            for c in 0..<m { row[c] = acc[c] * step[c] }
        }
    }

    public func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        requireCall(volume: volume.count, projections: projections.count, threads: pool.threads, maxThreads: maxThreads)
        let list = subset ?? allViews
        let m = columns, length = m + 2 * tentPadding
        let input = SendablePointer(projections.baseAddress!)
        // Scaled, run-masked copies: each view writes its own slots.
        pool.forEach(items: list.count) { _, item in
            let v = list[item]
            for (s, run) in self.runs[v].enumerated() {
                let slot = self.prepared.pointer + (v * self.maxRuns + s) * length + tentPadding
                (slot - tentPadding).initialize(repeating: 0, count: length)
                for c in run.rays { slot[c] = input.pointer[v * m + c] * self.steps.pointer[v * m + c] }
            }
        }
        rowsSum.zero()
        columnsSum.zero()
        let block = Self.planeBlock
        let rowItems = (grid.ny + block - 1) / block, columnItems = (grid.nx + block - 1) / block
        pool.forEach(items: rowItems + columnItems) { worker, item in
            let alongColumns = item >= rowItems
            let (first, stride, planes, voxels) = self.lines(alongColumns ? self.columnsSum : self.rowsSum, alongColumns: alongColumns)
            let firstPlane = (alongColumns ? item - rowItems : item) * block
            let planeRange = firstPlane..<min(planes, firstPlane + block)
            let starts = self.startScratch.pointer + worker * (max(self.grid.nx, self.grid.ny) + 16)
            for v in list {
                let table = self.table(view: v)
                for (s, run) in self.runs[v].enumerated() where run.alongColumns == alongColumns {
                    let y = self.prepared.pointer + (v * self.maxRuns + s) * length + tentPadding
                    for n in planeRange {
                        josephAdjointPlane2DAVX2(table, plane: n, y: y, rayCount: m, run: run.rays, line: first + n * stride,
                                                 voxels: voxels, starts: starts)
                    }
                }
            }
        }
        let out = SendableMutablePointer(volume.baseAddress!)   // each item writes its own image row
        let (nx, rs, cs) = (grid.nx, rowStride, columnStride)
        pool.forEach(items: grid.ny) { _, i in
            let row = self.rowsSum.pointer + i * rs + tentPadding, column = self.columnsSum.pointer + tentPadding + i
            for j in 0..<nx { out.pointer[i * nx + j] = row[j] + column[j * cs] }
        }
    }

    /// Fills the padded row-major and transposed copies of `volume` (padding stays zero).
    private func copyIn(_ volume: UnsafeBufferPointer<Float>, pool: WorkerPool) {
        let input = SendablePointer(volume.baseAddress!)
        let (nx, ny, rs, cs) = (grid.nx, grid.ny, rowStride, columnStride)
        pool.forEach(items: ny) { _, i in   // item i writes row i and element i of every column
            let source = input.pointer + i * nx
            let row = self.rowsIn.pointer + i * rs + tentPadding, column = self.columnsIn.pointer + tentPadding + i
            for j in 0..<nx {
                row[j] = source[j]
                column[j * cs] = source[j]
            }
        }
    }
}
