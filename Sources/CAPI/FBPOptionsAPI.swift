import CHepatix
import Hepatix

@c @implementation
public func hx_fbp_options_create(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in try required(out, "out").pointee = makeHandle(OptionsBox()) }
}

/// Runs `body` on the options behind `options` once `key` is known to be the option being set.
private func setOption(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ key: hx_fbp_option, expected: hx_fbp_option,
                       kind: String, _ body: (OptionsBox) throws -> Void) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(options, "options"), as: OptionsBox.self)
        guard key == expected else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "option \(key.rawValue) is not \(kind) option")
        }
        try body(box)
    }
}

@c @implementation
public func hx_fbp_options_set_int(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ key: hx_fbp_option,
                                   _ value: Int64) -> hx_status {
    setOption(ctx, options, key, expected: HX_FBP_WINDOW, kind: "an integer") { box in
        let windows: [FilterWindow] = [.ramLak, .sheppLogan, .cosine, .hamming, .hann]
        guard value >= 0 && value < Int64(windows.count) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "unknown window \(value); use HX_WINDOW_RAM_LAK..HX_WINDOW_HANN")
        }
        box.value.window = windows[Int(value)]
    }
}

@c @implementation
public func hx_fbp_options_set_double(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ key: hx_fbp_option,
                                      _ value: Double) -> hx_status {
    setOption(ctx, options, key, expected: HX_FBP_CUTOFF, kind: "a floating-point") { box in
        guard value.isFinite && value > 0 && value <= 1 else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "cut-off must be in (0, 1], got \(value)")
        }
        box.value.cutoff = value
    }
}

@c @implementation
public func hx_fbp_options_destroy(_ options: OpaquePointer?) { releaseHandle(options, as: OptionsBox.self) }
