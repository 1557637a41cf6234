import CHepatix
import Hepatix

@c @implementation
public func hx_fbp_plan_create(_ ctx: OpaquePointer?, _ geometry: OpaquePointer?, _ grid: OpaquePointer?,
                               _ options: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        let g = object(try required(geometry, "geometry"), as: GeometryBox.self).value
        let v = object(try required(grid, "grid"), as: GridBox.self).value
        var o = options.map { object($0, as: OptionsBox.self).value } ?? FBPOptions()
        o.threads = Int(context.threads)
        out.pointee = makeHandle(PlanBox(try FBPPlan(geometry: g, grid: v, options: o)))
    }
}

@c @implementation
public func hx_iterative_plan_create(_ ctx: OpaquePointer?, _ geometry: OpaquePointer?, _ grid: OpaquePointer?,
                                     _ algorithm: hx_algorithm, _ iterations: Int32, _ nonNegative: Int32,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        let g = object(try required(geometry, "geometry"), as: GeometryBox.self).value
        let v = object(try required(grid, "grid"), as: GridBox.self).value
        guard nonNegative == 0 || nonNegative == 1 else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "non_negative must be 0 or 1, got \(nonNegative)")
        }
        var recipe = IterativeRecipe()
        recipe.options.iterations = try count(Int64(iterations), "iterations", min: 0, max: 100_000)
        recipe.options.nonNegative = nonNegative == 1
        out.pointee = makeHandle(PlanBox(try iterativePlan(algorithm, recipe, g, v, threads: context.threads)))
    }
}

@c @implementation
public func hx_iterative_plan_create_v2(_ ctx: OpaquePointer?, _ geometry: OpaquePointer?, _ grid: OpaquePointer?,
                                        _ algorithm: hx_algorithm, _ options: OpaquePointer?,
                                        _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        let g = object(try required(geometry, "geometry"), as: GeometryBox.self).value
        let v = object(try required(grid, "grid"), as: GridBox.self).value
        let recipe = options.map { object($0, as: IterativeOptionsBox.self).value } ?? IterativeRecipe()
        out.pointee = makeHandle(PlanBox(try iterativePlan(algorithm, recipe, g, v, threads: context.threads)))
    }
}

/// Plans `algorithm` with `recipe` on the context's threads.
private func iterativePlan(_ algorithm: hx_algorithm, _ recipe: IterativeRecipe, _ g: ProjectionGeometry, _ v: VolumeGrid,
                           threads: Int32) throws -> any VolumeReconstructor {
    let methods: [UInt32: IterativeAlgorithm] = [HX_ALGORITHM_SIRT.rawValue: .sirt, HX_ALGORITHM_CGLS.rawValue: .cgls,
                                                 HX_ALGORITHM_OS_SART.rawValue: .ossart, HX_ALGORITHM_PWLS_TV.rawValue: .pwlsTV,
                                                 HX_ALGORITHM_HYBRID.rawValue: .hybrid]
    guard let method = methods[algorithm.rawValue] else {
        throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown algorithm \(algorithm.rawValue)")
    }
    var recipe = recipe
    recipe.algorithm = method
    recipe.options.threads = Int(threads)
    return try recipe.makePlan(geometry: g, grid: v)
}

@c @implementation
public func hx_recon_plan_input_count(_ plan: OpaquePointer?) -> Int {
    plan.map { object($0, as: PlanBox.self).plan.inputCount } ?? 0
}

@c @implementation
public func hx_recon_plan_output_count(_ plan: OpaquePointer?) -> Int {
    plan.map { object($0, as: PlanBox.self).plan.grid.count } ?? 0
}

@c @implementation
public func hx_recon_plan_execute(_ ctx: OpaquePointer?, _ plan: OpaquePointer?, _ projections: UnsafePointer<Float>?,
                                  _ projectionCount: Int, _ volume: UnsafeMutablePointer<Float>?, _ volumeCount: Int,
                                  _ progress: hx_progress_fn?, _ userData: UnsafeMutableRawPointer?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(plan, "plan"), as: PlanBox.self)
        let input = try required(projections, "projections"), output = try required(volume, "volume")
        let handler: ProgressHandler? = progress.map { fn in { fraction in fn(fraction, userData) == 0 } }
        box.lock.lock()
        defer { box.lock.unlock() }
        try box.plan.execute(projections: UnsafeBufferPointer(start: input, count: projectionCount),
                             output: UnsafeMutableBufferPointer(start: output, count: volumeCount), progress: handler)
    }
}

@c @implementation
public func hx_recon_plan_destroy(_ plan: OpaquePointer?) { releaseHandle(plan, as: PlanBox.self) }
