import Foundation
import Testing
@testable import Hepatix

/// The onnx package's own node test cases (model + inputs + expected outputs made by its reference code) for
/// every supported operator, written by `make test-env` into .build/onnx-node-tests, run by one loop through
/// the reference interpreter. A case may fail only if the allow-list names it with a reason, and an
/// allow-listed case that passes fails the test (so the list can only shrink).
@Suite struct ONNXNodeTests {
    static let root = DicomTestSupport.repository.path
    static let cases = root + "/.build/onnx-node-tests"

    /// One expected failure: a case name or a prefix ending in `*`, and why.
    struct Allowed { let pattern: String, reason: String
        func matches(_ name: String) -> Bool { pattern.hasSuffix("*") ? name.hasPrefix(pattern.dropLast()) : name == pattern }
    }

    static func allowList() throws -> [Allowed] {
        let text = try String(contentsOfFile: root + "/Tests/Fixtures/onnx/node_test_allowlist.tsv", encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            return Allowed(pattern: parts[0], reason: parts.count > 1 ? parts[1] : "")
        }
    }

    static func tensor(_ path: String) throws -> Tensor {
        let proto = try Onnx_TensorProto(serializedBytes: try Data(contentsOf: URL(fileURLWithPath: path)))
        return try ONNXModel.tensor(proto, baseDirectory: nil)
    }

    /// Runs one case; returns nil when every output of every data set matches within the case's tolerance.
    static func run(_ name: String, rtol: Double, atol: Double, sets: Int) -> String? {
        do {
            let folder = cases + "/" + name
            let model = try ONNXModel(contentsOf: folder + "/model.onnx")
            for set in 0..<sets {
                let data = folder + "/test_data_set_\(set)"
                var feeds: [String: Tensor] = [:]
                for (i, input) in model.inputs.enumerated() { feeds[input.name] = try tensor(data + "/input_\(i).pb") }
                let results = try ReferenceInterpreter(model).run(feeds)
                for (i, output) in model.outputs.enumerated() {
                    let expected = try tensor(data + "/output_\(i).pb")
                    guard let got = results[output.name] else { return "output \(output.name) missing" }
                    guard got.shape == expected.shape else { return "output \(i): shape \(got.shape), expected \(expected.shape)" }
                    guard got.elementType == expected.elementType else { return "output \(i): type \(got.elementType), expected \(expected.elementType)" }
                    for (a, b) in zip(got.doubles, expected.doubles) where !(a == b || (a.isNaN && b.isNaN) || abs(a - b) <= atol + rtol * abs(b)) {
                        return "output \(i): \(a) where \(b) is expected (rtol \(rtol), atol \(atol))"
                    }
                }
            }
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func supportedOperatorListMatchesTheEngine() throws {
        let listed = try String(contentsOfFile: Self.root + "/Tests/Fixtures/onnx/supported_operators.txt", encoding: .utf8)
        #expect(Set(listed.split(separator: "\n").map(String.init)) == ONNXModel.supportedOperators)
    }

    @Test func nodeTestCasesPass() throws {
        let manifestPath = Self.cases + "/manifest.json"
        let data = try #require(FileManager.default.contents(atPath: manifestPath), "no \(manifestPath): run `make test-env`")
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        let allowed = try Self.allowList()
        var passed = 0, expectedFailures = 0
        var unexpected: [String] = [], stale: [String] = []
        for (name, info) in manifest.sorted(by: { $0.key < $1.key }) {
            let failure = Self.run(name, rtol: info["rtol"] as? Double ?? 1e-3, atol: info["atol"] as? Double ?? 1e-7,
                                   sets: info["sets"] as? Int ?? 1)
            let isAllowed = allowed.contains { $0.matches(name) }
            switch (failure, isAllowed) {
            case (nil, false): passed += 1
            case (nil, true): stale.append(name)
            case (let f?, false): unexpected.append("\(name): \(f)")
            case (_?, true): expectedFailures += 1
            }
        }
        print("ONNX node tests: \(passed) passed, \(expectedFailures) allow-listed, \(unexpected.count) failed, of \(manifest.count)")
        #expect(unexpected.isEmpty, "\(unexpected.count) failures:\n\(unexpected.joined(separator: "\n"))")
        #expect(stale.isEmpty, "allow-listed but passing (remove from the list): \(stale)")
        let unused = allowed.filter { pattern in !manifest.keys.contains { pattern.matches($0) } }
        #expect(unused.isEmpty, "allow-list entries matching no case: \(unused.map(\.pattern))")
    }
}
