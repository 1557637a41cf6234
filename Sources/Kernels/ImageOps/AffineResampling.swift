import Foundation

/// Resampling of a volume through an affine map, for phase registration and the phantom's
/// misregistration. Positions are millimetres relative to the grid's centre (x fastest, as stored).
public enum AffineResampling {
    /// A 3×3 matrix (rows) and a translation: p ↦ `matrix`·p + `translation`.
    public struct Map: Sendable, Equatable {
        /// The matrix rows.
        public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)
        /// The translation (mm).
        public var translation: SIMD3<Double>

        /// The map from its rows and translation.
        public init(rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>), translation: SIMD3<Double>) {
            self.rows = rows
            self.translation = translation
        }

        /// The identity.
        public static let identity = Map(rows: (SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)), translation: .zero)

        /// A rotation by `angle` radians about z followed by a translation.
        public static func rigidZ(angle: Double, translation: SIMD3<Double>) -> Map {
            let (c, s) = (cos(angle), sin(angle))
            return Map(rows: (SIMD3(c, -s, 0), SIMD3(s, c, 0), SIMD3(0, 0, 1)), translation: translation)
        }

        /// The image of `p`.
        public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3((rows.0 * p).sum(), (rows.1 * p).sum(), (rows.2 * p).sum()) + translation
        }

        /// The inverse map (nil if the matrix is singular).
        public var inverse: Map? {
            let (a, b, c) = rows
            let det = a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x)
            guard abs(det) > 1e-12, det.isFinite else { return nil }
            let r0 = SIMD3(b.y * c.z - b.z * c.y, a.z * c.y - a.y * c.z, a.y * b.z - a.z * b.y) / det
            let r1 = SIMD3(b.z * c.x - b.x * c.z, a.x * c.z - a.z * c.x, a.z * b.x - a.x * b.z) / det
            let r2 = SIMD3(b.x * c.y - b.y * c.x, a.y * c.x - a.x * c.y, a.x * b.y - a.y * b.x) / det
            let linear = Map(rows: (r0, r1, r2), translation: .zero)
            return Map(rows: (r0, r1, r2), translation: -linear.apply(translation))
        }

        /// Exact equality of matrix and translation.
        public static func == (a: Map, b: Map) -> Bool {
            a.rows.0 == b.rows.0 && a.rows.1 == b.rows.1 && a.rows.2 == b.rows.2 && a.translation == b.translation
        }
    }

    /// `out(p) = values(map(p))` by trilinear interpolation, for every voxel centre p of `grid`;
    /// source positions beyond the grid take the nearest edge value (clamped).
    /// - Complexity: O(n), parallel over slices; the result does not depend on `threads`.
    public static func resample(_ values: [Float], grid: VolumeGrid, map: Map, threads: Int = 0) -> [Float] {
        precondition(values.count == grid.count, "\(values.count) values for a grid of \(grid.count)")
        var out = [Float](repeating: 0, count: grid.count)
        let half = SIMD3(Double(grid.nx - 1), Double(grid.ny - 1), Double(grid.nz - 1)) / 2
        let (nx, ny, nz, plane) = (grid.nx, grid.ny, grid.nz, grid.nx * grid.ny)
        values.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { target in
            let input = SendablePointer(source.baseAddress!), output = SendableMutablePointer(target.baseAddress!)
            let sampler = TrilinearSampler(nx: nx, ny: ny, nz: nz)
            WorkerPool(threads: threads).forEach(items: nz) { _, k in
                for j in 0..<ny { for i in 0..<nx {
                    let p = (SIMD3(Double(i), Double(j), Double(k)) - half) * grid.spacing
                    let u = map.apply(p) / grid.spacing + half
                    // Each worker writes only slice k.
                    output.pointer[k * plane + j * nx + i] = sampler.sample(input.pointer, at: u)
                } }
            }
        } }
        return out
    }
}
