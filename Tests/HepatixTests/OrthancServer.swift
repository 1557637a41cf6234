import Foundation

/// A throw-away Orthanc PACS (Debian `orthanc`, installed by `make test-env`) on free loopback ports in a
/// temporary folder, with DICOMweb, C-FIND/C-GET allowed for any caller and Nagle off; stopped by PID.
final class OrthancServer {
    let folder: String
    let dimsePort: UInt16, httpPort: UInt16
    let aeTitle = "ORTHANC_T"
    private let process = Process()

    /// Starts Orthanc and waits (at most 20 s) until its REST API answers.
    init() throws {
        folder = try DicomTestSupport.temporaryFolder("orthanc")
        dimsePort = try Self.freePort()
        httpPort = try Self.freePort()
        let plugin = "/usr/lib/orthanc/libOrthancDicomWeb.so.1.7"
        let configuration: [String: Any] = [
            "Name": "hepatix-test", "StorageDirectory": folder + "/db", "IndexDirectory": folder + "/db",
            "Plugins": FileManager.default.fileExists(atPath: plugin) ? [plugin] : [],
            "DicomWeb": ["Enable": true, "Root": "/dicom-web/"],
            "HttpPort": Int(httpPort), "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
            "OrthancExplorerEnabled": false, "WebDavEnabled": false,
            "DicomAet": aeTitle, "DicomPort": Int(dimsePort), "DicomCheckCalledAet": true,
            "DicomAlwaysAllowFind": true, "DicomAlwaysAllowGet": true, "DicomAlwaysAllowMove": true,
            "SaveJobs": false, "StableAge": 1, "DicomAssociationCloseDelay": 0, "OverwriteInstances": true,
        ]
        let path = folder + "/orthanc.json"
        try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: path))
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/Orthanc")
        process.arguments = ["--logdir=" + folder, path]
        var environment = ProcessInfo.processInfo.environment
        environment["TCP_NODELAY"] = "1"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? rest("/system")) == nil {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw DicomTestError("Orthanc did not start (log in \(folder))")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// GET `path` of the REST API (through curl); throws when it does not answer 2xx.
    @discardableResult
    func rest(_ path: String) throws -> String {
        let (status, output) = try DicomTestSupport.run("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(httpPort)\(path)"])
        guard status == 0 else { throw DicomTestError("GET \(path) failed") }
        return output
    }

    /// SIGTERM by PID, SIGKILL after 3 s (the folder is thrown away, so an unclean stop loses nothing).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A port the kernel considers free on loopback right now.
    static func freePort() throws -> UInt16 {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        guard bound else { throw DicomTestError("no free port") }
        return UInt16(bigEndian: address.sin_port)
    }
}
