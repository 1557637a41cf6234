import Foundation
import HepatixKernels

/// A reconstruction benchmark workload (`../shared/workloads/README.md`): a `geometry.json` with its
/// projection file, analytic truth and masks. Kinds: `parallel2d` (W1), `fan2d_flat` (W2),
/// `cone3d_flat_circular` (W3).
public struct Workload: Sendable {
    /// Workload kind as written in `geometry.json`.
    public let kind: String
    /// Scan geometry.
    public let geometry: ProjectionGeometry
    /// Output grid (the truth file's grid).
    public let grid: VolumeGrid
    /// Projection (sinogram) file.
    public let projectionsPath: String
    /// Analytic truth file (same layout as the reconstruction), if present.
    public let truthPath: String?
    /// Interior and FOV masks for 2D workloads (uint8, same layout), if present.
    public let interiorMaskPath: String?, fovMaskPath: String?

    /// Errors interpreting a workload description.
    public struct Invalid: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Loads `geometry.json` at `path`.
    /// - Parameter volumeSize: for cone workloads, 256 or 512 (the truth volumes the generator writes).
    /// - Throws: `Invalid` for unknown kinds or missing fields; `GeometryError` for bad values.
    public init(path: String, volumeSize: Int = 256) throws {
        guard let data = FileManager.default.contents(atPath: path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Invalid(description: "cannot read a JSON object from \(path)")
        }
        let dir = (path as NSString).deletingLastPathComponent
        func number(_ key: String, in obj: [String: Any] = json) throws -> Double {
            guard let v = obj[key] as? NSNumber else { throw Invalid(description: "\(path): missing number '\(key)'") }
            return v.doubleValue
        }
        func int(_ key: String, in obj: [String: Any] = json) throws -> Int {
            let v = try number(key, in: obj)
            guard v == v.rounded(), abs(v) < 1e9 else { throw Invalid(description: "\(path): '\(key)' must be an integer") }
            return Int(v)
        }
        func file(_ name: String) -> String? {
            let p = (dir as NSString).appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: p) ? p : nil
        }
        kind = json["kind"] as? String ?? ""
        let views = try int("nviews")
        switch kind {
        case "parallel2d", "fan2d_flat":
            guard let image = json["image"] as? [String: Any] else { throw Invalid(description: "\(path): missing 'image'") }
            let n = try int("nx", in: image)
            grid = try VolumeGrid(nx: n, ny: try int("ny", in: image), nz: 1,
                                  spacing: SIMD3(repeating: try number("pixel_mm", in: image)))
            if kind == "parallel2d" {
                let bins = try int("nbins")
                geometry = try .parallel2D(views: views, bins: bins, binPitch: try number("bin_mm"))
                projectionsPath = (dir as NSString).appendingPathComponent("sino_\(views)x\(bins).f32")
            } else {
                let cols = try int("ncols")
                geometry = try .fan2D(views: views, columns: cols, columnPitch: try number("col_mm"),
                                      sourceToIsocentre: try number("source_iso_mm"), sourceToDetector: try number("source_det_mm"))
                projectionsPath = (dir as NSString).appendingPathComponent("sino_\(views)x\(cols).f32")
            }
            truthPath = file("truth_\(n)x\(n).f32")
            interiorMaskPath = file("mask_interior_\(n)x\(n).u8")
            fovMaskPath = file("mask_fov_\(n)x\(n).u8")
        case "cone3d_flat_circular":
            let (rows, cols) = (try int("nrows"), try int("ncols"))
            geometry = try .coneBeamCircular(views: views, columns: cols, rows: rows, columnPitch: try number("col_mm"),
                                             rowPitch: try number("row_mm"), sourceToIsocentre: try number("source_iso_mm"),
                                             sourceToDetector: try number("source_det_mm"))
            guard let volumes = json["volumes"] as? [String: Any], let v = volumes["v\(volumeSize)"] as? [String: Any] else {
                throw Invalid(description: "\(path): no volume of size \(volumeSize)")
            }
            grid = try .cube(size: try int("n", in: v), voxel: try number("voxel_mm", in: v))
            projectionsPath = (dir as NSString).appendingPathComponent("proj_\(views)x\(rows)x\(cols).f32")
            truthPath = file("truth_\(volumeSize).f32")
            interiorMaskPath = nil
            fovMaskPath = nil
        default:
            throw Invalid(description: "\(path): unknown workload kind '\(kind)'")
        }
    }
}
