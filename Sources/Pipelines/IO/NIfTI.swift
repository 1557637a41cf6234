import CZlib
import Foundation

/// Why a NIfTI file could not be read or written.
public struct NIfTIError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Human-readable message naming the file and the problem.
    public let description: String
    init(_ message: String) { description = message }
}

/// A 3D NIfTI-1 or NIfTI-2 volume (`.nii`, or gzip-compressed `.nii.gz`): voxels as doubles (x fastest,
/// `scl_slope`/`scl_inter` applied), spacing in mm and the voxel-to-world affine (RAS+, mm).
///
/// The affine follows the standard's precedence: the sform when `sform_code > 0`, else the qform
/// (quaternion, offsets, `qfac` from `pixdim[0]`) when `qform_code > 0`, else the pixel sizes alone.
/// Spacing is `pixdim[1...3]` scaled to mm by `xyzt_units`. Headers are read in either byte order.
/// Hostile input is refused with a message: bad sizes, dimensions beyond 3D, unknown data types,
/// truncated or oversized data, non-finite spacing.
public struct NIfTIVolume: Sendable {
    /// Grid size and voxel spacing (mm).
    public let nx: Int, ny: Int, nz: Int
    public let spacing: SIMD3<Double>
    /// Voxel values, `nx * ny * nz`, x fastest.
    public let values: [Double]
    /// Rows of the 4 x 4 voxel-to-world matrix (the last row is 0 0 0 1).
    public let affine: [SIMD4<Double>]

    /// A volume from its parts (for writing).
    public init(nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>, values: [Double], affine: [SIMD4<Double>]? = nil) throws {
        guard nx >= 1, ny >= 1, nz >= 1, values.count == nx * ny * nz else {
            throw NIfTIError("volume of \(nx) x \(ny) x \(nz) cannot hold \(values.count) values")
        }
        (self.nx, self.ny, self.nz, self.spacing, self.values) = (nx, ny, nz, spacing, values)
        self.affine = affine ?? [SIMD4(spacing.x, 0, 0, 0), SIMD4(0, spacing.y, 0, 0), SIMD4(0, 0, spacing.z, 0), SIMD4(0, 0, 0, 1)]
    }

    /// The largest voxel count accepted (2^31: a 2048 x 1024 x 1024 volume).
    static let maxVoxels = 1 << 31

    /// Reads `path` (`.nii` or `.nii.gz`; gzip is recognised by its magic bytes, not the name).
    /// - Throws: `NIfTIError` naming the file and the problem.
    public static func read(_ path: String) throws -> NIfTIVolume {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw NIfTIError("cannot open \(path)") }
        defer { try? handle.close() }
        let raw = try handle.readToEnd() ?? Data()
        let bytes = raw.starts(with: [0x1F, 0x8B]) ? try Gzip.inflate(raw, path: path, limit: { try requiredBytes($0, path: path) }) : raw
        return try parse(bytes, path: path)
    }

    /// The file size a header announces (offset plus data), once enough of the header is there; nil
    /// while it is not. Used to bound decompression.
    static func requiredBytes(_ prefix: Data, path: String) throws -> Int? {
        guard prefix.count >= 540 || (prefix.count >= 348 && Header.isVersion1(prefix)) else { return nil }
        let header = try Header(prefix, path: path)
        return header.offset + header.count * header.type.width
    }

    static func parse(_ data: Data, path: String) throws -> NIfTIVolume {
        let header = try Header(data, path: path)
        let needed = header.offset + header.count * header.type.width
        guard data.count >= needed else {
            throw NIfTIError("\(path) is truncated: \(data.count) bytes, the header needs \(needed)")
        }
        var values = [Double](repeating: 0, count: header.count)
        data.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                header.type.decode(raw, from: header.offset, count: header.count, swapped: header.swapped, into: out)
            }
        }
        if header.slope != 0 && header.slope.isFinite && header.intercept.isFinite && (header.slope != 1 || header.intercept != 0) {
            for i in values.indices { values[i] = values[i] * header.slope + header.intercept }
        }
        return try NIfTIVolume(nx: header.dims.x, ny: header.dims.y, nz: header.dims.z, spacing: header.spacing,
                               values: values, affine: header.affine)
    }

    /// Writes a NIfTI-1 single file (gzip-compressed when `path` ends in `.gz`) whose sform (code 1,
    /// scanner) holds `affine`, as int16 when every value is an integer in its range, else float32.
    /// - Throws: `NIfTIError` when the file cannot be written.
    public func write(_ path: String) throws {
        var file = Header.encode(self)
        file.append(contentsOf: [UInt8](repeating: 0, count: 352 - file.count))
        let integral = values.allSatisfy { $0 == $0.rounded() && $0 >= -32768 && $0 <= 32767 }
        file[70] = integral ? 4 : 16; file[72] = integral ? 16 : 32   // datatype, bitpix
        let bytes = integral ? 2 : 4
        file.append(contentsOf: [UInt8](repeating: 0, count: values.count * bytes))
        file.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                if integral { raw.storeBytes(of: Int16(v).littleEndian, toByteOffset: 352 + 2 * i, as: Int16.self) }
                else { raw.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: 352 + 4 * i, as: UInt32.self) }
            }
        }
        let out = path.hasSuffix(".gz") ? try Gzip.deflate(file, path: path) : Data(file)
        guard FileManager.default.createFile(atPath: path, contents: out) else { throw NIfTIError("cannot write \(path)") }
    }
}

/// The fields of a NIfTI-1 / NIfTI-2 header that a 3D volume needs.
private struct Header {
    let dims: SIMD3<Int>, count: Int, offset: Int
    let type: VoxelType, swapped: Bool
    let spacing: SIMD3<Double>, slope: Double, intercept: Double
    let affine: [SIMD4<Double>]

    static func isVersion1(_ d: Data) -> Bool {
        let size = d.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        return size == 348 || size.byteSwapped == 348
    }

    init(_ d: Data, path: String) throws {
        guard d.count >= 348 else { throw NIfTIError("\(path) is truncated: \(d.count) bytes, too short for a NIfTI header") }
        let size = d.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }
        let v1 = size == 348 || size.byteSwapped == 348, v2 = size == 540 || size.byteSwapped == 540
        guard v1 || v2 else { throw NIfTIError("\(path) is not NIfTI: header size field is \(size), not 348 or 540") }
        guard v1 || d.count >= 540 else { throw NIfTIError("\(path) is truncated: too short for a NIfTI-2 header") }
        swapped = size != 348 && size != 540
        let swap = swapped
        func int(_ at: Int, _ width: Int) -> Int {
            d.withUnsafeBytes { raw in
                switch width {
                case 1: return Int(raw[at])
                case 2: let v = raw.loadUnaligned(fromByteOffset: at, as: Int16.self); return Int(swap ? v.byteSwapped : v)
                case 4: let v = raw.loadUnaligned(fromByteOffset: at, as: Int32.self); return Int(swap ? v.byteSwapped : v)
                default: let v = raw.loadUnaligned(fromByteOffset: at, as: Int64.self); return Int(swap ? v.byteSwapped : v)
                }
            }
        }
        func real(_ at: Int, _ width: Int) -> Double {
            d.withUnsafeBytes { raw in
                if width == 4 {
                    let b = raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)
                    return Double(Float(bitPattern: swap ? b.byteSwapped : b))
                }
                let b = raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                return Double(bitPattern: swap ? b.byteSwapped : b)
            }
        }
        // Field offsets (bytes) and widths for NIfTI-1 and NIfTI-2.
        let (dimAt, iw) = v1 ? (40, 2) : (16, 8)
        let (typeAt, pixAt, fw) = v1 ? (70, 76, 4) : (12, 104, 8)
        let (offsetAt, sclAt) = v1 ? (108, 112) : (168, 176)
        let (qAt, sAt, codesAt, unitsAt) = v1 ? (256, 280, 252, 123) : (352, 400, 344, 500)
        let rank = int(dimAt, iw)
        guard (1...7).contains(rank) else { throw NIfTIError("\(path): dim[0] = \(rank), expected 1...7") }
        let dim = (1...7).map { $0 <= rank ? int(dimAt + $0 * iw, iw) : 1 }
        guard dim.allSatisfy({ $0 >= 1 && $0 <= 1 << 20 }) else { throw NIfTIError("\(path): dimensions \(dim.prefix(rank)) out of range") }
        guard dim[3...].allSatisfy({ $0 == 1 }) else {
            throw NIfTIError("\(path) holds \(dim.prefix(rank)); only single 3D volumes are read")
        }
        dims = SIMD3(dim[0], dim[1], dim[2])
        count = dim[0] * dim[1] * dim[2]
        guard count <= NIfTIVolume.maxVoxels else { throw NIfTIError("\(path): \(count) voxels exceed the limit of 2^31") }
        let code = int(typeAt, 2)
        guard let t = VoxelType(rawValue: code) else { throw NIfTIError("\(path): unsupported NIfTI datatype \(code)") }
        type = t
        let voxOffset = v1 ? real(offsetAt, fw) : Double(int(offsetAt, 8))
        guard voxOffset.isFinite, voxOffset >= Double(v1 ? 348 : 540), voxOffset < 1e12 else {
            throw NIfTIError("\(path): vox_offset \(voxOffset) is not a valid data offset")
        }
        offset = Int(voxOffset)
        // xyzt_units: 1 metre, 2 mm (also 0 = unknown, taken as mm), 3 micron.
        let unit = int(unitsAt, v1 ? 1 : 4) & 0x07
        let scale = unit == 1 ? 1000.0 : unit == 3 ? 0.001 : 1.0
        let pix = (0...3).map { real(pixAt + $0 * fw, fw) }
        spacing = SIMD3(abs(pix[1]), abs(pix[2]), abs(pix[3])) * scale
        guard spacing.x > 0, spacing.y > 0, spacing.z > 0, spacing.x.isFinite, spacing.y.isFinite, spacing.z.isFinite else {
            throw NIfTIError("\(path): pixel sizes \(pix[1...3]) must be positive and finite")
        }
        (slope, intercept) = (real(sclAt, fw), real(sclAt + fw, fw))
        let qformCode = v1 ? int(codesAt, 2) : int(codesAt, 4), sformCode = v1 ? int(codesAt + 2, 2) : int(codesAt + 4, 4)
        if sformCode > 0 {
            affine = (0..<3).map { r in SIMD4((0..<4).map { real(sAt + (4 * r + $0) * fw, fw) }) } + [SIMD4(0, 0, 0, 1)]
        } else if qformCode > 0 {
            let (b, c, dq) = (real(qAt, fw), real(qAt + fw, fw), real(qAt + 2 * fw, fw))
            let offsets = SIMD3(real(qAt + 3 * fw, fw), real(qAt + 4 * fw, fw), real(qAt + 5 * fw, fw))
            let a = max(0, 1 - (b * b + c * c + dq * dq)).squareRoot()
            let rotation = [
                SIMD3(a * a + b * b - c * c - dq * dq, 2 * (b * c - a * dq), 2 * (b * dq + a * c)),
                SIMD3(2 * (b * c + a * dq), a * a + c * c - b * b - dq * dq, 2 * (c * dq - a * b)),
                SIMD3(2 * (b * dq - a * c), 2 * (c * dq + a * b), a * a + dq * dq - b * b - c * c),
            ]
            let qfac = pix[0] < 0 ? -1.0 : 1.0
            let pixel = SIMD3(abs(pix[1]), abs(pix[2]), abs(pix[3]) * qfac)
            affine = (0..<3).map { r in
                let m = rotation[r] * pixel
                return SIMD4(m.x, m.y, m.z, offsets[r])
            } + [SIMD4(0, 0, 0, 1)]
        } else {
            affine = [SIMD4(abs(pix[1]), 0, 0, 0), SIMD4(0, abs(pix[2]), 0, 0), SIMD4(0, 0, abs(pix[3]), 0), SIMD4(0, 0, 0, 1)]
        }
        guard affine.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite && $0.w.isFinite }) else {
            throw NIfTIError("\(path): the voxel-to-world transform is not finite")
        }
    }

    /// A NIfTI-1 header (348 bytes plus the 4-byte extension flag) for `v`, datatype left for the caller.
    static func encode(_ v: NIfTIVolume) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 352)
        func put<T>(_ value: T, at: Int) { withUnsafeBytes(of: value) { for (k, b) in $0.enumerated() { h[at + k] = b } } }
        put(Int32(348).littleEndian, at: 0)
        for (k, n) in [3, v.nx, v.ny, v.nz, 1, 1, 1, 1].enumerated() { put(Int16(n).littleEndian, at: 40 + 2 * k) }
        for (k, p) in [1.0, v.spacing.x, v.spacing.y, v.spacing.z, 1, 1, 1, 1].enumerated() { put(Float(p).bitPattern.littleEndian, at: 76 + 4 * k) }
        put(Float(352).bitPattern.littleEndian, at: 108)   // vox_offset
        put(Float(1).bitPattern.littleEndian, at: 112)     // scl_slope
        h[123] = 2                                          // xyzt_units: mm
        put(Int16(1).littleEndian, at: 254)   // sform_code scanner; qform_code stays 0 (unknown)
        for r in 0..<3 { for c in 0..<4 { put(Float(v.affine[r][c]).bitPattern.littleEndian, at: 280 + 4 * (4 * r + c)) } }
        for (k, c) in "n+1\0".utf8.enumerated() { h[344 + k] = c }
        return h
    }
}

/// NIfTI data types read here, by their `datatype` codes.
private enum VoxelType: Int {
    case uint8 = 2, int16 = 4, int32 = 8, float32 = 16, float64 = 64, int8 = 256, uint16 = 512, uint32 = 768

    var width: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64: return 8
        }
    }

    func decode(_ raw: UnsafeRawBufferPointer, from start: Int, count: Int, swapped: Bool, into out: UnsafeMutableBufferPointer<Double>) {
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
            let v = raw.loadUnaligned(fromByteOffset: start + i * MemoryLayout<T>.size, as: T.self)
            return swapped ? v.byteSwapped : v
        }
        for i in 0..<count {
            switch self {
            case .uint8: out[i] = Double(load(UInt8.self, i))
            case .int8: out[i] = Double(load(Int8.self, i))
            case .int16: out[i] = Double(load(Int16.self, i))
            case .uint16: out[i] = Double(load(UInt16.self, i))
            case .int32: out[i] = Double(load(Int32.self, i))
            case .uint32: out[i] = Double(load(UInt32.self, i))
            case .float32: out[i] = Double(Float(bitPattern: load(UInt32.self, i)))
            case .float64: out[i] = Double(bitPattern: load(UInt64.self, i))
            }
        }
    }
}

/// gzip streams through zlib.
enum Gzip {
    /// Decompresses `data` (one or more gzip members). `limit` sees the output so far and returns the size
    /// the content announces once it can (a NIfTI header); inflation stops there, and a stream that ends
    /// before it is reported as truncated by the caller's parser.
    static func inflate(_ data: Data, path: String, limit: (Data) throws -> Int?) throws -> Data {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw NIfTIError("\(path): zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data(), bound: Int? = nil
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                let status = buffer.withUnsafeMutableBytes { out -> Int32 in
                    stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(chunk)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: buffer[0..<(chunk - Int(stream.avail_out))])
                if bound == nil { bound = try limit(output) }
                if let bound, output.count >= bound { return }
                switch status {
                case Z_OK: continue
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    inflateReset(&stream)   // another gzip member follows
                case Z_BUF_ERROR where stream.avail_in == 0: return   // input ended mid-stream: truncated
                default: throw NIfTIError("\(path): corrupt gzip data (zlib status \(status))")
                }
            }
        }
        return output
    }

    /// `bytes` as one gzip member, at zlib level 1 (nibabel's default too): CT volumes are noise-dominated, and
    /// level 6 took 11.4 s for one 512x512x200 float phase where level 1 writes it several times faster for a
    /// file about a tenth larger.
    static func deflate(_ bytes: [UInt8], path: String) throws -> Data {
        var stream = z_stream()
        guard deflateInit2_(&stream, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw NIfTIError("\(path): zlib could not start")
        }
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = bytes.withUnsafeBufferPointer { input in out.withUnsafeMutableBufferPointer { output in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = uInt(input.count)
            stream.next_out = output.baseAddress
            stream.avail_out = uInt(output.count)
            return CZlib.deflate(&stream, Z_FINISH)
        } }
        guard status == Z_STREAM_END else { throw NIfTIError("\(path): gzip compression failed (zlib status \(status))") }
        return Data(out[0..<Int(stream.total_out)])
    }
}
