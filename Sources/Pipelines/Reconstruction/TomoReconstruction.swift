import Foundation
import HepatixKernels

/// Reconstruction of measured parallel-beam micro-CT (`TomoDataset`), following the steps TomoPy
/// documents: flat/dark correction, `-ln`, an automatic rotation-centre search, then FBP (ramp) or
/// PWLS-TV per detector row.
///
/// Conventions (those of the tomopy-tooth reference): the rotation centre `c` is a 0-based detector
/// column; every sinogram row is shifted by `columns/2 - c` (integer division) with an exact Fourier
/// phase ramp (`FourierShifter`, 256 edge-replicated columns of padding) so the axis sits on column
/// `columns/2`, which is also where pixel centres project at 0° and 90°: the backprojection then reads
/// detector samples, not half-way interpolations that would smooth the image.
/// Slices are `columns × columns` pixels of one detector pitch, pixel (row i, column j) centred at
/// `x = j - columns/2`, `y = columns/2 - i` (the axis at (0, 0)); values are attenuation per pixel.
public enum TomoReconstruction {
    /// What to reconstruct and how to search for the centre.
    public struct Options: Sendable {
        /// `.fbp` (ramp filter) or PWLS with a Huber (smoothed-TV) prior warm-started from FBP.
        public enum Algorithm: String, Sendable { case fbp, pwlsTV = "pwls-tv" }
        public var algorithm = Algorithm.fbp
        /// Coarse search half-width around the mirror-correlation estimate (columns). Default 8.
        public var searchHalfWidth = 8.0
        /// PWLS prior strength, Huber threshold (attenuation per pixel) and iterations.
        public var beta = 2.0, delta = 0.002, iterations = 20
        /// Worker threads; 0 means one per core.
        public var threads = 0

        /// Defaults.
        public init() {}
    }

    /// The slices and the centre they were reconstructed with.
    public struct Result: Sendable {
        /// `[row][i][j]`, `rows × columns × columns`.
        public let slices: [Float]
        /// The centre used (mean of the rows' centres) and each row's own minimum.
        public let centre: Double
        public let rowCentres: [Double]
        /// Pixels per side, and transmissions clipped to 1e-6 before the logarithm.
        public let size: Int
        public let clippedTransmissions: Int
    }

    /// Line integrals `-ln((P - D) / (F - D))` with flats and darks averaged over their frames,
    /// `[angle][row][column]`. Transmissions below 1e-6 (dead pixels, a dark above a flat) are clipped
    /// there and counted.
    public static func lineIntegrals(_ d: TomoDataset) -> (values: [Float], clipped: Int) {
        let frame = d.rows * d.columns
        func mean(_ frames: [Float]) -> [Double] {
            let n = frames.count / frame
            return (0..<frame).map { p in (0..<n).reduce(0.0) { $0 + Double(frames[$1 * frame + p]) } / Double(n) }
        }
        let flat = mean(d.flats), dark = mean(d.darks)
        var clipped = 0
        let values = d.projections.indices.map { i -> Float in
            let p = i % frame
            let t = (Double(d.projections[i]) - dark[p]) / max(flat[p] - dark[p], 1e-6)
            if t < 1e-6 { clipped += 1 }
            return Float(-log(max(t, 1e-6)))
        }
        return (values, clipped)
    }

    /// Corrects, finds the centre and reconstructs every detector row of `d`.
    /// - Throws: `ReconstructionError` (also `.cancelled` from `progress`).
    public static func reconstruct(_ d: TomoDataset, options: Options = Options(), progress: ProgressHandler? = nil) throws -> Result {
        let (p, clipped) = lineIntegrals(d)
        let slicer = try CentredSlicer(angles: d.angles, columns: d.columns, threads: options.threads)
        var rows = [[Float]](repeating: [], count: d.rows)   // one sinogram [angle][column] per detector row
        for a in d.angles.indices {
            for r in 0..<d.rows {
                let start = (a * d.rows + r) * d.columns
                rows[r] += p[start..<(start + d.columns)]
            }
        }
        var centres: [Double] = []
        for (r, sinogram) in rows.enumerated() {
            centres.append(try slicer.findCentre(sinogram, halfWidth: options.searchHalfWidth))
            if let progress, !progress(0.5 * Double(r + 1) / Double(d.rows)) { throw ReconstructionError.cancelled }
        }
        let centre = centres.reduce(0, +) / Double(centres.count)
        var slices: [Float] = []
        for (r, sinogram) in rows.enumerated() {
            let centred = slicer.centred(sinogram, centre: centre)
            var image = try slicer.fbp.reconstruct(centred)
            if options.algorithm == .pwlsTV {
                let plan = try PWLSPlan(geometry: slicer.fbp.geometry, grid: slicer.fbp.grid, beta: options.beta, delta: options.delta,
                                        options: IterativeOptions(iterations: options.iterations, threads: options.threads))
                image = try plan.execute(projections: centred, initial: image.map { max($0, 0) }).image
            }
            // Our grid has y growing with the row; the reference convention has it falling.
            for i in stride(from: d.columns - 1, through: 0, by: -1) { slices += image[(i * d.columns)..<((i + 1) * d.columns)] }
            if let progress, !progress(0.5 + 0.5 * Double(r + 1) / Double(d.rows)) { throw ReconstructionError.cancelled }
        }
        return Result(slices: slices, centre: centre, rowCentres: centres, size: d.columns, clippedTransmissions: clipped)
    }
}

/// FBP of one sinogram row around a chosen rotation centre, and the entropy search for that centre.
struct CentredSlicer {
    let angles: [Double]
    let columns: Int
    let fbp: FBPPlan
    let shifter: FourierShifter

    init(angles: [Double], columns: Int, threads: Int) throws {
        self.angles = angles
        self.columns = columns
        // The axis column columns/2 sits (columns - 1)/2 - columns/2 from the detector centre.
        let offset = Double(columns - 1) / 2 - Double(columns / 2)
        let geometry = try ReconstructionError.wrap {
            try ProjectionGeometry.parallel2D(angles: angles, bins: columns, binPitch: 1, detectorOffset: offset)
        }
        // This centre puts pixel centres at x = j - n/2 and (after the row flip) y = n/2 - i.
        let grid = try ReconstructionError.wrap {
            try VolumeGrid(nx: columns, ny: columns, spacing: SIMD3(1, 1, 1), centre: SIMD3(offset, -offset, 0))
        }
        var options = FBPOptions(window: .ramLak, threads: threads)
        options.allowTruncation = true   // the square's corners lie outside the measured circle
        fbp = try FBPPlan(geometry: geometry, grid: grid, options: options)
        shifter = try ReconstructionError.wrap { try FourierShifter(length: columns, padding: 256) }
    }

    /// `sinogram` (`[angle][column]`) with every row shifted so that column `centre` moves to `columns/2`.
    func centred(_ sinogram: [Float], centre: Double) -> [Float] {
        var out = [Float](repeating: 0, count: sinogram.count)
        let shift = Double(columns / 2) - centre
        sinogram.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for a in angles.indices { shifter.shift(s.baseAddress! + a * columns, by: shift, into: o.baseAddress! + a * columns) }
            }
        }
        return out
    }

    /// The centre minimising the entropy of the reconstruction inside the inscribed circle (TomoPy's
    /// criterion): a start from mirror correlation of the first and last projections, a 0.5-column scan
    /// over ±`halfWidth`, then 0.25- and 0.05-column refinements.
    func findCentre(_ sinogram: [Float], halfWidth: Double) throws -> Double {
        let start = mirrorEstimate(sinogram)
        let first = try fbp.reconstruct(centred(sinogram, centre: start))
        let inside = insideCircle()
        let values = inside.map { first[$0] }
        let lo = values.min()!, hi = values.max()!
        let range = (lo < 0 ? 2 * lo : lo / 2, hi > 0 ? 2 * hi : hi / 2)
        func entropy(_ c: Double) throws -> Double {
            let image = try fbp.reconstruct(centred(sinogram, centre: c))
            return Self.entropy(inside.map { image[$0] }, range: range)
        }
        func scan(around c: Double, halfWidth: Double, step: Double) throws -> Double {
            let n = Int((halfWidth / step).rounded())
            var best = (c, Double.infinity)
            for k in -n...n {
                let candidate = c + Double(k) * step
                let e = try entropy(candidate)
                if e < best.1 { best = (candidate, e) }
            }
            return best.0
        }
        var c = try scan(around: start, halfWidth: halfWidth, step: 0.5)
        c = try scan(around: c, halfWidth: 0.5, step: 0.25)
        return try scan(around: c, halfWidth: 0.25, step: 0.05)
    }

    /// Pixel indices inside the inscribed circle.
    func insideCircle() -> [Int] {
        let r = Double(columns) / 2
        return (0..<(columns * columns)).filter { p in
            let c = fbp.grid.position(i: Double(p / columns), j: Double(p % columns), k: 0)
            return c.x * c.x + c.y * c.y <= r * r
        }
    }

    /// Entropy `-Σ h log2 h` of a 64-bin histogram over `range`, normalised by the pixel count.
    static func entropy(_ values: [Float], range: (Float, Float)) -> Double {
        var counts = [Int](repeating: 0, count: 64)
        let scale = 64 / Double(range.1 - range.0)
        for v in values {
            let bin = Int(((Double(v) - Double(range.0)) * scale).rounded(.down))
            if bin >= 0 && bin < 64 { counts[bin] += 1 }
        }
        return counts.reduce(0.0) { sum, c in
            let h = Double(c) / Double(values.count) + 1e-12
            return sum - h * log2(h)
        }
    }

    /// Centre from the first projection and the mirrored last one (nearly opposite views): the lag of
    /// their best circular cross-correlation (within the middle half of the detector).
    func mirrorEstimate(_ sinogram: [Float]) -> Double {
        let a = Array(sinogram[0..<columns]), b = Array(sinogram[(angles.count - 1) * columns ..< angles.count * columns].reversed())
        // b reversed: column u of a meets column (2c - u) of the last view, i.e. lag 2c - (columns - 1).
        var best = (0, -Double.infinity)
        for lag in (-columns / 2)...(columns / 2) {
            var s = 0.0
            for u in 0..<columns where u - lag >= 0 && u - lag < columns { s += Double(a[u]) * Double(b[u - lag]) }
            if s > best.1 { best = (lag, s) }
        }
        return (Double(best.0) + Double(columns - 1)) / 2
    }
}
