import Foundation

/// Why radiomics could not be computed.
public enum RadiomicsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Bad input: sizes, an empty ROI, non-finite intensities, an unreadable file.
    case invalid(String)

    /// Human-readable message.
    public var description: String { switch self { case .invalid(let m): return m } }
}

/// A region of interest on a regular 3D grid, the input of radiomics: intensities `[z][y][x]` (x
/// fastest), the voxel spacing in mm and the ROI mask.
public struct RadiomicsImage: Sendable {
    /// Grid size (x, y, z) and voxel spacing (mm).
    public let nx: Int, ny: Int, nz: Int
    public let spacing: SIMD3<Double>
    /// Intensities and ROI membership, `nx * ny * nz` each.
    public let values: [Double]
    public let mask: [Bool]

    /// Checks and stores an image and its mask.
    /// - Throws: `RadiomicsError.invalid` for non-positive sizes or spacing, a size mismatch, an empty ROI
    ///   or a non-finite intensity inside the ROI.
    public init(nx: Int, ny: Int, nz: Int, spacing: SIMD3<Double>, values: [Double], mask: [Bool]) throws {
        guard nx >= 1, ny >= 1, nz >= 1, nx <= 1 << 16, ny <= 1 << 16, nz <= 1 << 16 else {
            throw RadiomicsError.invalid("grid sizes must be 1...65536, got \(nx) x \(ny) x \(nz)")
        }
        guard spacing.x > 0, spacing.y > 0, spacing.z > 0, spacing.x.isFinite, spacing.y.isFinite, spacing.z.isFinite else {
            throw RadiomicsError.invalid("voxel spacing must be positive and finite, got \(spacing)")
        }
        let count = nx * ny * nz
        guard values.count == count, mask.count == count else {
            throw RadiomicsError.invalid("image holds \(values.count) and mask \(mask.count) voxels; the grid has \(count)")
        }
        guard mask.contains(true) else { throw RadiomicsError.invalid("the ROI mask is empty") }
        for v in values.indices where mask[v] && !values[v].isFinite {
            throw RadiomicsError.invalid("intensity at voxel \(v) inside the ROI is not finite")
        }
        (self.nx, self.ny, self.nz, self.spacing, self.values, self.mask) = (nx, ny, nz, spacing, values, mask)
    }

    /// Intensities of the ROI voxels, in voxel order.
    public var roiValues: [Double] { values.indices.filter { mask[$0] }.map { values[$0] } }

    /// Reads the raw + JSON form of `../shared/conformance/ibsi`: a descriptor with `shape_xyz`,
    /// `spacing_mm_xyz`, `image_raw` (+ `image_raw_dtype` int16 | float32) and `mask_raw` (uint8), the raw
    /// files next to it, x fastest.
    /// - Throws: `RadiomicsError.invalid` naming the file and the problem.
    public static func loadRaw(descriptor path: String) throws -> RadiomicsImage {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw RadiomicsError.invalid("cannot read the descriptor \(path)")
        }
        guard let shape = json["shape_xyz"] as? [Int], shape.count == 3, shape.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }),
              let spacing = json["spacing_mm_xyz"] as? [Double], spacing.count == 3,
              let imageName = json["image_raw"] as? String, let maskName = json["mask_raw"] as? String else {
            throw RadiomicsError.invalid("\(path): needs shape_xyz, spacing_mm_xyz, image_raw and mask_raw")
        }
        let dir = (path as NSString).deletingLastPathComponent
        let count = shape[0] * shape[1] * shape[2]
        let dtype = (json["image_raw_dtype"] as? String) ?? "int16"
        let width = dtype.hasPrefix("int16") ? 2 : dtype.hasPrefix("float32") ? 4 : 0
        guard width > 0 else { throw RadiomicsError.invalid("\(path): image_raw_dtype must be int16 or float32, got \(dtype)") }
        func read(_ name: String, bytes: Int) throws -> Data {
            let file = (dir as NSString).appendingPathComponent(name)
            guard let d = FileManager.default.contents(atPath: file) else { throw RadiomicsError.invalid("cannot read \(file)") }
            guard d.count == bytes else { throw RadiomicsError.invalid("\(file) holds \(d.count) bytes, expected \(bytes)") }
            return d
        }
        let image = try read(imageName, bytes: count * width), maskData = try read(maskName, bytes: count)
        var values = [Double](repeating: 0, count: count), mask = [Bool](repeating: false, count: count)
        image.withUnsafeBytes { raw in values.withUnsafeMutableBufferPointer { out in
            if width == 2 {
                for i in 0..<count { out[i] = Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: Int16.self))) }
            } else {
                for i in 0..<count {
                    out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                }
            }
        } }
        maskData.withUnsafeBytes { raw in mask.withUnsafeMutableBufferPointer { out in for i in 0..<count { out[i] = raw.load(fromByteOffset: i, as: UInt8.self) != 0 } } }
        return try RadiomicsImage(nx: shape[0], ny: shape[1], nz: shape[2], spacing: SIMD3(spacing[0], spacing[1], spacing[2]),
                                  values: values, mask: mask)
    }
}

extension RadiomicsImage {
    /// An image and its mask from NIfTI files (`.nii` / `.nii.gz`); the ROI is the mask's voxels equal to
    /// `label`, or its non-zero voxels without one. Spacing comes from the image.
    /// - Throws: `RadiomicsError.invalid` for unreadable files, grids that differ in size or placement
    ///   (voxel-to-world transforms more than 1e-3 mm apart), or an empty ROI.
    public static func loadNIfTI(image imagePath: String, mask maskPath: String, label: Int? = nil) throws -> RadiomicsImage {
        let image: NIfTIVolume, mask: NIfTIVolume
        do { (image, mask) = (try NIfTIVolume.read(imagePath), try NIfTIVolume.read(maskPath)) }
        catch let error as NIfTIError { throw RadiomicsError.invalid(error.description) }
        guard (image.nx, image.ny, image.nz) == (mask.nx, mask.ny, mask.nz) else {
            throw RadiomicsError.invalid("image \(imagePath) is \(image.nx) x \(image.ny) x \(image.nz) but mask \(maskPath) is \(mask.nx) x \(mask.ny) x \(mask.nz)")
        }
        let gap = zip(image.affine, mask.affine).map { (a, b) -> Double in let d = a - b; return max(abs(d.x), abs(d.y), abs(d.z), abs(d.w)) }.max() ?? 0
        guard gap <= 1e-3 else {
            throw RadiomicsError.invalid("image and mask grids are placed differently (transforms differ by \(gap) mm)")
        }
        let roi = mask.values.map { v in label.map { v == Double($0) } ?? (v != 0) }
        return try RadiomicsImage(nx: image.nx, ny: image.ny, nz: image.nz, spacing: image.spacing, values: image.values, mask: roi)
    }
}

/// One computed feature: its IBSI tag (`cm.joint.max`) and code (`GYBY`), the aggregation
/// ("3D, merged"; empty for families without), and the value (NaN where IBSI defines none).
public struct RadiomicsFeature: Sendable, Equatable {
    public let tag: String, code: String, aggregation: String
    public let value: Double

    /// A feature row.
    public init(tag: String, code: String, aggregation: String = "", value: Double) {
        (self.tag, self.code, self.aggregation, self.value) = (tag, code, aggregation, value)
    }
}

/// A family's feature names in output order: `(tag, IBSI code)`.
typealias FeatureNames = [(tag: String, code: String)]

/// Rows for `values` (in the order of `names`) under one aggregation label; NaN for every name when
/// there are no values (an aggregation with no matrix, e.g. no neighbour pairs in a one-voxel ROI).
func rows(_ names: FeatureNames, _ values: [Double], aggregation: String = "") -> [RadiomicsFeature] {
    let filled = values.isEmpty ? [Double](repeating: .nan, count: names.count) : values
    return zip(names, filled).map { RadiomicsFeature(tag: $0.tag, code: $0.code, aggregation: aggregation, value: $1) }
}

extension RadiomicsImage {
    /// The smallest box holding the ROI, widened by `margin` voxels per axis (clamped to the grid): every
    /// feature is invariant to this crop (local intensity reads at most its sphere's radius beyond the ROI;
    /// edges and neighbourhoods see non-ROI voxels either way), and it saves scanning the whole scan.
    func croppedToROI(margin: SIMD3<Int>) throws -> RadiomicsImage {
        var lo = SIMD3(Int.max, Int.max, Int.max), hi = SIMD3(Int.min, Int.min, Int.min)
        mask.withUnsafeBytes { bytes in
            for z in 0..<nz where Self.firstSet(bytes, (z * nx * ny)..<((z + 1) * nx * ny)) != nil { for y in 0..<ny {
                let row = (z * ny + y) * nx
                guard let first = Self.firstSet(bytes, row..<(row + nx)) else { continue }
                var last = row + nx - 1
                while bytes[last] == 0 { last -= 1 }
                lo = pointwiseMin(lo, SIMD3(first - row, y, z)); hi = pointwiseMax(hi, SIMD3(last - row, y, z))
            } }
        }
        lo = pointwiseMax(lo &- margin, .zero)
        hi = pointwiseMin(hi &+ margin, SIMD3(nx - 1, ny - 1, nz - 1))
        if lo == .zero && hi == SIMD3(nx - 1, ny - 1, nz - 1) { return self }
        let size = hi &- lo &+ 1
        var v = [Double](), m = [Bool]()
        v.reserveCapacity(size.x * size.y * size.z); m.reserveCapacity(size.x * size.y * size.z)
        for z in lo.z...hi.z { for y in lo.y...hi.y {
            let row = (z * ny + y) * nx
            v.append(contentsOf: values[(row + lo.x)...(row + hi.x)])
            m.append(contentsOf: mask[(row + lo.x)...(row + hi.x)])
        } }
        return try RadiomicsImage(nx: size.x, ny: size.y, nz: size.z, spacing: spacing, values: v, mask: m)
    }

    /// The first non-zero byte of `bytes[range]` (Bools are stored as bytes 0 / 1), scanning 32 bytes
    /// at a time.
    static func firstSet(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        var i = range.lowerBound
        while i + 32 <= range.upperBound {
            let w = (0..<4).reduce(UInt64(0)) { $0 | bytes.loadUnaligned(fromByteOffset: i + 8 * $1, as: UInt64.self) }
            if w != 0 { break }
            i += 32
        }
        while i + 8 <= range.upperBound && bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0 { i += 8 }
        while i < range.upperBound { if bytes[i] != 0 { return i }; i += 1 }
        return nil
    }
}
