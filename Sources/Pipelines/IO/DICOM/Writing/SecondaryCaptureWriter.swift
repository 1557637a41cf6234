import CDICOM

/// Writes RGB Secondary Capture images (key slices with overlays) into the study of a source image, so any
/// PACS viewer shows them next to the CT.
public enum SecondaryCaptureWriter {
    /// Writes `image` as a Secondary Capture derived from `source`.
    /// - Throws: `DicomError` when the picture is empty or too large, or the writer fails.
    public static func write(_ image: RGBImage, derivedFrom source: DicomInstance, comments: String,
                             identity: DicomObjectIdentity, to path: String) throws {
        guard image.width > 0, image.height > 0, image.width <= 65535, image.height <= 65535,
              image.pixels.count == image.width * image.height * 3 else {
            throw DicomError("secondary capture: picture of \(image.width) x \(image.height) is empty or too large")
        }
        let arena = CStringArena()
        try image.pixels.withUnsafeBufferPointer { pixels in
            var request = cdicom_sc_request(source_path: arena.string(source.path), rgb: pixels.baseAddress,
                                            rows: UInt32(image.height), columns: UInt32(image.width),
                                            image_comments: arena.string(comments), identity: arena.identity(identity),
                                            output_path: arena.string(path))
            try CStringArena.call("writing secondary capture \(path)") { cdicom_write_secondary_capture(&request, $0, $1) }
        }
    }
}
