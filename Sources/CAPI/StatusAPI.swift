import CHepatix
import Foundation
import Hepatix

@c @implementation
public func hx_status_string(_ status: hx_status) -> UnsafePointer<CChar>? {
    switch status {
    case HX_OK: return staticCString("ok")
    case HX_ERR_NULL_ARGUMENT: return staticCString("null argument")
    case HX_ERR_INVALID_ARGUMENT: return staticCString("invalid argument")
    case HX_ERR_SIZE_MISMATCH: return staticCString("buffer size mismatch")
    case HX_ERR_NON_FINITE_DATA: return staticCString("input data holds NaN or infinity")
    case HX_ERR_UNSUPPORTED: return staticCString("unsupported")
    case HX_ERR_CANCELLED: return staticCString("cancelled")
    case HX_ERR_OUT_OF_MEMORY: return staticCString("out of memory")
    case HX_ERR_IO: return staticCString("input/output error")
    case HX_ERR_INTERNAL: return staticCString("internal error")
    default: return staticCString("unknown status")
    }
}

@c @implementation
public func hx_version() -> Int32 {
    Int32(BuildInfo.version.major * 10000 + BuildInfo.version.minor * 100 + BuildInfo.version.patch)
}

/// Process-lifetime C copies of the version and build strings.
nonisolated(unsafe) private let versionCString = UnsafePointer(strdup(BuildInfo.versionString)!)
nonisolated(unsafe) private let buildInfoCString = UnsafePointer(strdup(BuildInfo.summary)!)

@c @implementation
public func hx_version_string() -> UnsafePointer<CChar>? { versionCString }

@c @implementation
public func hx_build_info() -> UnsafePointer<CChar>? { buildInfoCString }
