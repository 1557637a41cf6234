import CHepatix
import Foundation
import Hepatix

/// `hx_liver_options`: what `hx_liver_analyze_v2` changes from the default pipeline.
final class LiverOptionsBox {
    var denoiser: CNNDenoiser? = nil
    var strength = CNNDenoiser.defaultStrength
    var resections = FutureLiverRemnant.Resection.standard
    var liverNetwork: CNNLiverSegmenter? = nil
    var lesionNetwork: CNNLesionSegmenter? = nil
    var seedsFromAcquiredPhases = false
    /// nil: decided by the study's noise origin (`LiverAnalyzer.lesionsFromAcquiredPhases`).
    var lesionsFromAcquiredPhases: Bool? = nil
}

/// Sets (enable non-zero) or clears one of the options' networks: `load` reads the model at `modelPath`, or the shipped
/// model `name` when it is NULL, and `assign` stores it (nil clears). Loading errors become statuses; the options are
/// unchanged on error.
private func setNetwork<Network>(_ options: OpaquePointer?, _ enable: Int32, _ modelPath: UnsafePointer<CChar>?, shipped name: String,
                                 load: (String) throws -> Network, assign: (LiverOptionsBox, Network?) -> Void) throws {
    let box = object(try required(options, "options"), as: LiverOptionsBox.self)
    guard enable != 0 else { assign(box, nil); return }
    let path: String
    if let modelPath { path = try existingPath(modelPath) } else {
        do { path = try ShippedModels.path(of: name) } catch let e as InferenceError { throw BoundaryError(HX_ERR_IO, e.description) }
    }
    do { assign(box, try load(path)) } catch let e as InferenceError { throw loadStatus(e) }
}

@c @implementation
public func hx_liver_options_create(_ ctx: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { _ in try required(out, "out").pointee = makeHandle(LiverOptionsBox()) }
}

@c @implementation
public func hx_liver_options_set_denoise(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ enable: Int32,
                                         _ modelPath: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        let strength = options.map { object($0, as: LiverOptionsBox.self).strength } ?? CNNDenoiser.defaultStrength
        try setNetwork(options, enable, modelPath, shipped: CNNDenoiser.shippedModelName,
                       load: { try CNNDenoiser(path: $0, strength: strength) }, assign: { $0.denoiser = $1 })
    }
}

@c @implementation
public func hx_liver_options_set_liver_network(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ enable: Int32,
                                               _ modelPath: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        try setNetwork(options, enable, modelPath, shipped: CNNLiverSegmenter.shippedModelName,
                       load: { try CNNLiverSegmenter(path: $0) }, assign: { $0.liverNetwork = $1 })
    }
}

@c @implementation
public func hx_liver_options_set_lesion_network(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ enable: Int32,
                                                _ modelPath: UnsafePointer<CChar>?) -> hx_status {
    withContext(ctx) { _ in
        try setNetwork(options, enable, modelPath, shipped: CNNLesionSegmenter.shippedModelName,
                       load: { try CNNLesionSegmenter(path: $0) }, assign: { $0.lesionNetwork = $1 })
    }
}

@c @implementation
public func hx_liver_options_set_acquired_seeds(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ enable: Int32) -> hx_status {
    withContext(ctx) { _ in object(try required(options, "options"), as: LiverOptionsBox.self).seedsFromAcquiredPhases = enable != 0 }
}

@c @implementation
public func hx_liver_options_set_lesions_on_acquired(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ enable: Int32) -> hx_status {
    withContext(ctx) { _ in object(try required(options, "options"), as: LiverOptionsBox.self).lesionsFromAcquiredPhases = enable < 0 ? nil : enable != 0 }
}

@c @implementation
public func hx_liver_options_set_denoise_strength(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ strength: Double) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(options, "options"), as: LiverOptionsBox.self)
        guard strength.isFinite, (0...1).contains(strength) else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "denoising strength must lie in [0, 1], not \(strength)")
        }
        box.strength = Float(strength)
        box.denoiser?.strength = box.strength
    }
}

@c @implementation
public func hx_liver_options_add_resection(_ ctx: OpaquePointer?, _ options: OpaquePointer?, _ name: UnsafePointer<CChar>?,
                                           _ segments: UnsafePointer<Int32>?, _ count: Int) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(options, "options"), as: LiverOptionsBox.self)
        let list = try required(segments, "segments")
        guard count > 0, count <= 64 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "count must be 1...64 segments, got \(count)") }
        do {
            box.resections.append(try FutureLiverRemnant.Resection(name: name.map { String(cString: $0) } ?? "planned resection",
                                                                   resectedSegments: (0..<count).map { Int(list[$0]) }))
        } catch let e as LiverAnalysisError { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, e.description) }
    }
}

@c @implementation
public func hx_liver_options_destroy(_ options: OpaquePointer?) { releaseHandle(options, as: LiverOptionsBox.self) }
