import Foundation
import Testing
@testable import Hepatix

/// Round trip through a real PACS (Orthanc on loopback): send a CT series and our SEG, SR and Secondary
/// Capture with C-STORE, find them with C-FIND, retrieve the study with C-GET and compare the bytes.
@Suite(.serialized) struct DicomNetworkTests {
    /// The dataset bytes of a Part 10 file: everything after the file meta group (whose (0002,0000) group
    /// length is the first element after "DICM"). The meta header is rewritten by every receiver.
    static func datasetBytes(_ path: String) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 144, Array(bytes[128..<132]) == Array("DICM".utf8) else { throw DicomTestError("\(path): not Part 10") }
        let length = Int(bytes[140]) | Int(bytes[141]) << 8 | Int(bytes[142]) << 16 | Int(bytes[143]) << 24
        return Array(bytes[(144 + length)...])
    }

    @Test func sendFindAndRetrieveThroughOrthanc() throws {
        let outputs = try DicomWritingTests.outputs.get()
        let server = try OrthancServer()
        defer { server.stop() }
        let peer = DicomPeer(host: "127.0.0.1", port: server.dimsePort, calledAE: server.aeTitle, callingAE: "HEPATIX_TEST")
        try DicomNetworkClient.echo(peer)
        let sent = outputs.stack.slices.map(\.path) + [outputs.seg, outputs.sr, outputs.sc]
        var reports = 0
        let stored = try DicomNetworkClient.store(sent, to: peer) { done, total in
            reports += 1
            return done <= total
        }
        #expect(stored == sent.count && reports == sent.count)

        let study = outputs.stack.slices[0].studyInstanceUID
        let series = try DicomNetworkClient.find(.series, keys: [(.studyInstanceUID, study), (.seriesInstanceUID, ""), (.modality, "")],
                                                 at: peer)
        #expect(Set(series.map { $0[2] }) == ["CT", "SEG", "SR", "OT"], "\(series)")
        #expect(series.count == 4 && series.allSatisfy { $0[0] == study })

        let folder = try DicomTestSupport.temporaryFolder("retrieved")
        let received = try DicomNetworkClient.get(.study, keys: [(.studyInstanceUID, study)], from: peer, into: folder)
        #expect(received == sent.count)
        // Every file we sent comes back with identical dataset bytes (matched by SOP Instance UID).
        var original: [String: [UInt8]] = [:]
        for path in sent { original[try DicomFile(path: path, headerOnly: true).string(.sopInstanceUID) ?? ""] = try Self.datasetBytes(path) }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(files.count == sent.count)
        var identical = 0
        for name in files {
            let path = folder + "/" + name
            let uid = try DicomFile(path: path, headerOnly: true).string(.sopInstanceUID) ?? ""
            if let bytes = original[uid], bytes == (try Self.datasetBytes(path)) { identical += 1 }
        }
        #expect(identical == sent.count, "\(identical) of \(sent.count) retrieved files are byte-identical")
    }

    /// A peer that is not there, a wrong AE title and a malformed address give clear errors, no crash.
    @Test func unreachableOrWrongPeersAreReported() throws {
        let closed = try OrthancServer.freePort()
        let missing = DicomPeer(host: "127.0.0.1", port: closed, calledAE: "NOBODY", timeoutSeconds: 3)
        #expect(throws: DicomError.self) { try DicomNetworkClient.echo(missing) }
        #expect(throws: DicomError.self) { try DicomPeer(address: "ORTHANC@localhost") }
        #expect(try DicomPeer(address: "PACS@10.0.0.2:104") == DicomPeer(host: "10.0.0.2", port: 104, calledAE: "PACS"))
        let server = try OrthancServer()
        defer { server.stop() }
        let wrongAE = DicomPeer(host: "127.0.0.1", port: server.dimsePort, calledAE: "NOT_ORTHANC", timeoutSeconds: 5)
        do {
            try DicomNetworkClient.echo(wrongAE)
            Issue.record("Orthanc accepted a wrong called AE title")
        } catch let error as DicomError {
            #expect(error.description.contains("association"))
        }
    }
}
