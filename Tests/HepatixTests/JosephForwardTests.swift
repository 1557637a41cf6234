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
