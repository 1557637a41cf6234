import Testing
@testable import HepatixKernels

/// Bad geometry parameters are refused with a message, never a trap.
struct GeometryValidationTests {
    @Test func refusesDegenerateParallelGeometry() {
        #expect(throws: GeometryError.self) { try ProjectionGeometry.parallel2D(views: 0, bins: 10, binPitch: 1) }
        #expect(throws: GeometryError.self) { try ProjectionGeometry.parallel2D(views: 10, bins: 1, binPitch: 1) }
        #expect(throws: GeometryError.self) { try ProjectionGeometry.parallel2D(views: 10, bins: 10, binPitch: .nan) }
        #expect(throws: GeometryError.self) { try ProjectionGeometry.parallel2D(views: 10, bins: 10, binPitch: -1) }
        #expect(throws: GeometryError.self) { try ProjectionGeometry.parallel2D(views: 10, bins: 10, binPitch: 1, range: .infinity) }
    }

    @Test func refusesImpossibleFanAndCone() {
        // Source-isocentre distance must be smaller than source-detector distance.
        #expect(throws: GeometryError.self) {
            try ProjectionGeometry.fan2D(views: 10, columns: 10, columnPitch: 1, sourceToIsocentre: 500, sourceToDetector: 400)
        }
        #expect(throws: GeometryError.self) {
            try ProjectionGeometry.coneBeamCircular(views: 10, columns: 10, rows: 1, columnPitch: 1, rowPitch: 1,
                                                    sourceToIsocentre: 500, sourceToDetector: 1000)
        }
    }

    @Test func refusesNonOrthogonalDetectorAxes() {
        let view = ProjectionView(source: SIMD3(0, -500, 0), rayDirection: SIMD3(0, 1, 0), detectorCentre: SIMD3(0, 500, 0),
                                  detectorU: SIMD3(1, 0, 0), detectorV: SIMD3(1, 0, 1), angle: 0)
        #expect(throws: GeometryError.self) { try ProjectionGeometry(beam: .divergent, columns: 8, rows: 8, views: [view]) }
    }

    @Test func refusesGridThatReachesBehindSource() throws {
        let g = try ProjectionGeometry.fan2D(views: 8, columns: 64, columnPitch: 1, sourceToIsocentre: 100, sourceToDetector: 200)
        let grid = try VolumeGrid.image(size: 256, pixel: 1)  // 181 mm half-diagonal > 100 mm
        #expect(throws: GeometryError.self) { try WeightedBackprojector(geometry: g, grid: grid, maxThreads: 1) }
    }

    @Test func refusesBadGrids() {
        #expect(throws: GeometryError.self) { try VolumeGrid(nx: 0, ny: 4, spacing: SIMD3(1, 1, 1)) }
        #expect(throws: GeometryError.self) { try VolumeGrid(nx: 4, ny: 4, spacing: SIMD3(1, .nan, 1)) }
        #expect(throws: GeometryError.self) { try VolumeGrid(nx: 65536, ny: 65536, nz: 65536, spacing: SIMD3(1, 1, 1)) }
    }

    /// The projective map sends the isocentre to the detector centre and a point on the central
    /// column's ray to that column, for the W2-like fan geometry.
    @Test func mappingMatchesRayGeometry() throws {
        let g = try ProjectionGeometry.fan2D(views: 12, columns: 101, columnPitch: 1.4, sourceToIsocentre: 595, sourceToDetector: 1085.6)
        let grid = try VolumeGrid.image(size: 65, pixel: 0.7)
        for k in [0, 3, 7] {
            let m = try g.mapping(view: k, grid: grid)
            let centre = m.map(j: 32, i: 32, k: 0)
            #expect(abs(centre.u - 50) < 1e-9)
            #expect(abs(centre.w - 1) < 1e-12)
            // A point along the ray of column 80 projects onto column 80.
            let ray = g.ray(view: k, row: 0, column: 80)
            let p = ray.origin + ray.direction * 600
            let j = p.x / 0.7 + 32, i = p.y / 0.7 + 32
            #expect(abs(m.map(j: j, i: i, k: 0).u - 80) < 1e-9)
        }
    }
}
