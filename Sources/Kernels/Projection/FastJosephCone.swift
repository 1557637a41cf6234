import Foundation
import HepatixKernelsAVX2

/// Joseph's projector pair for 3D geometries whose detector rows run along z (circular and helical
/// cone beams, 3D parallel beams), AVX2. Same definition as `JosephProjector` (bilinear samples on the
/// x or y planes, weighted by the ray length per plane).
///
/// All rays of one detector column meet each plane on one line of voxels along z, at depths affine in
/// the row: the pair works on z-lines. The forward blends the two lines around the crossing and
/// samples it eight rows at a time (`sampleRays`); the adjoint gathers, eight voxels at a time, the rows
/// reaching each voxel with the same tent weights (`spreadRays`) and spreads the result on both lines.
/// The volume is copied into two z-contiguous layouts (planes along y and along x).
///
/// Work: the forward takes blocks of views (one item each); the adjoint takes, block after block of
/// views, chunks of planes (one item each), so no two items write one voxel and the bits do not depend
/// on the thread count.
public final class FastJosephCone: ProjectorPair, @unchecked Sendable {
    public let geometry: ProjectionGeometry
    public let grid: VolumeGrid
    /// Serialises calls: the pair owns its scratch memory.
    private let lock = NSLock()

    /// Views per block and planes per adjoint work item.
    static let viewBlock = 16, planeChunk = 16

    private let rows: Int, columns: Int
    /// Per view and column (`[view][column]`).
    private let rays: ScratchBuffer<ConeColumnRays>
    /// The two z-line layouts: planes along y (`[i][j + 1][k]`) and along x (`[j][i + 1][k]`).
    private let yPlanes: ScratchBuffer<Float>, xPlanes: ScratchBuffer<Float>
    private let lineStride: Int
    /// A block's column entries (`[column][view]`) and step-scaled projections (`[view][column][row]`).
    private let blockRays: ScratchBuffer<ConeColumnRays>, prepared: ScratchBuffer<Float>
    private let workerRays: ScratchBuffer<ConeColumnRays>, workerAcc: ScratchBuffer<Float>, workerLine: ScratchBuffer<Float>
    private let maxThreads: Int
    /// Every view, in order (the default subset, kept so that calls allocate nothing).
    private let allViews: [Int]

    /// Plans the pair, or returns nil when the geometry does not have z-aligned detector rows or has rays
    /// closer to z than to the x-y plane (use `JosephProjector` then).
    public init?(geometry: ProjectionGeometry, grid: VolumeGrid, maxThreads: Int) throws {
        guard !geometry.is2D, geometry.detector == .flat else { return nil }
        self.geometry = geometry
        self.grid = grid
        self.maxThreads = max(1, maxThreads)
        rows = geometry.rows
        columns = geometry.columns
        let nviews = geometry.views.count
        allViews = Array(0..<nviews)
        rays = ScratchBuffer(count: nviews * columns)
        let origin0 = grid.position(i: 0, j: 0, k: 0)
        for v in 0..<nviews {
            let view = geometry.views[v]
            let pitchV = length3(view.detectorV)
            guard abs(view.detectorV.x) <= 1e-9 * pitchV, abs(view.detectorV.y) <= 1e-9 * pitchV else { return nil }
            for c in 0..<columns {
                guard let column = Self.column(geometry, view: v, column: c, origin0: origin0, grid: grid) else { return nil }
                rays.pointer[v * columns + c] = column
            }
        }
        let pad = tentPadding
        lineStride = grid.nz + 2 * pad
        yPlanes = ScratchBuffer(count: grid.ny * (grid.nx + 2) * lineStride)
        xPlanes = ScratchBuffer(count: grid.nx * (grid.ny + 2) * lineStride)
        let block = Self.viewBlock
        blockRays = ScratchBuffer(count: columns * block)
        prepared = ScratchBuffer(count: block * columns * (rows + 2 * pad))
        workerRays = ScratchBuffer(count: self.maxThreads * columns * block)
        workerAcc = ScratchBuffer(count: self.maxThreads * block * (rows + 8))
        workerLine = ScratchBuffer(count: self.maxThreads * max(lineStride + 16, grid.nx * grid.nz))
    }

    /// The crossing coefficients of one detector column, or nil for a ray closer to z than to x-y.
    private static func column(_ g: ProjectionGeometry, view v: Int, column c: Int, origin0: SIMD3<Double>,
                               grid: VolumeGrid) -> ConeColumnRays? {
        let view = g.views[v]
        // Unnormalised direction of row r: e0 + r * de (divergent) or constant (parallel).
        let dc = Double(c) - Double(g.columns - 1) / 2, r0 = -Double(g.rows - 1) / 2
        let pixel0 = view.detectorCentre + view.detectorU * dc + view.detectorV * r0
        let e0 = g.beam == .parallel ? view.rayDirection : pixel0 - view.source
        let de = g.beam == .parallel ? SIMD3<Double>.zero : view.detectorV
        let origin = g.beam == .parallel ? pixel0 : view.source
        for r in [0.0, Double(g.rows - 1)] {
            let b = (e0 + de * r) / grid.spacing
            guard abs(b.z) < max(abs(b.x), abs(b.y)) else { return nil }
        }
        let b0 = e0 / grid.spacing
        let alongX = abs(b0.x) >= abs(b0.y)   // the reference's tie rule
        let (m, o) = alongX ? (0, 1) : (1, 0)
        // Crossing of plane n by the ray from `start` along `dir` (index units): start + dir * (n - start[m]) / dir[m].
        func crossing(_ start: SIMD3<Double>, _ dir: SIMD3<Double>, _ axis: Int) -> (Double, Double) {
            let slope = dir[axis] / dir[m]
            return (start[axis] - slope * start[m], slope)
        }
        let start0 = (origin - origin0) / grid.spacing
        let start1 = g.beam == .parallel ? start0 + view.detectorV / grid.spacing : start0
        let dir1 = (e0 + de) / grid.spacing
        let across = crossing(start0, b0, o), z0 = crossing(start0, b0, 2), z1 = crossing(start1, dir1, 2)
        let planar = e0[0] * e0[0] + e0[1] * e0[1]
        return ConeColumnRays(alongX: alongX, across0: across.0, across1: across.1, alpha0: z0.0, alpha1: z0.1,
                              beta0: z1.0 - z0.0, beta1: z1.1 - z0.1, stepScale: Float(grid.spacing[m] / abs(e0[m])),
                              stepPlanar: Float(planar), stepZ0: Float(e0.z), stepZ1: Float(de.z))
    }

    /// Line layout of one plane family.
    private func lines(alongX: Bool) -> ConeLines {
        let (planes, across) = alongX ? (grid.nx, grid.ny) : (grid.ny, grid.nx)
        return ConeLines(first: (alongX ? xPlanes : yPlanes).pointer + tentPadding, planeStride: (across + 2) * lineStride,
                         lineStride: lineStride, planes: planes, across: across, depth: grid.nz)
    }

    public func forward(_ volume: UnsafeBufferPointer<Float>, into projections: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        requireCall(volume: volume.count, projections: projections.count, threads: pool.threads, maxThreads: maxThreads)
        copyIn(volume, pool: pool)
        let list = subset ?? allViews
        let block = Self.viewBlock, (rows, columns) = (rows, columns)
        let out = SendableMutablePointer(projections.baseAddress!)   // each block writes its own views
        let (yLines, xLines) = (lines(alongX: false), lines(alongX: true))
        pool.forEach(items: (list.count + block - 1) / block) { worker, item in
            let views = list[(item * block)..<min(list.count, (item + 1) * block)]
            let entries = self.workerRays.pointer + worker * columns * block
            for (b, v) in views.enumerated() {
                for c in 0..<columns { entries[c * views.count + b] = self.rays.pointer[v * columns + c] }
            }   // `views` is a slice of `list`: no allocation per block
            let acc = self.workerAcc.pointer + worker * block * (rows + 8)
            let line = self.workerLine.pointer + worker * max(self.lineStride + 16, self.grid.nx * self.grid.nz)
            for c in 0..<columns {
                acc.initialize(repeating: 0, count: views.count * (rows + 8))
                let column = entries + c * views.count
                coneForwardColumnAVX2(column, raysStride: 1, views: views.count, lines: yLines, alongX: false, rows: rows,
                                      acc: acc, accStride: rows + 8, blend: line)
                coneForwardColumnAVX2(column, raysStride: 1, views: views.count, lines: xLines, alongX: true, rows: rows,
                                      acc: acc, accStride: rows + 8, blend: line)
                for (b, v) in views.enumerated() {
                    let sums = acc + b * (rows + 8), target = out.pointer + v * rows * columns + c
                    for r in 0..<rows { target[r * columns] = sums[r] * column[b].step(row: r) }
                }
            }
        }
    }

    public func adjoint(_ projections: UnsafeBufferPointer<Float>, into volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool,
                        views subset: [Int]? = nil) {
        lock.lock()
        defer { lock.unlock() }
        requireCall(volume: volume.count, projections: projections.count, threads: pool.threads, maxThreads: maxThreads)
        let list = subset ?? allViews
        let block = Self.viewBlock, chunk = Self.planeChunk, (rows, columns) = (rows, columns)
        let rayLength = rows + 2 * tentPadding
        let input = SendablePointer(projections.baseAddress!)
        yPlanes.zero()
        xPlanes.zero()
        let (yLines, xLines) = (lines(alongX: false), lines(alongX: true))
        let yChunks = (grid.ny + chunk - 1) / chunk, xChunks = (grid.nx + chunk - 1) / chunk
        for first in stride(from: 0, to: list.count, by: block) {
            let views = list[first..<min(list.count, first + block)]
            // Each item fills one view's column entries and step-scaled, column-major projections.
            pool.forEach(items: views.count) { _, b in
                let v = views[views.startIndex + b]
                for c in 0..<columns {
                    let entry = self.rays.pointer[v * columns + c]
                    self.blockRays.pointer[c * views.count + b] = entry
                    let slot = self.prepared.pointer + (b * columns + c) * rayLength
                    slot.initialize(repeating: 0, count: rayLength)
                    let source = input.pointer + v * rows * columns + c
                    for r in 0..<rows { slot[tentPadding + r] = source[r * columns] * entry.step(row: r) }
                }
            }
            // Each item owns a chunk of planes of one family.
            pool.forEach(items: yChunks + xChunks) { _, item in
                let alongX = item >= yChunks
                let lines = alongX ? xLines : yLines
                let start = (alongX ? item - yChunks : item) * chunk
                let planes = start..<min(lines.planes, start + chunk)
                for c in 0..<columns {
                    coneAdjointColumnAVX2(self.blockRays.pointer + c * views.count, raysStride: 1, views: views.count, lines: lines,
                                          alongX: alongX, planes: planes, rows: rows,
                                          y: self.prepared.pointer + c * rayLength + tentPadding, yStride: columns * rayLength)
                }
            }
        }
        copyOut(volume, pool: pool)
    }

    /// Fills both z-line layouts from `volume` (`[k][i][j]`), padding and outer lines zero.
    private func copyIn(_ volume: UnsafeBufferPointer<Float>, pool: WorkerPool) {
        let input = SendablePointer(volume.baseAddress!)
        let (nx, ny, nz, stride) = (grid.nx, grid.ny, grid.nz, lineStride)
        pool.forEach(items: ny) { _, i in   // plane i of the y layout
            let plane = self.yPlanes.pointer + i * (nx + 2) * stride
            plane.initialize(repeating: 0, count: (nx + 2) * stride)
            for k in 0..<nz {
                let row = input.pointer + (k * ny + i) * nx
                for j in 0..<nx { plane[(j + 1) * stride + tentPadding + k] = row[j] }
            }
        }
        pool.forEach(items: nx) { _, j in   // plane j of the x layout: whole lines from the y layout
            let plane = self.xPlanes.pointer + j * (ny + 2) * stride
            plane.initialize(repeating: 0, count: stride)
            (plane + (ny + 1) * stride).initialize(repeating: 0, count: stride)
            for i in 0..<ny {
                (plane + (i + 1) * stride).update(from: self.yPlanes.pointer + (i * (nx + 2) + j + 1) * stride, count: stride)
            }
        }
    }

    /// `volume[k][i][j]` = sum of both layouts' accumulations.
    private func copyOut(_ volume: UnsafeMutableBufferPointer<Float>, pool: WorkerPool) {
        let out = SendableMutablePointer(volume.baseAddress!)   // item i writes row i of every slice
        let (nx, ny, nz, stride) = (grid.nx, grid.ny, grid.nz, lineStride)
        pool.forEach(items: ny) { worker, i in
            let sums = self.workerLine.pointer + worker * max(stride + 16, nx * nz)   // [k][j]
            for j in 0..<nx {
                let a = self.yPlanes.pointer + (i * (nx + 2) + j + 1) * stride + tentPadding
                let b = self.xPlanes.pointer + (j * (ny + 2) + i + 1) * stride + tentPadding
                for k in 0..<nz { sums[k * nx + j] = a[k] + b[k] }
            }
            for k in 0..<nz { (out.pointer + (k * ny + i) * nx).update(from: sums + k * nx, count: nx) }
        }
    }
}
