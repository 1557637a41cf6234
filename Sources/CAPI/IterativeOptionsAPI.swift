import CHepatix
import Hepatix

@c @implementation
public func hx_iterative_options_create(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in try required(out, "out").pointee = makeHandle(IterativeOptionsBox()) }
}

@c @implementation
public func hx_iterative_options_set_int(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ key: hx_iterative_option,
                                         _ value: Int64) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(options, "options"), as: IterativeOptionsBox.self)
        func flag() throws -> Bool {
            guard value == 0 || value == 1 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) takes 0 or 1, got \(value)") }
            return value == 1
        }
        switch key {
        case HX_ITER_ITERATIONS: box.value.options.iterations = try count(value, "iterations", min: 0, max: 100_000)
        case HX_ITER_NON_NEGATIVE: box.value.options.nonNegative = try flag()
        case HX_ITER_SUBSETS: box.value.options.subsets = try count(value, "subsets", min: 1, max: 1 << 22)
        case HX_ITER_FBP_WARM_START: box.value.fbpWarmStart = try flag()
        case HX_ITER_STATISTICAL_WEIGHTS: box.value.statisticalWeights = try flag()
        case HX_ITER_PROJECTOR:
            let kinds: [ProjectorKind] = [.joseph, .josephReference, .josephStrip]
            guard value >= 0 && value < Int64(kinds.count) else {
                throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown projector \(value); use HX_PROJECTOR_JOSEPH..HX_PROJECTOR_JOSEPH_STRIP")
            }
            box.value.options.projector = kinds[Int(value)]
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) is not an integer option")
        }
    }
}

@c @implementation
public func hx_iterative_options_set_double(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ key: hx_iterative_option,
                                            _ value: Double) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(options, "options"), as: IterativeOptionsBox.self)
        func check(_ ok: Bool, _ what: String) throws {
            guard value.isFinite && ok else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "\(what), got \(value)") }
        }
        switch key {
        case HX_ITER_RELAXATION:
            try check(value > 0 && value < 2, "relaxation must be in (0, 2)")
            box.value.options.relaxation = value
        case HX_ITER_BETA:
            try check(value >= 0, "beta must be >= 0")
            box.value.beta = value
        case HX_ITER_DELTA:
            try check(value > 0, "delta must be > 0")
            box.value.delta = value
        case HX_ITER_BLEND:
            try check(value >= 0 && value <= 1, "blend must be in [0, 1]")
            box.value.blend = value
        case HX_ITER_TOLERANCE:
            try check(value >= 0, "tolerance must be >= 0")
            box.value.options.tolerance = value
        default: throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) is not a floating-point option")
        }
    }
}

@c @implementation
public func hx_iterative_options_destroy(_ options: OpaquePointer?) { releaseHandle(options, as: IterativeOptionsBox.self) }
