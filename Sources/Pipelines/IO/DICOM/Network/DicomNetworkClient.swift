import CDICOM

/// A DICOM network client (DIMSE SCU through DCMTK): verify a peer, send files, query and retrieve
/// studies, series and images (Study Root). Nagle's algorithm is turned off for every association.
public enum DicomNetworkClient {
    /// Query/retrieve levels.
    public enum Level: String, Sendable { case study = "STUDY", series = "SERIES", image = "IMAGE" }

    /// C-ECHO: throws `DicomError` when the peer cannot be reached or refuses.
    public static func echo(_ peer: DicomPeer) throws {
        let arena = CStringArena()
        var c = cPeer(peer, arena)
        try CStringArena.call("C-ECHO to \(peer.calledAE)") { cdicom_echo(&c, $0, $1) }
    }

    /// C-STORE of `paths` over one association; `progress(done, total)` may return false to cancel.
    /// - Returns: files the peer accepted (all of them unless it throws).
    /// - Throws: `DicomError` naming the first file refused or not sent.
    @discardableResult
    public static func store(_ paths: [String], to peer: DicomPeer, progress: ((Int, Int) -> Bool)? = nil) throws -> Int {
        let arena = CStringArena()
        var c = cPeer(peer, arena)
        let cPaths = paths.map { Optional(arena.string($0)) }
        var stored = 0
        final class Box { let body: ((Int, Int) -> Bool)?; init(_ b: ((Int, Int) -> Bool)?) { body = b } }
        let box = Box(progress)
        try withExtendedLifetime(box) {
            let context = Unmanaged.passUnretained(box).toOpaque()
            try CStringArena.call("C-STORE to \(peer.calledAE)") { message, capacity in
                cdicom_store(&c, arena.array(cPaths), cPaths.count, { context, done, total in
                    let box = Unmanaged<Box>.fromOpaque(context!).takeUnretainedValue()
                    return (box.body?(done, total) ?? true) ? 0 : 1
                }, context, &stored, message, capacity)
            }
        }
        return stored
    }

    /// C-FIND at `level` with `keys` (tag and matching value; "" asks the peer to return it).
    /// - Returns: one row per match with the keys' values in key order.
    public static func find(_ level: Level, keys: [(DicomTag, String)], at peer: DicomPeer) throws -> [[String]] {
        let arena = CStringArena()
        var c = cPeer(peer, arena)
        let cKeys = keys.map { cdicom_query_key(group: $0.0.group, element: $0.0.element, value: arena.string($0.1)) }
        final class Rows { var rows: [[String]] = [] }
        let rows = Rows()
        try withExtendedLifetime(rows) {
            let context = Unmanaged.passUnretained(rows).toOpaque()
            try CStringArena.call("C-FIND at \(peer.calledAE)") { message, capacity in
                cdicom_find(&c, level.rawValue, arena.array(cKeys), cKeys.count, { context, values, count in
                    let rows = Unmanaged<Rows>.fromOpaque(context!).takeUnretainedValue()
                    rows.rows.append((0..<count).map { values![$0].map { String(cString: $0) } ?? "" })
                }, context, message, capacity)
            }
        }
        return rows.rows
    }

    /// C-GET at `level` with `keys` (e.g. Study Instance UID): the instances arrive into `directory`
    /// unchanged (bit-preserving), named after SOP class and instance UID.
    /// - Returns: instances received.
    @discardableResult
    public static func get(_ level: Level, keys: [(DicomTag, String)], from peer: DicomPeer, into directory: String) throws -> Int {
        let arena = CStringArena()
        var c = cPeer(peer, arena)
        let cKeys = keys.map { cdicom_query_key(group: $0.0.group, element: $0.0.element, value: arena.string($0.1)) }
        var received = 0
        try CStringArena.call("C-GET from \(peer.calledAE)") {
            cdicom_get(&c, level.rawValue, arena.array(cKeys), cKeys.count, directory, &received, $0, $1)
        }
        return received
    }

    private static func cPeer(_ peer: DicomPeer, _ arena: CStringArena) -> cdicom_peer {
        cdicom_peer(host: arena.string(peer.host), port: peer.port, called_ae: arena.string(peer.calledAE),
                    calling_ae: arena.string(peer.callingAE), timeout_seconds: peer.timeoutSeconds)
    }
}
