import CFFTW
import Foundation

/// Inverse-distance pair sums over a 3D grid, `S(a, b) = Σ_{i≠j} a_i b_j / |r_i - r_j|` (mm), for several
/// grids and pairs at once, in O(N log N) instead of O(N²). Spatial autocorrelation (Moran's I, Geary's C)
/// is built from a few such sums.
///
/// Method: `S(a, b)` is the inverse-distance kernel `K` (`K(0) = 0`) summed against the cross-correlation
/// of `a` and `b`; by Parseval it equals `(1/P) Σ_k K̂(k) Re(â(k) conj(b̂(k)))` on a grid zero-padded to
/// `P ≥ 2n - 1` per axis (no wrap-around), so each grid needs one forward FFT and no inverse. The kernel
/// is even, so its spectrum is real and comes from a 3D DCT-I on an eighth of the padded grid. The forward
/// FFTs skip the zero padding: x-transforms run only on the x-rows holding data in some grid, then each x-frequency
/// plane is transformed along y on its `nz` data rows and along z in full, and summed at once (so the
/// padded spectra are never stored whole). Padded sizes are even 2^a 3^b 5^c numbers (a prime factor
/// such as 2 x 107 slows FFTW down ~10x). The transforms run in single precision (twice as fast as double,
/// half the memory) and every product and sum in double: the rounding error of a float FFT is ~1e-7 of
/// the spectrum's energy, and here the sums are large fractions of it (Moran's I and Geary's C of IBSI's
/// phantoms and a liver ROI move by at most 2e-7 relative against all-double transforms; IBSI's
/// tolerances are ~5e-3). FFTW_ESTIMATE plans and x-frequency planes summed in a fixed order, so the bits
/// depend on neither timing nor the thread count.
public enum InverseDistancePairSums {
    /// `S(grids[p.0], grids[p.1])` for every pair `p`, each grid `nx × ny × nz` (x fastest) with voxel
    /// `spacing` (mm), on up to `threads` workers (0: one per core).
    /// - Throws: `GeometryError` for empty or oversized grids, bad pair indices, or when FFTW cannot plan.
    public static func sums(_ grids: [[Float]], pairs: [(Int, Int)], nx: Int, ny: Int, nz: Int,
                            spacing: SIMD3<Double>, threads: Int = 0) throws -> [Double] {
        try require(nx >= 1 && ny >= 1 && nz >= 1 && !grids.isEmpty && grids.allSatisfy { $0.count == nx * ny * nz },
                    "grid and data sizes disagree")
        try require(pairs.allSatisfy { grids.indices.contains($0.0) && grids.indices.contains($0.1) }, "pair index out of range")
        func padded(_ n: Int) -> Int { 2 * RampFilter.fftFriendlyLength(atLeast: n) }   // even, ≥ 2n - 1
        let (px, py, pz) = (padded(nx), padded(ny), padded(nz))
        try require(px * py * pz <= 1 << 30 && nx * ny * nz * grids.count <= 1 << 28, "grid too large for the inverse-distance sums")
        let hx = px / 2 + 1, plane = nz * ny, (ky, kz) = (py / 2 + 1, pz / 2 + 1)
        let pool = WorkerPool(threads: threads)
        // Stage 1, two independent items: the kernel spectrum, and the x-transforms of every data row
        // (stored as [grid][u][z][y]).
        let stage = StageOne()
        pool.forEach(items: 2) { _, item in
            stage.run(item == 0 ? { stage.kernel = try kernelSpectrum(halves: SIMD3(px / 2, py / 2, pz / 2), spacing: spacing) }
                                : { stage.rows = try XTransformedRows(grids, nx: nx, plane: plane, px: px) })
        }
        let (kernel, rows) = try stage.results()
        let targets = rows.dataRows.map { $0 / ny * py + $0 % ny }   // each data row's place in a plane
        // Stage 2: per x-frequency u, y- then z-transforms of each grid's plane, then the weighted products.
        let planes = try PlaneTransforms(py: py, pz: pz, dataRows: nz, grids: grids.count)
        defer { planes.destroy() }
        let partial = UnsafeMutableBufferPointer<Double>.allocate(capacity: hx * pairs.count)
        defer { partial.deallocate() }
        let scratch = (0..<pool.threads).map { _ in planes.makeScratch() }
        defer { scratch.forEach { $0.forEach { fftwf_free($0) } } }
        let partialPointer = SendableMutablePointer(partial.baseAddress!)
        let scratchPointers = scratch.map { $0.map(SendableMutablePointer.init) }
        kernel.withUnsafeBufferPointer { kernelBuffer in
        let kernelPointer = SendablePointer(kernelBuffer.baseAddress!)
        pool.forEach(items: hx) { worker, u in
            let buffers = scratchPointers[worker].map(\.pointer)
            for g in grids.indices {
                let b = buffers[g]
                b.update(repeating: (0, 0), count: py * pz)
                let source = rows.pointer(grid: g, u: u)
                for (k, target) in targets.enumerated() { b[target] = source[k] }
                planes.transform(b)
            }
            let weight = u == 0 || u == px / 2 ? 1.0 : 2.0
            for (k, pair) in pairs.enumerated() {
                let (a, c) = (buffers[pair.0], buffers[pair.1])
                var sum = 0.0
                for z in 0..<pz {
                    let kernelRow = kernelPointer.pointer + (u * kz + (z <= pz / 2 ? z : pz - z)) * ky
                    for y in 0..<py {
                        let (p, q) = (a[z * py + y], c[z * py + y])
                        sum += Double(kernelRow[y <= py / 2 ? y : py - y]) * (Double(p.0) * Double(q.0) + Double(p.1) * Double(q.1))
                    }
                }
                partialPointer.pointer[u * pairs.count + k] = weight * sum
            }
        }
        }
        return pairs.indices.map { k in (0..<hx).reduce(0.0) { $0 + partial[$1 * pairs.count + k] } / Double(px * py * pz) }
    }

    /// The real spectrum of the periodic inverse-distance kernel at frequencies `0 ... halves` per axis,
    /// laid out [u_x][u_z][u_y]: a DCT-I of the kernel over offsets `0 ... halves`.
    static func kernelSpectrum(halves h: SIMD3<Int>, spacing: SIMD3<Double>) throws -> [Float] {
        let (mx, my, mz) = (h.x + 1, h.y + 1, h.z + 1)
        var spectrum = [Float](repeating: 0, count: mx * my * mz)
        let input = fftwf_alloc_real(mx * my * mz)!
        defer { fftwf_free(input) }
        for x in 0..<mx { for z in 0..<mz { for y in 0..<my {
            let d = SIMD3(Double(x), Double(y), Double(z)) * spacing
            let r = (d * d).sum().squareRoot()
            input[(x * mz + z) * my + y] = r > 0 ? Float(1 / r) : 0
        } } }
        let kind = fftwf_r2r_kind(FFTW_REDFT00.rawValue)
        try spectrum.withUnsafeMutableBufferPointer { out in
            guard let plan = fftwPlannerLock.withLock({
                fftwf_plan_r2r_3d(Int32(mx), Int32(mz), Int32(my), input, out.baseAddress, kind, kind, kind, UInt32(FFTW_ESTIMATE))
            }) else { throw GeometryError.unsupported("FFTW could not plan a \(mx) x \(mz) x \(my) DCT-I") }
            fftwf_execute(plan)
            fftwPlannerLock.withLock { fftwf_destroy_plan(plan) }
        }
        return spectrum
    }
}

/// The two results of stage 1, written by two workers.
private final class StageOne: @unchecked Sendable {
    private let lock = NSLock()
    private var storedKernel: [Float]?, storedRows: XTransformedRows?, failure: Error?
    var kernel: [Float]? { get { lock.withLock { storedKernel } } set { lock.withLock { storedKernel = newValue } } }
    var rows: XTransformedRows? { get { lock.withLock { storedRows } } set { lock.withLock { storedRows = newValue } } }

    /// Runs `body`, keeping its error.
    func run(_ body: () throws -> Void) {
        do { try body() } catch { lock.withLock { failure = failure ?? error } }
    }

    func results() throws -> ([Float], XTransformedRows) {
        try lock.withLock {
            if let failure { throw failure }
            return (storedKernel!, storedRows!)
        }
    }
}

/// Stage 1 of `InverseDistancePairSums`: real-to-complex transforms (length `px`, zero-padded) of the
/// x-rows that hold data in any grid (a liver's box is ~40 % empty rows, whose transforms are zero),
/// stored transposed as [grid][u][data row] so each x-frequency plane is contiguous.
private final class XTransformedRows: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<fftwf_complex>
    private let hx: Int
    /// Indices (z * ny + y) of the rows with data, ascending.
    let dataRows: [Int]

    init(_ grids: [[Float]], nx: Int, plane: Int, px: Int) throws {
        hx = px / 2 + 1
        dataRows = (0..<plane).filter { r in grids.contains { g in g[(r * nx)..<((r + 1) * nx)].contains { $0 != 0 } } }
        let rows = dataRows.count
        storage = fftwf_alloc_complex(max(1, grids.count * hx * rows))!
        let batch = 256   // rows per transform call
        let input = fftwf_alloc_real(batch * px)!, output = fftwf_alloc_complex(batch * hx)!
        defer { fftwf_free(input); fftwf_free(output) }
        var n = Int32(px)
        guard let plan = fftwPlannerLock.withLock({
            fftwf_plan_many_dft_r2c(1, &n, Int32(batch), input, nil, 1, Int32(px), output, nil, 1, Int32(hx), UInt32(FFTW_ESTIMATE))
        }) else {
            fftwf_free(storage)
            throw GeometryError.unsupported("FFTW could not plan \(batch) transforms of length \(px)")
        }
        defer { fftwPlannerLock.withLock { fftwf_destroy_plan(plan) } }
        input.update(repeating: 0, count: batch * px)
        for (g, grid) in grids.enumerated() {
            for first in stride(from: 0, to: rows, by: batch) {
                let count = min(batch, rows - first)
                for r in 0..<count { for x in 0..<nx { input[r * px + x] = grid[dataRows[first + r] * nx + x] } }
                for r in count..<batch { for x in 0..<nx { input[r * px + x] = 0 } }
                fftwf_execute(plan)
                let base = storage + g * hx * rows
                for r in 0..<count { for u in 0..<hx { base[u * rows + first + r] = output[r * hx + u] } }
            }
        }
    }

    deinit { fftwf_free(storage) }

    /// The transformed data rows of grid `g` at x-frequency `u`, in `dataRows` order.
    func pointer(grid g: Int, u: Int) -> UnsafeMutablePointer<fftwf_complex> { storage + (g * hx + u) * dataRows.count }
}

/// Stage 2 of `InverseDistancePairSums`: in-place 2D transforms of one x-frequency plane (`pz × py`,
/// y fastest) whose first `dataRows` z-rows hold data and the rest zeros.
private struct PlaneTransforms: @unchecked Sendable {
    let py: Int, pz: Int, grids: Int
    private let alongY: fftwf_plan, alongZ: fftwf_plan

    init(py: Int, pz: Int, dataRows: Int, grids: Int) throws {
        (self.py, self.pz, self.grids) = (py, pz, grids)
        let probe = fftwf_alloc_complex(py * pz)!
        defer { fftwf_free(probe) }
        var (ny, nz) = (Int32(py), Int32(pz))
        let plans = fftwPlannerLock.withLock {
            (fftwf_plan_many_dft(1, &ny, Int32(dataRows), probe, nil, 1, Int32(py), probe, nil, 1, Int32(py), FFTW_FORWARD, UInt32(FFTW_ESTIMATE)),
             fftwf_plan_many_dft(1, &nz, Int32(py), probe, nil, Int32(py), 1, probe, nil, Int32(py), 1, FFTW_FORWARD, UInt32(FFTW_ESTIMATE)))
        }
        guard let y = plans.0, let z = plans.1 else {
            fftwPlannerLock.withLock { [plans.0, plans.1].compactMap { $0 }.forEach(fftwf_destroy_plan) }
            throw GeometryError.unsupported("FFTW could not plan \(py) x \(pz) plane transforms")
        }
        (alongY, alongZ) = (y, z)
    }

    /// One plane buffer per grid, for one worker.
    func makeScratch() -> [UnsafeMutablePointer<fftwf_complex>] { (0..<grids).map { _ in fftwf_alloc_complex(py * pz)! } }

    /// Transforms `plane` in place (FFTW's new-array execute is thread-safe).
    func transform(_ plane: UnsafeMutablePointer<fftwf_complex>) {
        fftwf_execute_dft(alongY, plane, plane)
        fftwf_execute_dft(alongZ, plane, plane)
    }

    func destroy() { fftwPlannerLock.withLock { fftwf_destroy_plan(alongY); fftwf_destroy_plan(alongZ) } }
}
