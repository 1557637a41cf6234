import Testing
import Hepatix

/// Bad input gives a typed error with a message; outputs follow the documented contract.
struct FBPErrorTests {
    static func plan() throws -> FBPPlan {
        let g = try ProjectionGeometry.parallel2D(views: 30, bins: 40, binPitch: 1)
        return try FBPPlan(geometry: g, grid: .image(size: 24, pixel: 1))
    }

    @Test func wrongSizesAreRefusedAndOutputUntouched() throws {
        let p = try Self.plan()
        var out = [Float](repeating: 7, count: 24 * 24)
        let short = [Float](repeating: 0, count: p.inputCount - 1)
        #expect(throws: ReconstructionError.self) {
            try short.withUnsafeBufferPointer { s in try out.withUnsafeMutableBufferPointer { try p.execute(projections: s, output: $0) } }
        }
        #expect(out.allSatisfy { $0 == 7 })
        var small = [Float](repeating: 7, count: 10)
        let input = [Float](repeating: 0, count: p.inputCount)
        #expect(throws: ReconstructionError.self) {
            try input.withUnsafeBufferPointer { s in try small.withUnsafeMutableBufferPointer { try p.execute(projections: s, output: $0) } }
        }
    }

    @Test(arguments: [Float.nan, .infinity])
    func nonFiniteInputIsRefusedAndOutputUntouched(bad: Float) throws {
        let p = try Self.plan()
        var input = [Float](repeating: 1, count: p.inputCount)
        input[p.inputCount - 3] = bad
        var out = [Float](repeating: 7, count: 24 * 24)
        do {
            try input.withUnsafeBufferPointer { s in try out.withUnsafeMutableBufferPointer { try p.execute(projections: s, output: $0) } }
            Issue.record("non-finite input was accepted")
        } catch let e as ReconstructionError {
            guard case .nonFiniteInput = e else { Issue.record("wrong error \(e)"); return }
        }
        #expect(out.allSatisfy { $0 == 7 })
    }

    @Test func progressReportsAndCancels() throws {
        let p = try Self.plan()
        let input = [Float](repeating: 1, count: p.inputCount)
        var seen: [Double] = []
        _ = try p.reconstruct(input) { seen.append($0); return true }
        #expect(seen.last == 1)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 })
        #expect(throws: ReconstructionError.cancelled) { _ = try p.reconstruct(input) { $0 < 0.5 } }
    }

    @Test func twoDimensionalGeometryNeedsOneSlice() throws {
        let g = try ProjectionGeometry.parallel2D(views: 30, bins: 40, binPitch: 1)
        #expect(throws: ReconstructionError.self) {
            try FBPPlan(geometry: g, grid: VolumeGrid(nx: 8, ny: 8, nz: 2, spacing: SIMD3(1, 1, 1)))
        }
    }
}

/// A detector narrower than the grid's field of view is refused unless truncation is allowed.
struct FieldOfViewTests {
    @Test func truncatedFieldOfViewIsRefused() throws {
        let g = try ProjectionGeometry.parallel2D(views: 60, bins: 100, binPitch: 1)   // covers radius 50 mm
        #expect(throws: ReconstructionError.self) { try FBPPlan(geometry: g, grid: .image(size: 128, pixel: 1)) }
        var options = FBPOptions()
        options.allowTruncation = true
        _ = try FBPPlan(geometry: g, grid: .image(size: 128, pixel: 1), options: options)
        _ = try FBPPlan(geometry: g, grid: .image(size: 96, pixel: 1))                 // radius 48 mm: covered
    }

    @Test func coneRowsMustCoverTheSlices() throws {
        let g = try ProjectionGeometry.coneBeamCircular(views: 36, columns: 200, rows: 20, columnPitch: 1, rowPitch: 1,
                                                        sourceToIsocentre: 300, sourceToDetector: 450)
        #expect(throws: ReconstructionError.self) { try FBPPlan(geometry: g, grid: .cube(size: 64, voxel: 1)) }
    }
}
