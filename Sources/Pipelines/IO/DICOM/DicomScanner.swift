import CDICOM
import Foundation
import HepatixKernels

/// The outcome of scanning folders or DICOMDIRs: the DICOM instances found, and every other file
/// with the reason it was not used.
public struct DicomScan: Sendable {
    /// Instances in path order.
    public let instances: [DicomInstance]
    /// Files that are not DICOM or lack what an instance needs, with the reason.
    public let refused: [(path: String, reason: String)]

    /// The instances grouped into studies, each with its series.
    public func studies() -> [DicomStudy] { DicomStudy.group(instances) }
}

/// Finds DICOM files: folders are walked recursively, a DICOMDIR is followed to the files it
/// references, single files are taken as they are. Headers are parsed in parallel (pixel data is
/// not read).
public enum DicomScanner {
    /// Scans `paths` with `threads` workers (0: one per core).
    /// - Throws: `DicomError` when a path does not exist or a DICOMDIR cannot be read.
    public static func scan(_ paths: [String], threads: Int = 0) throws -> DicomScan {
        var files: [String] = []
        var seen = Set<String>()
        for path in paths {
            for file in try filesUnder(path) where seen.insert(file).inserted { files.append(file) }
        }
        files.sort()
        let results = UnsafeMutableBufferPointer<Result<DicomInstance, DicomError>?>.allocate(capacity: files.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = SendableMutablePointer(results.baseAddress ?? UnsafeMutablePointer.allocate(capacity: 1))
        let list = files
        WorkerPool(threads: threads).forEach(items: list.count) { _, index in
            do {
                slots.pointer[index] = .success(try DicomInstance(reading: DicomFile(path: list[index], headerOnly: true)))
            } catch {
                slots.pointer[index] = .failure(error as? DicomError ?? DicomError("\(list[index]): \(error)"))
            }
        }
        var instances: [DicomInstance] = []
        var refused: [(String, String)] = []
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let instance)?:
                if instance.sopClassUID == mediaStorageDirectory { continue }
                instances.append(instance)
            case .failure(let error)?: refused.append((files[index], error.description))
            case nil: refused.append((files[index], "not scanned"))
            }
        }
        return DicomScan(instances: instances, refused: refused)
    }

    /// SOP class of a DICOMDIR (Media Storage Directory Storage).
    static let mediaStorageDirectory = "1.2.840.10008.1.3.10"

    /// Regular files under `path` (recursively), or the files a DICOMDIR lists, or `path` itself.
    static func filesUnder(_ given: String) throws -> [String] {
        let path = (given as NSString).resolvingSymlinksInPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw DicomError("\(path): no such file or folder")
        }
        if !isFolder.boolValue {
            return (path as NSString).lastPathComponent.uppercased() == "DICOMDIR" ? try dicomdirFiles(path) : [path]
        }
        var files: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: path) else { throw DicomError("\(path): cannot list the folder") }
        while let relative = walker.nextObject() as? String {
            let full = (path as NSString).appendingPathComponent(relative)
            if (walker.fileAttributes?[.type] as? FileAttributeType) == .typeRegular { files.append(full) }
        }
        return files
    }

    /// The existing files a DICOMDIR references (relative to its folder).
    static func dicomdirFiles(_ path: String) throws -> [String] {
        final class Collector { var paths: [String] = [] }
        let collector = Collector()
        var message = [CChar](repeating: 0, count: 512)
        let status = withExtendedLifetime(collector) {
            cdicom_dicomdir_files(path, { context, relative in
                guard let context, let relative else { return }
                Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().paths.append(String(cString: relative))
            }, Unmanaged.passUnretained(collector).toOpaque(), &message, message.count)
        }
        guard status == 0 else { throw DicomError("\(path): \(cText(message))") }
        let folder = (path as NSString).deletingLastPathComponent
        return collector.paths.map { (folder as NSString).appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0) }
    }
}
