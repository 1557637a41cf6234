import Foundation
import Hepatix

/// `hepatix dicom send PATH... --to AET@host:port`, `dicom find --from AET@host:port [--study UID]` and
/// `dicom get --from AET@host:port --study UID [--series UID] --out DIR`: C-STORE, C-FIND and C-GET
/// against a PACS. `--aet` sets our own AE title (default HEPATIX).
enum DicomNetworkCommand {
    static func send(_ args: ArraySlice<String>) throws {
        let (paths, options) = DicomCommand.pathsAndOptions(args)
        let a = try Arguments(options, valued: ["--to", "--aet"])
        guard !paths.isEmpty else { throw CLIError("dicom send needs files or folders") }
        let peer = try DicomPeer(address: try a.required("--to"), callingAE: a["--aet"] ?? "HEPATIX")
        let scan = try DicomScanner.scan(paths)
        for (path, reason) in scan.refused { print("skipped \(path): \(reason)") }
        let files = scan.instances.map(\.path)
        guard !files.isEmpty else { throw CLIError("no DICOM files to send") }
        let bar = ProgressBar(label: "sending")
        let start = Date()
        let stored = try DicomNetworkClient.store(files, to: peer) { done, total in bar.update(Double(done) / Double(total)) }
        bar.finish()
        let seconds = Date().timeIntervalSince(start)
        print("sent \(stored) file(s) to \(peer.calledAE)@\(peer.host):\(peer.port) in \(String(format: "%.3f", seconds)) s")
    }

    static func find(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--from", "--aet", "--study"])
        let peer = try DicomPeer(address: try a.required("--from"), callingAE: a["--aet"] ?? "HEPATIX")
        if let study = a["--study"] {
            let rows = try DicomNetworkClient.find(.series, keys: [(.studyInstanceUID, study), (.seriesInstanceUID, ""), (.seriesNumber, ""),
                                                                   (.modality, ""), (.seriesDescription, "")], at: peer)
            for row in rows { print("series \(row[1])  \(row[2])  \(row[3])  \"\(row[4])\"") }
        } else {
            let rows = try DicomNetworkClient.find(.study, keys: [(.studyInstanceUID, ""), (.patientName, ""), (.patientID, ""),
                                                                  (.studyDate, ""), (.studyDescription, "")], at: peer)
            for row in rows { print("study \(row[0])  patient \"\(row[1])\" (\(row[2]))  date \(row[3])  \"\(row[4])\"") }
        }
    }

    static func get(_ args: ArraySlice<String>) throws {
        let a = try Arguments(args, valued: ["--from", "--aet", "--study", "--series", "--out"])
        let peer = try DicomPeer(address: try a.required("--from"), callingAE: a["--aet"] ?? "HEPATIX")
        let out = try a.required("--out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var keys: [(DicomTag, String)] = [(.studyInstanceUID, try a.required("--study"))]
        if let series = a["--series"] { keys.append((.seriesInstanceUID, series)) }
        let start = Date()
        let received = try DicomNetworkClient.get(a["--series"] == nil ? .study : .series, keys: keys, from: peer, into: out)
        print("received \(received) file(s) into \(out) in \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
    }
}
