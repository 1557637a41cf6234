import Foundation

/// Measured parallel-beam projections with their flat (open beam) and dark frames, as raw
/// little-endian arrays each described by a JSON file with `dtype` and `shape_c_order` (the layout of
/// `../shared/data/tomopy-tooth`): `projections_float32`, `flats_float32`, `darks_float32`
/// (`[frame][row][column]`) and `angles_rad_float64` (one angle per projection, radians).
public struct TomoDataset: Sendable {
    /// Detector counts, `[angle][row][column]`.
    public let projections: [Float]
    /// Open-beam and dark frames, `[frame][row][column]`.
    public let flats: [Float], darks: [Float]
    /// Gantry angle of each projection (radians).
    public let angles: [Double]
    /// Detector rows (slices) and columns.
    public let rows: Int, columns: Int

    /// Why a dataset could not be loaded.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// A file is missing, unreadable or not what its descriptor says.
        case invalid(String)

        /// Human-readable message.
        public var description: String { switch self { case .invalid(let m): return m } }
    }

    /// Reads the dataset in `folder`.
    /// - Throws: `Failure.invalid` naming the file and the problem (missing, bad descriptor, wrong size,
    ///   inconsistent shapes, non-finite values).
    public static func load(folder: String) throws -> TomoDataset {
        let (projections, p) = try array(folder, "projections_float32", dims: 3)
        let (flats, f) = try array(folder, "flats_float32", dims: 3)
        let (darks, d) = try array(folder, "darks_float32", dims: 3)
        let (angles, a) = try array(folder, "angles_rad_float64", dims: 1)
        guard f[1] == p[1], f[2] == p[2], d[1] == p[1], d[2] == p[2] else {
            throw Failure.invalid("flats \(f) and darks \(d) must have the projections' rows and columns \(p)")
        }
        guard a[0] == p[0] else { throw Failure.invalid("\(a[0]) angles for \(p[0]) projections") }
        guard p[2] >= 2, f[0] >= 1, d[0] >= 1 else { throw Failure.invalid("need 2+ columns and at least one flat and one dark frame") }
        return TomoDataset(projections: projections.map(Float.init), flats: flats.map(Float.init), darks: darks.map(Float.init),
                           angles: angles, rows: p[1], columns: p[2])
    }

    /// Reads `name.raw` as described by `name.json`, as doubles, with its shape.
    private static func array(_ folder: String, _ name: String, dims: Int) throws -> ([Double], [Int]) {
        let base = (folder as NSString).appendingPathComponent(name)
        guard let json = FileManager.default.contents(atPath: base + ".json"),
              let meta = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw Failure.invalid("cannot read the descriptor \(base).json")
        }
        guard let shape = meta["shape_c_order"] as? [Int], shape.count == dims, shape.allSatisfy({ $0 >= 1 && $0 <= 1 << 24 }) else {
            throw Failure.invalid("\(base).json: shape_c_order must list \(dims) sizes in 1...16777216")
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, n in
            let (m, o) = acc.0.multipliedReportingOverflow(by: n)
            return (m, acc.1 || o)
        }
        guard !overflow, count <= 1 << 30 else { throw Failure.invalid("\(base).json: \(shape) is too large") }
        let dtype = meta["dtype"] as? String
        let width = dtype == "float32" ? 4 : dtype == "float64" ? 8 : 0
        guard width > 0 else { throw Failure.invalid("\(base).json: dtype must be float32 or float64, got \(dtype ?? "none")") }
        guard let data = FileManager.default.contents(atPath: base + ".raw") else { throw Failure.invalid("cannot read \(base).raw") }
        guard data.count == count * width else {
            throw Failure.invalid("\(base).raw holds \(data.count) bytes; \(shape) \(dtype!) needs \(count * width)")
        }
        let values: [Double] = data.withUnsafeBytes { raw in
            (0..<count).map { i in
                width == 4 ? Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))))
                           : Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
            }
        }
        guard values.allSatisfy(\.isFinite) else { throw Failure.invalid("\(base).raw holds NaN or infinity") }
        return (values, shape)
    }
}
