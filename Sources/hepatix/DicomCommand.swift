import Foundation
import Hepatix

/// `hepatix dicom ls PATH... | convert PATH... --out OUT.nii[.gz] [--series N|UID] [--phase P] | load | send | find | get`:
/// lists the studies and series found under folders or DICOMDIRs (with contrast phases and slice
/// problems), converts one CT series to NIfTI (HU, RAS+ affine from the DICOM geometry), times a load,
/// or talks to a PACS (`DicomNetworkCommand`).
enum DicomCommand {
    static func run(_ args: ArraySlice<String>) throws {
        guard let verb = args.first else { throw CLIError("dicom needs ls, convert, load, send, find or get") }
        let rest = args.dropFirst()
        switch verb {
        case "ls": try list(rest)
        case "convert": try convert(rest)
        case "load": try load(rest)
        case "send": try DicomNetworkCommand.send(rest)
        case "find": try DicomNetworkCommand.find(rest)
        case "get": try DicomNetworkCommand.get(rest)
        default: throw CLIError("unknown dicom command '\(verb)' (ls, convert, load, send, find, get)")
        }
    }

    /// Splits leading paths from the options that follow them.
    static func pathsAndOptions(_ args: ArraySlice<String>) -> ([String], ArraySlice<String>) {
        let paths = args.prefix { !$0.hasPrefix("--") }
        return (Array(paths), args.dropFirst(paths.count))
    }

    static func list(_ args: ArraySlice<String>) throws {
        let (paths, options) = pathsAndOptions(args)
        let a = try Arguments(options, valued: ["--threads"])
        guard !paths.isEmpty else { throw CLIError("dicom ls needs a folder, file or DICOMDIR") }
        let scan = try DicomScanner.scan(paths, threads: try a.int("--threads", default: 0))
        for study in scan.studies() {
            print("study \(study.studyInstanceUID)  patient \"\(study.patientName)\" (\(study.patientID))  date \(study.studyDate)  \"\(study.studyDescription)\"")
            for series in study.series {
                var line = "  series \(series.seriesNumber.map(String.init) ?? "-")  \(series.modality)  \"\(series.seriesDescription)\"  \(series.instances.count) image(s)"
                if series.modality == "CT" { line += "  phase: \(series.phase.phase.rawValue) (\(series.phase.reason))" }
                print(line)
                guard series.instances[0].rows > 0 else { continue }
                do {
                    let stack = try series.sliceStack()
                    let first = series.instances[0]
                    print("    \(first.columns)x\(first.rows)x\(stack.slices.count), \(fmt(stack.pixelSpacing.x))x\(fmt(stack.pixelSpacing.y))x\(fmt(stack.nominalSpacing)) mm")
                    for issue in stack.issues { print("    ! \(issue)") }
                } catch {
                    print("    ! not a volume: \(error)")
                }
            }
        }
        if !scan.refused.isEmpty {
            print("\(scan.refused.count) file(s) not used:")
            for (path, reason) in scan.refused { print("  \(path): \(reason.replacingOccurrences(of: path + ": ", with: ""))") }
        }
    }

    static func convert(_ args: ArraySlice<String>) throws {
        let (paths, options) = pathsAndOptions(args)
        let a = try Arguments(options, valued: ["--out", "--series", "--phase", "--threads"])
        guard !paths.isEmpty else { throw CLIError("dicom convert needs a folder, file or DICOMDIR") }
        let out = try a.required("--out")
        let threads = try a.int("--threads", default: 0)
        let start = Date()
        let scan = try DicomScanner.scan(paths, threads: threads)
        let stack = try choose(scan, a).sliceStack()
        let scanned = Date()
        let volume = try DicomSeriesLoader.load(stack, threads: threads)
        let loaded = Date()
        try volume.nifti().write(out)
        for issue in stack.issues { FileHandle.standardError.write("warning: \(issue)\n".data(using: .utf8)!) }
        let ms = { (a: Date, b: Date) in String(format: "%.1f", b.timeIntervalSince(a) * 1000) }
        FileHandle.standardError.write(("scan \(ms(start, scanned)) ms, load \(ms(scanned, loaded)) ms (\(String(format: "%.3f", loaded.timeIntervalSince(scanned) * 1000 / Double(stack.slices.count))) ms/slice), "
            + "\(volume.nx)x\(volume.ny)x\(volume.nz) -> \(out)\n").data(using: .utf8)!)
    }

    /// `dicom load PATH... [--series|--phase] [--threads N] [--repeat K]`: scans and loads a series K times
    /// (for timing), printing JSON with the times (ms), the size and the sum of all voxel values.
    static func load(_ args: ArraySlice<String>) throws {
        let (paths, options) = pathsAndOptions(args)
        let a = try Arguments(options, valued: ["--series", "--phase", "--threads", "--repeat"])
        guard !paths.isEmpty else { throw CLIError("dicom load needs a folder, file or DICOMDIR") }
        let threads = try a.int("--threads", default: 0)
        var scanTimes: [Double] = [], loadTimes: [Double] = [], volume: PatientVolume?
        for _ in 0..<max(1, try a.int("--repeat", default: 1)) {
            let start = Date()
            let stack = try choose(try DicomScanner.scan(paths, threads: threads), a).sliceStack()
            let scanned = Date()
            volume = try DicomSeriesLoader.load(stack, threads: threads)
            scanTimes.append(scanned.timeIntervalSince(start) * 1000)
            loadTimes.append(Date().timeIntervalSince(scanned) * 1000)
        }
        let v = volume!
        let sum = v.voxels.reduce(0.0) { $0 + Double($1) }
        let json: [String: Any] = ["size": [v.nx, v.ny, v.nz], "voxel_sum": sum, "scan_ms": scanTimes, "load_ms": loadTimes,
                                   "total_ms": zip(scanTimes, loadTimes).map { $0 + $1 }]
        print(String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self))
    }

    /// The series named by `--series` (number or UID) or `--phase`, or the only image series.
    static func choose(_ scan: DicomScan, _ a: Arguments) throws -> DicomSeries {
        let candidates = scan.studies().flatMap(\.series).filter { $0.modality == "CT" || $0.instances[0].rows > 0 }
        let chosen: DicomSeries
        if let key = a["--series"] {
            guard let match = candidates.first(where: { $0.seriesInstanceUID == key || $0.seriesNumber.map(String.init) == key }) else {
                throw CLIError("no image series with number or UID \(key)")
            }
            chosen = match
        } else if let name = a["--phase"] {
            guard let phase = ContrastPhase.allCases.first(where: { $0.rawValue == name || "\($0)" == name }) else {
                throw CLIError("--phase takes unenhanced, arterial, portalVenous or delayed")
            }
            guard let match = candidates.first(where: { $0.phase.phase == phase }) else { throw CLIError("no series in the \(phase.rawValue) phase") }
            chosen = match
        } else {
            guard !candidates.isEmpty else { throw CLIError("no image series found (\(scan.refused.count) file(s) not DICOM or unusable)") }
            guard candidates.count == 1 else { throw CLIError("\(candidates.count) image series found: choose one with --series or --phase") }
            chosen = candidates[0]
        }
        return chosen
    }

    static func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
}
