/// A remote DICOM application entity (a PACS, Orthanc, a modality) and how Hepatix calls it.
public struct DicomPeer: Sendable, Equatable {
    public var host: String
    public var port: UInt16
    /// The peer's AE title, and ours.
    public var calledAE: String, callingAE: String
    /// Connection, association and message timeout in seconds.
    public var timeoutSeconds: UInt32

    public init(host: String, port: UInt16, calledAE: String, callingAE: String = "HEPATIX", timeoutSeconds: UInt32 = 30) {
        (self.host, self.port, self.calledAE, self.callingAE, self.timeoutSeconds) = (host, port, calledAE, callingAE, timeoutSeconds)
    }

    /// Parses `AET@host:port` (the form the CLI takes).
    /// - Throws: `DicomError` explaining the expected form.
    public init(address: String, callingAE: String = "HEPATIX") throws {
        let parts = address.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, let colon = parts[1].lastIndex(of: ":"), let port = UInt16(parts[1][parts[1].index(after: colon)...]),
              port > 0, !parts[0].isEmpty, parts[0].count <= 16, colon != parts[1].startIndex else {
            throw DicomError("'\(address)' is not a DICOM peer: expected AET@host:port, e.g. ORTHANC@127.0.0.1:4242")
        }
        self.init(host: String(parts[1][..<colon]), port: port, calledAE: parts[0], callingAE: callingAE)
    }
}
