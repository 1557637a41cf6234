import Foundation

/// Writes 8-bit greyscale and RGB PNG images (no external library: the zlib stream uses stored deflate blocks,
/// which every PNG reader accepts; images are small enough that compression does not matter here).
public enum PNGWriter {
    /// Encodes `pixels` (`width × height`, row-major, 0 = black) as a PNG file.
    /// - Throws: `RawFloatFile.Failure.wrongSize` when the pixel count is not `width × height`.
    public static func encode(grey pixels: [UInt8], width: Int, height: Int) throws -> Data {
        try encode(pixels, width: width, height: height, channels: 1)
    }

    /// Encodes an RGB picture as a PNG file.
    /// - Throws: `RawFloatFile.Failure.wrongSize` when the picture is empty.
    public static func encode(_ image: RGBImage) throws -> Data {
        try encode(image.pixels, width: image.width, height: image.height, channels: 3)
    }

    /// PNG of 8-bit greyscale (1 channel) or RGB (3 channels) rows.
    static func encode(_ pixels: [UInt8], width: Int, height: Int, channels: Int) throws -> Data {
        guard width > 0, height > 0, pixels.count == width * height * channels else {
            throw RawFloatFile.Failure.wrongSize("PNG of \(width) x \(height) needs \(width * height * channels) bytes, got \(pixels.count)")
        }
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = Data()
        header.appendBigEndian(UInt32(width))
        header.appendBigEndian(UInt32(height))
        header.append(contentsOf: [8, channels == 3 ? 2 : 0, 0, 0, 0])   // 8-bit, grey or RGB, deflate, no filter, no interlace
        appendChunk("IHDR", header, to: &png)
        let row = width * channels
        var raw = Data(capacity: (row + 1) * height)
        for y in 0..<height {
            raw.append(0)   // filter: none
            raw.append(contentsOf: pixels[(y * row)..<((y + 1) * row)])
        }
        appendChunk("IDAT", zlibStored(raw), to: &png)
        appendChunk("IEND", Data(), to: &png)
        return png
    }

    /// Maps `values` to grey levels with a display window [`low`, `high`] and writes a PNG file.
    /// - Throws: `RawFloatFile.Failure.unwritable` when the file cannot be written.
    public static func write(_ values: [Float], width: Int, height: Int, window low: Float, _ high: Float, to path: String) throws {
        let scale = 255 / max(high - low, .leastNormalMagnitude)
        let grey = values.map { v -> UInt8 in
            guard v.isFinite else { return 0 }
            return UInt8(max(0, min(255, ((v - low) * scale).rounded())))
        }
        guard FileManager.default.createFile(atPath: path, contents: try encode(grey: grey, width: width, height: height)) else {
            throw RawFloatFile.Failure.unwritable("cannot write \(path)")
        }
    }

    static func appendChunk(_ type: String, _ body: Data, to png: inout Data) {
        png.appendBigEndian(UInt32(body.count))
        let typed = Data(type.utf8) + body
        png.append(typed)
        png.appendBigEndian(crc32(typed))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65535 bytes.
    static func zlibStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        var offset = 0
        repeat {
            let n = min(65535, data.count - offset)
            out.append(offset + n == data.count ? 1 : 0)
            out.append(UInt8(n & 0xFF)); out.append(UInt8(n >> 8))
            out.append(UInt8(~n & 0xFF)); out.append(UInt8((~n >> 8) & 0xFF))
            out.append(data[data.startIndex + offset ..< data.startIndex + offset + n])
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        out.appendBigEndian(b << 16 | a)
        return out
    }

    /// CRC-32 (IEEE) as PNG chunks use it.
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}

extension Data {
    mutating func appendBigEndian(_ v: UInt32) {
        append(contentsOf: [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)])
    }
}
