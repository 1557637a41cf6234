import CHepatix
import Hepatix

@c @implementation
public func hx_context_create(_ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    guard let out else { return HX_ERR_NULL_ARGUMENT }
    out.pointee = makeHandle(ContextBox())
    return HX_OK
}

@c @implementation
public func hx_context_destroy(_ ctx: OpaquePointer?) { releaseHandle(ctx, as: ContextBox.self) }

@c @implementation
public func hx_context_set_threads(_ ctx: OpaquePointer?, _ threads: Int32) -> hx_status {
    withContext(ctx) { box in
        box.threads = Int32(try count(Int64(threads), "threads", min: 0, max: 1024))
    }
}

@c @implementation
public func hx_context_threads(_ ctx: OpaquePointer?) -> Int32 {
    guard let ctx else { return 0 }
    return Int32(WorkerPool(threads: Int(object(ctx, as: ContextBox.self).threads)).threads)
}

@c @implementation
public func hx_context_last_error(_ ctx: OpaquePointer?) -> UnsafePointer<CChar>? {
    guard let ctx else { return staticCString("context is NULL") }
    return object(ctx, as: ContextBox.self).lastError
}
