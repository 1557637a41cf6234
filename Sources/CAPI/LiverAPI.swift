import CHepatix
import Foundation
import Hepatix

/// `hx_liver_result`: the analysis result plus C copies of its strings and output paths, freed with it.
final class LiverResultBox {
    let result: LiverAnalysisResult
    let json: UnsafeMutablePointer<CChar>
    let categories: [UnsafeMutablePointer<CChar>], sentences: [UnsafeMutablePointer<CChar>], paths: [UnsafeMutablePointer<CChar>]
    /// Name and sentence of each future liver remnant.
    let remnantNames: [UnsafeMutablePointer<CChar>], remnantSentences: [UnsafeMutablePointer<CChar>]

    init(_ result: LiverAnalysisResult, outputs: [String]) throws {
        self.result = result
        json = strdup(String(decoding: try LiverAnalysisResult.jsonEncoder().encode(result), as: UTF8.self))!
        categories = result.lesions.map { strdup($0.category.rawValue)! }
        sentences = result.lesions.map { strdup($0.sentence)! }
        paths = outputs.map { strdup($0)! }
        remnantNames = result.futureLiverRemnants.map { strdup($0.resection.name)! }
        remnantSentences = result.futureLiverRemnants.map { strdup($0.sentence)! }
    }

    deinit { for p in [json] + categories + sentences + paths + remnantNames + remnantSentences { free(p) } }
}

/// Runs the liver pipeline (with `options`' denoiser, if any) on `study` with the C progress callback, writes
/// outputs when `outputDir` is set and boxes the result.
private func analyzeStudy(_ study: MultiphaseStudy, threads: Int, options: OpaquePointer?, outputDir: UnsafePointer<CChar>?, note: String,
                          progress: hx_progress_fn?, userData: UnsafeMutableRawPointer?) throws -> OpaquePointer {
    var analyzer = LiverAnalyzer()
    analyzer.threads = threads
    if let options {
        let box = object(options, as: LiverOptionsBox.self)
        (analyzer.denoiser, analyzer.resections, analyzer.liverNetwork, analyzer.lesionNetwork) =
            (box.denoiser, box.resections, box.liverNetwork, box.lesionNetwork)
        (analyzer.seedsFromAcquiredPhases, analyzer.lesionsFromAcquiredPhases) = (box.seedsFromAcquiredPhases, box.lesionsFromAcquiredPhases)
    }
    let output = try analyzer.analyze(study) { _, fraction in progress.map { $0(fraction, userData) == 0 } ?? true }
    var outputs: [String] = []
    if let outputDir {
        do { outputs = try output.writeOutputs(to: String(cString: outputDir), note: note) } catch {
            throw BoundaryError(HX_ERR_IO, "cannot write the outputs to \(String(cString: outputDir)): \(error.localizedDescription)")
        }
    }
    return makeHandle(try LiverResultBox(output.result, outputs: outputs))
}

@c @implementation
public func hx_liver_analyze(_ ctx: OpaquePointer?, _ volumes: UnsafePointer<OpaquePointer?>?, _ phases: UnsafePointer<Int32>?,
                             _ count: Int, _ outputDir: UnsafePointer<CChar>?, _ progress: hx_progress_fn?,
                             _ userData: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    hx_liver_analyze_v2(ctx, volumes, phases, count, nil, outputDir, progress, userData, out)
}

@c @implementation
public func hx_liver_analyze_v2(_ ctx: OpaquePointer?, _ volumes: UnsafePointer<OpaquePointer?>?, _ phases: UnsafePointer<Int32>?,
                                _ count: Int, _ options: OpaquePointer?, _ outputDir: UnsafePointer<CChar>?, _ progress: hx_progress_fn?,
                                _ userData: UnsafeMutableRawPointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        let (volumes, codes) = (try required(volumes, "volumes"), try required(phases, "phases"))
        guard (1...4).contains(count) else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "count must be 1...4, got \(count)") }
        let order: [ContrastPhase] = [.unenhanced, .arterial, .portalVenous, .delayed]
        var study: [ContrastPhase: PatientVolume] = [:]
        for i in 0..<count {
            guard (0...3).contains(codes[i]) else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "phases[\(i)] = \(codes[i]) is not an hx_phase") }
            let phase = order[Int(codes[i])]
            guard study[phase] == nil else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "phase \(phase.rawValue) given twice") }
            let volume = object(try required(volumes[i], "volumes[\(i)]"), as: VolumeBox.self).value
            guard volume.voxels.allSatisfy(\.isFinite) else {
                throw BoundaryError(HX_ERR_NON_FINITE_DATA, "volumes[\(i)] (\(phase.rawValue)) holds NaN or infinity")
            }
            study[phase] = volume
        }
        guard study[.portalVenous] != nil else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "the study has no portal venous phase") }
        out.pointee = try analyzeStudy(try MultiphaseStudy(name: "study", phases: study), threads: Int(context.threads), options: options,
                                       outputDir: outputDir, note: "Multiphase CT study (\(count) phases).", progress: progress, userData: userData)
    }
}

@c @implementation
public func hx_liver_analyze_phantom(_ ctx: OpaquePointer?, _ seed: UInt64, _ dose: Double, _ outputDir: UnsafePointer<CChar>?,
                                     _ progress: hx_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                     _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    hx_liver_analyze_phantom_v2(ctx, seed, dose, nil, outputDir, progress, userData, out)
}

@c @implementation
public func hx_liver_analyze_phantom_v2(_ ctx: OpaquePointer?, _ seed: UInt64, _ dose: Double, _ options: OpaquePointer?,
                                        _ outputDir: UnsafePointer<CChar>?, _ progress: hx_progress_fn?, _ userData: UnsafeMutableRawPointer?,
                                        _ out: UnsafeMutablePointer<OpaquePointer?>?) -> hx_status {
    withContext(ctx) { context in
        let out = try required(out, "out")
        guard dose.isFinite, dose > 0, dose <= 1 else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "dose must be in (0, 1], got \(dose)") }
        var study = AbdomenStudy.Options()
        study.dose = dose
        study.threads = Int(context.threads)
        let phantom = try AbdomenStudy.render(seed: seed, options: study)
        out.pointee = try analyzeStudy(phantom.study, threads: study.threads, options: options, outputDir: outputDir, note: study.note(seed: seed),
                                       progress: progress, userData: userData)
    }
}

@c @implementation
public func hx_liver_result_summary(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ liverML: UnsafeMutablePointer<Double>?,
                                    _ lesionCount: UnsafeMutablePointer<Int>?) -> hx_status {
    withContext(ctx) { _ in
        let r = object(try required(result, "result"), as: LiverResultBox.self).result
        liverML?.pointee = r.liverVolumeML
        lesionCount?.pointee = r.lesions.count
    }
}

@c @implementation
public func hx_liver_segment_volume(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ segment: Int32,
                                    _ volumeML: UnsafeMutablePointer<Double>?) -> hx_status {
    withContext(ctx) { _ in
        let r = object(try required(result, "result"), as: LiverResultBox.self).result
        let out = try required(volumeML, "volume_ml")
        guard (1...8).contains(segment) else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "segment must be 1...8, got \(segment)") }
        guard r.segmentVolumesML.count == 8 else {
            throw BoundaryError(HX_ERR_UNSUPPORTED, "Couinaud segments are unavailable: \(r.couinaudProblem ?? "no landmarks")")
        }
        out.pointee = r.segmentVolumesML[Int(segment) - 1]
    }
}

@c @implementation
public func hx_liver_lesion_info(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ index: Int, _ segment: UnsafeMutablePointer<Int32>?,
                                 _ longAxis: UnsafeMutablePointer<Double>?, _ shortAxis: UnsafeMutablePointer<Double>?,
                                 _ volumeML: UnsafeMutablePointer<Double>?, _ confidence: UnsafeMutablePointer<Double>?,
                                 _ category: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                 _ sentence: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(result, "result"), as: LiverResultBox.self)
        guard index < box.result.lesions.count else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "lesion index \(index) out of range (\(box.result.lesions.count) lesions)")
        }
        let lesion = box.result.lesions[index]
        segment?.pointee = Int32(lesion.segment)
        longAxis?.pointee = lesion.longAxisMM
        shortAxis?.pointee = lesion.shortAxisMM
        volumeML?.pointee = lesion.volumeML
        confidence?.pointee = lesion.confidence
        category?.pointee = UnsafePointer(box.categories[index])
        sentence?.pointee = UnsafePointer(box.sentences[index])
    }
}

@c @implementation
public func hx_liver_result_json(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ json: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(result, "result"), as: LiverResultBox.self)
        try required(json, "json").pointee = UnsafePointer(box.json)
    }
}

@c @implementation
public func hx_liver_output_count(_ result: OpaquePointer?) -> Int {
    guard let result else { return 0 }
    return object(result, as: LiverResultBox.self).paths.count
}

@c @implementation
public func hx_liver_output_path(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ index: Int,
                                 _ path: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(result, "result"), as: LiverResultBox.self)
        guard index < box.paths.count else { throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "output index \(index) out of range (\(box.paths.count) files)") }
        try required(path, "path").pointee = UnsafePointer(box.paths[index])
    }
}

@c @implementation
public func hx_liver_result_destroy(_ result: OpaquePointer?) {
    releaseHandle(result, as: LiverResultBox.self)
}

@c @implementation
public func hx_liver_remnant_count(_ result: OpaquePointer?) -> Int {
    result.map { object($0, as: LiverResultBox.self).result.futureLiverRemnants.count } ?? 0
}

@c @implementation
public func hx_liver_remnant_info(_ ctx: OpaquePointer?, _ result: OpaquePointer?, _ index: Int, _ name: UnsafeMutablePointer<UnsafePointer<CChar>?>?,
                                  _ remnantML: UnsafeMutablePointer<Double>?, _ fraction: UnsafeMutablePointer<Double>?,
                                  _ lesionsLeft: UnsafeMutablePointer<Int>?, _ sentence: UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> hx_status {
    withContext(ctx) { _ in
        let box = object(try required(result, "result"), as: LiverResultBox.self)
        let remnants = box.result.futureLiverRemnants
        guard index < remnants.count else {
            throw BoundaryError(HX_ERR_INVALID_ARGUMENT, "remnant index \(index) out of range (\(remnants.count) remnants)")
        }
        name?.pointee = UnsafePointer(box.remnantNames[index])
        remnantML?.pointee = remnants[index].remnantML
        fraction?.pointee = remnants[index].remnantFraction
        lesionsLeft?.pointee = remnants[index].lesionsLeft.count
        sentence?.pointee = UnsafePointer(box.remnantSentences[index])
    }
}
