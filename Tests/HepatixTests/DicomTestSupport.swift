import Foundation
import Testing

/// Paths and helpers the DICOM tests share: the shared data folder, the test Python (pydicom, numpy,
/// highdicom; made by `make test-env`) and the independent series generator run through it.
enum DicomTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared").path
    static let python = repository.appendingPathComponent(".build/test-venv/bin/python").path

    /// Runs `executable` with `arguments`; returns (exit status, standard output + error).
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// SHA-256 of `bytes` in hex (through coreutils' sha256sum, an independent implementation).
    static func sha256(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "hepatix-sha-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (status, output) = try run("/usr/bin/sha256sum", [path])
        #expect(status == 0)
        return String(output.prefix(64))
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "hepatix-dicom-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs `../shared/peers/dicom/gen_ct_series.py OUT arguments...` with the test Python.
    /// - Throws: when the test environment is missing (`make test-env` makes it) or the generator fails.
    static func generateStudy(_ out: String, _ arguments: [String]) throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw DicomTestError("no test Python at \(python): run `make test-env` (make test does)")
        }
        let (status, output) = try run(python, [shared + "/peers/dicom/gen_ct_series.py", out] + arguments)
        guard status == 0 else { throw DicomTestError("gen_ct_series.py failed: \(output)") }
    }

    /// Runs a Python snippet with the test Python; returns its output.
    static func python(_ code: String, _ arguments: [String] = []) throws -> String {
        let (status, output) = try run(python, ["-c", code] + arguments)
        guard status == 0 else { throw DicomTestError("python failed: \(output)") }
        return output
    }
}

/// A failure in the tests' own set-up.
struct DicomTestError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
