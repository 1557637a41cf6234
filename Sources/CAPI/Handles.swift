import CHepatix
import Foundation
import Hepatix

/// Retains `object` and returns it as an opaque C handle.
func makeHandle<T: AnyObject>(_ object: T) -> OpaquePointer {
    OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

/// The object behind a handle made by `makeHandle` (not retained).
func object<T: AnyObject>(_ handle: OpaquePointer, as type: T.Type) -> T {
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
}

/// Releases a handle made by `makeHandle`; NULL is ignored.
func releaseHandle<T: AnyObject>(_ handle: OpaquePointer?, as type: T.Type) {
    guard let handle else { return }
    Unmanaged<T>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// `hx_context`: thread count and the last error message.
final class ContextBox {
    var threads: Int32 = 0
    private var message: UnsafeMutablePointer<CChar> = strdup("")!

    /// The last error, as a C string owned by the context.
    var lastError: UnsafePointer<CChar> { UnsafePointer(message) }

    /// Replaces the last error message.
    func setError(_ text: String) {
        free(message)
        message = strdup(text) ?? strdup("")!
    }

    deinit { free(message) }
}

/// `hx_geometry`.
final class GeometryBox { let value: ProjectionGeometry; init(_ v: ProjectionGeometry) { value = v } }

/// `hx_grid`.
final class GridBox { let value: VolumeGrid; init(_ v: VolumeGrid) { value = v } }

/// `hx_fbp_options`.
final class OptionsBox { var value = FBPOptions() }

/// `hx_iterative_options`.
final class IterativeOptionsBox { var value = IterativeRecipe() }

/// `hx_recon_plan`: a plan (FBP/FDK or iterative) plus a lock that serialises concurrent executions.
final class PlanBox {
    let plan: any VolumeReconstructor
    let lock = NSLock()
    init(_ p: any VolumeReconstructor) { plan = p }
}

/// A static C string (for constant messages).
func staticCString(_ s: StaticString) -> UnsafePointer<CChar> {
    UnsafeRawPointer(s.utf8Start).assumingMemoryBound(to: CChar.self)
}
