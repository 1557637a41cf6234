import Testing
import Hepatix

/// Joseph forward projection of the pixelised phantom against exact line integrals of the phantom
/// itself, at the W1 scale (512² pixels of 1 mm, phantom radius 256 mm, 729 bins; 90 of W1's 720 views
/// to keep the test short). ASTRA is 0.68 % (parallel, linear) and 0.70 % (fan) off on W1/W2 (recon-peers
/// notes); measured here 0.73 % and 0.70 %. The bound, 0.9 %, fails for a wrong step length or offset.
struct JosephForwardTests {
    @Test(arguments: [false, true])
    func matchesAnalyticLineIntegrals(fan: Bool) throws {
        let phantom = EllipsoidPhantom.sheppLogan2D(radius: 256)
        let grid = try VolumeGrid.image(size: 512, pixel: 1)
        let g = fan ? try ProjectionGeometry.fan2D(views: 90, columns: 736, columnPitch: 1.4, sourceToIsocentre: 595 / 0.7, sourceToDetector: 1085.6 / 0.7)
                    : try ProjectionGeometry.parallel2D(views: 90, bins: 729, binPitch: 1)
        let p = try JosephProjector(geometry: g, grid: grid)
        let image = phantom.rasterize(grid, samples: 4)
        var sino = [Float](repeating: 0, count: p.projectionCount)
        image.withUnsafeBufferPointer { x in sino.withUnsafeMutableBufferPointer { p.forward(x, into: $0, pool: WorkerPool(threads: 2)) } }
        let exact = phantom.project(g)
        var err = 0.0, norm = 0.0
        for (a, b) in zip(sino, exact) { err += Double(a - b) * Double(a - b); norm += Double(b) * Double(b) }
        #expect((err / norm).squareRoot() < 0.009, "relative error \((err / norm).squareRoot())")
    }
}

/// The strip pair against what a detector of 4 mm pixels measures from the same phantom: the mean of
/// exact line integrals over each pixel's width (16 per pixel). A single pencil ray per pixel misses the
/// averaging over the aperture (measured 1.33 % off); the strip pair (3 sub-rays) models it (0.12 %,
/// about the pixelised phantom's own error). Bounds: 0.2 % and a quarter of the pencil pair's error.
struct StripJosephForwardTests {
    @Test func stripPairMatchesDetectorAperture() throws {
        let phantom = EllipsoidPhantom.sheppLogan2D(radius: 256)
        let grid = try VolumeGrid.image(size: 512, pixel: 1)
        let g = try ProjectionGeometry.parallel2D(views: 60, bins: 182, binPitch: 4)
        let sub = 16
        let fineExact = phantom.project(try ProjectionGeometry.parallel2D(views: 60, bins: 182 * sub, binPitch: 4 / Double(sub)))
        let aperture = (0..<(60 * 182)).map { i in (0..<sub).reduce(Float(0)) { $0 + fineExact[i * sub + $1] } / Float(sub) }
        let image = phantom.rasterize(grid, samples: 4)
        func error(_ kind: ProjectorKind) throws -> Double {
            let p = try makeProjector(kind, geometry: g, grid: grid, maxThreads: 2)
            var sino = [Float](repeating: 0, count: p.projectionCount)
            image.withUnsafeBufferPointer { x in sino.withUnsafeMutableBufferPointer { p.forward(x, into: $0, pool: WorkerPool(threads: 2)) } }
            var err = 0.0, norm = 0.0
            for (a, b) in zip(sino, aperture) { err += Double(a - b) * Double(a - b); norm += Double(b) * Double(b) }
            return (err / norm).squareRoot()
        }
        let pencil = try error(.joseph), strip = try error(.josephStrip)
        #expect(strip < 0.002 && strip < 0.25 * pencil, "strip \(strip), pencil \(pencil)")
    }
}
