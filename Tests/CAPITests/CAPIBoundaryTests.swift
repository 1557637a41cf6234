import CHepatix
import Foundation
import Testing
@testable import HepatixCAPI

/// The C entry points called from Swift: ownership, messages and thread safety of shared plans.
/// (The C and C++ host programs in Tests/CConsumers cover every entry point with bad input.)
struct CAPIBoundaryTests {
    /// Makes a context, a 2D parallel plan and a disk sinogram.
    static func setUp(threads: Int32) throws -> (OpaquePointer, OpaquePointer, [Float]) {
        var ctx: OpaquePointer?
        #expect(hx_context_create(&ctx) == HX_OK)
        #expect(hx_context_set_threads(ctx, threads) == HX_OK)
        var geo: OpaquePointer?, grid: OpaquePointer?, plan: OpaquePointer?
        #expect(hx_geometry_create_parallel2d(ctx, 90, 65, 1, .pi, 0, &geo) == HX_OK)
        #expect(hx_grid_create(ctx, 48, 48, 1, 1, 1, 1, 0, 0, 0, &grid) == HX_OK)
        #expect(hx_fbp_plan_create(ctx, geo, grid, nil, &plan) == HX_OK)
        hx_geometry_destroy(geo)   // the plan keeps what it needs
        hx_grid_destroy(grid)
        let sino = (0..<(90 * 65)).map { i -> Float in
            let s = Float(i % 65) - 32
            return 400 - s * s > 0 ? 0.04 * (400 - s * s).squareRoot() : 0
        }
        return (ctx!, plan!, sino)
    }

    @Test func planOutlivesGeometryAndGrid() throws {
        let (ctx, plan, sino) = try Self.setUp(threads: 1)
        defer { hx_recon_plan_destroy(plan); hx_context_destroy(ctx) }
        var image = [Float](repeating: 0, count: 48 * 48)
        #expect(hx_recon_plan_execute(ctx, plan, sino, sino.count, &image, image.count, nil, nil) == HX_OK)
        // Centre of a 20 mm disk of 0.02/mm: FBP within 2% (edge ringing has died out 15 px inside).
        #expect(abs(image[24 * 48 + 24] - 0.02) < 4e-4)
    }

    @Test func messagesDescribeTheLastFailure() throws {
        var ctx: OpaquePointer?
        #expect(hx_context_create(&ctx) == HX_OK)
        defer { hx_context_destroy(ctx) }
        #expect(String(cString: hx_context_last_error(ctx)) == "")
        var grid: OpaquePointer?
        #expect(hx_grid_create(ctx, 4, 4, 1, -1, 1, 1, 0, 0, 0, &grid) == HX_ERR_INVALID_ARGUMENT)
        #expect(String(cString: hx_context_last_error(ctx)).contains("spacing"))
        #expect(grid == nil)
        #expect(String(cString: hx_context_last_error(nil)) == "context is NULL")
    }

    /// One plan executed from two threads at once gives the same image as one execution (the plan
    /// serialises executions; each thread has its own context, as the header asks).
    @Test func sharedPlanIsSafeAcrossThreads() throws {
        let (ctx, plan, sino) = try Self.setUp(threads: 2)
        defer { hx_recon_plan_destroy(plan); hx_context_destroy(ctx) }
        var reference = [Float](repeating: 0, count: 48 * 48)
        #expect(hx_recon_plan_execute(ctx, plan, sino, sino.count, &reference, reference.count, nil, nil) == HX_OK)
        let planBox = SendableHandle(plan)
        let results = (0..<2).map { _ in [Float](repeating: 0, count: 48 * 48) }
        let outputs = Mutex2(results)
        DispatchQueue.concurrentPerform(iterations: 2) { t in
            var c: OpaquePointer?
            _ = hx_context_create(&c)
            var image = [Float](repeating: 0, count: 48 * 48)
            for _ in 0..<5 { _ = hx_recon_plan_execute(c, planBox.handle, sino, sino.count, &image, image.count, nil, nil) }
            hx_context_destroy(c)
            outputs.set(t, image)
        }
        #expect(outputs.get(0) == reference && outputs.get(1) == reference)
    }
}

/// A C handle passed to worker closures (hx_recon_plan is documented as shareable).
struct SendableHandle: @unchecked Sendable { let handle: OpaquePointer; init(_ h: OpaquePointer) { handle = h } }

/// Minimal locked array for collecting per-thread results.
final class Mutex2: @unchecked Sendable {
    private var values: [[Float]]
    private let lock = NSLock()
    init(_ v: [[Float]]) { values = v }
    func set(_ i: Int, _ v: [Float]) { lock.withLock { values[i] = v } }
    func get(_ i: Int) -> [Float] { lock.withLock { values[i] } }
}
