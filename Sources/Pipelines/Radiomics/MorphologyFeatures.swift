import Foundation

/// IBSI morphological features (HCUG) from the marching-cubes mesh (`SurfaceMesh`), the ROI voxel
/// positions (PCA with the sample covariance), the mesh's convex hull and the intensities.
enum MorphologyFeatures {
    static let names: FeatureNames = [
        ("morph.vol", "RNU0"), ("morph.approx.vol", "YEKZ"), ("morph.area", "C0JK"), ("morph.av", "2PR5"),
        ("morph.comp.1", "SKGS"), ("morph.comp.2", "BQWJ"), ("morph.sph.dispr", "KRCK"), ("morph.sphericity", "QCFX"),
        ("morph.asphericity", "25C7"), ("morph.com", "KLMA"), ("morph.diam", "L0JK"), ("morph.pca.major", "TDIC"),
        ("morph.pca.minor", "P9VJ"), ("morph.pca.least", "7J51"), ("morph.pca.elongation", "Q3CK"), ("morph.pca.flatness", "N17B"),
        ("morph.v.dens.aabb", "PBX1"), ("morph.a.dens.aabb", "R59B"), ("morph.v.dens.aee", "6BDE"), ("morph.a.dens.aee", "RDD2"),
        ("morph.v.dens.conv.hull", "R3ER"), ("morph.a.dens.conv.hull", "7T7F"), ("morph.integ.int", "99N0"), ("morph.moran.i", "N365"), ("morph.geary.c", "NPT7"),
    ]

    /// The shape features (all but Moran's I and Geary's C) from `image`'s (morphological) mask;
    /// intensity-weighted ones from `intensity`'s mask.
    static func shapeFeatures(_ image: RadiomicsImage, intensity: RadiomicsImage) -> [RadiomicsFeature] {
        let mesh = SurfaceMesh(mask: image.mask, nx: image.nx, ny: image.ny, nz: image.nz, spacing: image.spacing)
        let v = mesh.volume, a = mesh.area
        // Voxel centres (mm) in scan order: three passes, so the sums run in the same order every time.
        func forEachVoxel(_ mask: [Bool], _ body: (Int, SIMD3<Double>) -> Void) {
            mask.withUnsafeBufferPointer { m in
                var i = 0
                for z in 0..<image.nz { for y in 0..<image.ny { for x in 0..<image.nx {
                    if m[i] { body(i, SIMD3<Double>(Double(x), Double(y), Double(z)) * image.spacing) }
                    i += 1
                } } }
            }
        }
        var count = 0, centre = SIMD3<Double>.zero, weighted = SIMD3<Double>.zero, intensitySum = 0.0, intensityCount = 0
        forEachVoxel(image.mask) { _, p in centre += p; count += 1 }
        forEachVoxel(intensity.mask) { i, p in weighted += p * image.values[i]; intensitySum += image.values[i]; intensityCount += 1 }
        let n = Double(count)
        centre /= n
        weighted /= intensitySum
        let mean = intensitySum / Double(intensityCount)
        var c = [Double](repeating: 0, count: 6)   // sample covariance (N - 1): xx, yy, zz, xy, xz, yz
        forEachVoxel(image.mask) { _, p in
            let d = p - centre
            c[0] += d.x * d.x; c[1] += d.y * d.y; c[2] += d.z * d.z; c[3] += d.x * d.y; c[4] += d.x * d.z; c[5] += d.y * d.z
        }
        let l = eigenvaluesDescending(c.map { $0 / Double(max(count - 1, 1)) })
        let hull = ConvexHull(mesh.halfVoxelVertices)
        let (hullVolume, hullArea) = hull.measures(mesh.vertices)
        // The largest distance between mesh vertices is reached between hull vertices.
        let extreme = Array(Set(hull.faces.flatMap { [$0.0, $0.1, $0.2] })).sorted().map { mesh.vertices[$0] }
        var diameter = 0.0
        for i in extreme.indices { for j in (i + 1)..<extreme.count { diameter = max(diameter, length(extreme[i] - extreme[j])) } }
        let (lo, hi) = (mesh.vertices.reduce(mesh.vertices[0]) { pointwiseMin($0, $1) }, mesh.vertices.reduce(mesh.vertices[0]) { pointwiseMax($0, $1) })
        let box = hi - lo
        let (ea, eb, ec) = (2 * l.0.squareRoot(), 2 * l.1.squareRoot(), 2 * l.2.squareRoot())
        let sphere = pow(36 * Double.pi * v * v, 1.0 / 3)
        return rows(Array(names.dropLast(2)), [
            v, n * image.spacing.x * image.spacing.y * image.spacing.z, a, a / v, v / (Double.pi.squareRoot() * pow(a, 1.5)),
            36 * Double.pi * v * v / (a * a * a), a / sphere, sphere / a, a / sphere - 1, length(centre - weighted), diameter,
            4 * l.0.squareRoot(), 4 * l.1.squareRoot(), 4 * l.2.squareRoot(), (l.1 / l.0).squareRoot(), (l.2 / l.0).squareRoot(),
            v / (box.x * box.y * box.z), a / (2 * (box.x * box.y + box.y * box.z + box.z * box.x)),
            v / (4 * Double.pi / 3 * ea * eb * ec), a / ellipsoidArea(ea, eb, ec), v / hullVolume, a / hullArea, v * mean,
        ])
    }

    /// Moran's I and Geary's C of `intensity`'s ROI (NaN for a constant ROI), on up to `threads` workers.
    static func autocorrelationFeatures(_ intensity: RadiomicsImage, threads: Int) -> [RadiomicsFeature] {
        var sum = 0.0, count = 0
        for i in intensity.mask.indices where intensity.mask[i] { sum += intensity.values[i]; count += 1 }
        let mean = sum / Double(count)
        let (moran, geary) = (try? autocorrelationByFFT(intensity, mean: mean, threads: threads)) ?? (Double.nan, Double.nan)
        return rows(Array(names.suffix(2)), [moran, geary])
    }

    /// Eigenvalues of a symmetric 3x3 matrix (trigonometric closed form), largest first.
    static func eigenvaluesDescending(_ m: [Double]) -> (Double, Double, Double) {
        let (a, b, c, d, e, f) = (m[0], m[1], m[2], m[3], m[4], m[5])
        let p1 = d * d + e * e + f * f
        guard p1 > 0 else { let s = [a, b, c].sorted(by: >); return (s[0], s[1], s[2]) }
        let q = (a + b + c) / 3
        let p2 = (a - q) * (a - q) + (b - q) * (b - q) + (c - q) * (c - q) + 2 * p1
        let p = (p2 / 6).squareRoot()
        let (ba, bb, bc, bd, be, bf) = ((a - q) / p, (b - q) / p, (c - q) / p, d / p, e / p, f / p)
        let det = ba * (bb * bc - bf * bf) - bd * (bd * bc - bf * be) + be * (bd * bf - bb * be)
        let phi = acos(min(1, max(-1, det / 2))) / 3
        let e1 = q + 2 * p * cos(phi), e3 = q + 2 * p * cos(phi + 2 * Double.pi / 3)
        return (e1, 3 * q - e1 - e3, e3)
    }

    /// Surface area of an ellipsoid with semi-axes a >= b >= c (IBSI's Legendre series, 20 terms).
    static func ellipsoidArea(_ a: Double, _ b: Double, _ c: Double) -> Double {
        let alpha = (1 - b * b / (a * a)).squareRoot(), beta = (1 - c * c / (a * a)).squareRoot()
        guard alpha * beta > 0 else { return 4 * Double.pi * a * a }
        let x = (alpha * alpha + beta * beta) / (2 * alpha * beta)
        var (p0, p1) = (1.0, x), sum = 0.0
        for nu in 0...20 {
            let pn: Double
            if nu == 0 { pn = p0 } else if nu == 1 { pn = p1 } else {
                pn = ((2 * Double(nu) - 1) * x * p1 - (Double(nu) - 1) * p0) / Double(nu)
                (p0, p1) = (p1, pn)
            }
            sum += pow(alpha * beta, Double(nu)) / (1 - 4 * Double(nu * nu)) * pn
        }
        return 4 * Double.pi * a * b * sum
    }

    /// Moran's I and Geary's C over the ROI of `image` (its mask), from three inverse-distance pair sums
    /// on the ROI's bounding box (O(N log N), `InverseDistancePairSums`); equal to `autocorrelation` up to
    /// FFT rounding. With deviations `d = x - mean`, `W = S(m, m)`, Moran's numerator is `S(d, d)` and
    /// Geary's `Σ w (x_i - x_j)² = 2 S(d², m) - 2 S(d, d)`.
    static func autocorrelationByFFT(_ image: RadiomicsImage, mean: Double, threads: Int = 0) throws -> (Double, Double) {
        let (nx, ny, nz) = (image.nx, image.ny, image.nz)
        var lo = SIMD3(repeating: Int.max), hi = SIMD3(repeating: Int.min), count = 0
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx where image.mask[(z * ny + y) * nx + x] {
            (lo, hi) = (pointwiseMin(lo, SIMD3(x, y, z)), pointwiseMax(hi, SIMD3(x, y, z)))
            count += 1
        } } }
        guard count > 0 else { return (Double.nan, Double.nan) }
        let size = hi &- lo &+ 1
        var m = [Float](repeating: 0, count: size.x * size.y * size.z), d = m, d2 = m
        var squares = 0.0
        for z in lo.z...hi.z { for y in lo.y...hi.y { for x in lo.x...hi.x where image.mask[(z * ny + y) * nx + x] {
            let k = ((z - lo.z) * size.y + y - lo.y) * size.x + x - lo.x, dev = image.values[(z * ny + y) * nx + x] - mean
            (m[k], d[k], d2[k]) = (1, Float(dev), Float(dev * dev))
            squares += dev * dev
        } } }
        let s = try InverseDistancePairSums.sums([m, d, d2], pairs: [(0, 0), (1, 1), (2, 0)], nx: size.x, ny: size.y, nz: size.z,
                                                 spacing: image.spacing, threads: threads)
        let (w, n) = (s[0], Double(count))
        guard squares > 0, w > 0 else { return (Double.nan, Double.nan) }
        return (n / w * s[1] / squares, (n - 1) * (2 * s[2] - 2 * s[1]) / (2 * w * squares))
    }

    /// Moran's I and Geary's C with inverse-distance weights over every pair of ROI voxels (the O(N²)
    /// definition; the reference for `autocorrelationByFFT`).
    static func autocorrelation(_ p: [SIMD3<Double>], _ x: [Double], _ mean: Double) -> (Double, Double) {
        var w = 0.0, moran = 0.0, geary = 0.0
        for i in p.indices {
            for j in p.indices where j != i {
                let wij = 1 / length(p[i] - p[j])
                w += wij
                moran += wij * (x[i] - mean) * (x[j] - mean)
                geary += wij * (x[i] - x[j]) * (x[j] - x[i]) * -1
            }
        }
        let s = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }, n = Double(x.count)
        guard s > 0 else { return (Double.nan, Double.nan) }
        return (n / w * moran / s, (n - 1) * geary / (2 * w * s))
    }
}
