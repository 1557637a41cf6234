import Foundation

/// IBSI local intensity features (9ST6): the mean intensity in a 1 cm³ sphere (radius 6.2 mm) centred on
/// a voxel, over every image voxel whose centre lies in the sphere (inside or outside the ROI).
enum LocalIntensityFeatures {
    static let names: FeatureNames = [("loc.peak.local", "VJGA"), ("loc.peak.global", "0F91")]

    /// Local peak (at the ROI's maximum-intensity voxel; the highest if several) and global peak
    /// (highest over all ROI voxels).
    static func features(_ image: RadiomicsImage) -> [RadiomicsFeature] {
        let radius = pow(3 / (4 * Double.pi) * 1000, 1.0 / 3)   // mm: a sphere of 1 cm³
        let s = image.spacing
        let reach = SIMD3(Int(radius / s.x), Int(radius / s.y), Int(radius / s.z))
        var offsets: [Int] = []   // linear offsets, with their coordinate deltas checked at use
        var deltas: [SIMD3<Int>] = []
        for dz in -reach.z...reach.z { for dy in -reach.y...reach.y { for dx in -reach.x...reach.x {
            let d = SIMD3(Double(dx) * s.x, Double(dy) * s.y, Double(dz) * s.z)
            guard (d * d).sum() <= radius * radius + 1e-9 else { continue }
            offsets.append((dz * image.ny + dy) * image.nx + dx)
            deltas.append(SIMD3(dx, dy, dz))
        } } }
        func peak(at v: Int) -> Double {
            let (x, y, z) = (v % image.nx, (v / image.nx) % image.ny, v / (image.nx * image.ny))
            var sum = 0.0, count = 0
            for (o, d) in zip(offsets, deltas) {
                let (px, py, pz) = (x + d.x, y + d.y, z + d.z)
                guard px >= 0, px < image.nx, py >= 0, py < image.ny, pz >= 0, pz < image.nz else { continue }
                sum += image.values[v + o]
                count += 1
            }
            return sum / Double(count)
        }
        let roi = image.values.indices.filter { image.mask[$0] }
        let top = roi.map { image.values[$0] }.max()!
        let local = roi.filter { image.values[$0] == top }.map(peak).max()!
        let global = roi.map(peak).max()!
        return rows(names, [local, global])
    }
}
