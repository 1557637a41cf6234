import CKernels

/// The rays of one detector column of one 3D view whose detector rows run along z. They all cross the
/// planes of their dominant axis (x or y) at the same in-plane index `across(n) = across0 + across1 * n`,
/// and row `r` crosses plane `n` at depth `z_r(n) = alpha(n) + beta(n) * r` with
/// `alpha(n) = alpha0 + alpha1 * n`, `beta(n) = beta0 + beta1 * n` (voxel-index units).
/// Ray `r` is `stepScale * sqrt(stepPlanar + (stepZ0 + stepZ1 * r)²)` mm long per plane.
public struct ConeColumnRays: BitwiseCopyable {
    /// True when the planes are x = const (the rays run closer to x than to y).
    public var alongX: Bool
    public var across0: Double, across1: Double
    public var alpha0: Double, alpha1: Double, beta0: Double, beta1: Double
    public var stepScale: Float, stepPlanar: Float, stepZ0: Float, stepZ1: Float

    /// Stores the column's crossing coefficients.
    public init(alongX: Bool, across0: Double, across1: Double, alpha0: Double, alpha1: Double, beta0: Double, beta1: Double,
                stepScale: Float, stepPlanar: Float, stepZ0: Float, stepZ1: Float) {
        (self.alongX, self.across0, self.across1) = (alongX, across0, across1)
        (self.alpha0, self.alpha1, self.beta0, self.beta1) = (alpha0, alpha1, beta0, beta1)
        (self.stepScale, self.stepPlanar, self.stepZ0, self.stepZ1) = (stepScale, stepPlanar, stepZ0, stepZ1)
    }

    /// Length per plane (mm) of row `r`'s ray; the forward and adjoint passes both use this.
    @inline(__always) public func step(row r: Int) -> Float {
        let z = stepZ0 + stepZ1 * Float(r)
        return stepScale * (stepPlanar + z * z).squareRoot()
    }
}

/// A volume copy whose lines run along z: line `(n, i)` of plane `n` and in-plane index `i` (from -1
/// to `across`, the two outer lines zero) starts at `first + n * planeStride + (i + 1) * lineStride`
/// and holds `depth` values with `tentPadding` zeros on each side. Sendable because workers given a
/// layout write disjoint planes of it (stated at each use).
public struct ConeLines: @unchecked Sendable {
    public var first: UnsafeMutablePointer<Float>
    public var planeStride: Int, lineStride: Int
    public var planes: Int, across: Int, depth: Int

    /// Describes the layout.
    public init(first: UnsafeMutablePointer<Float>, planeStride: Int, lineStride: Int, planes: Int, across: Int, depth: Int) {
        (self.first, self.planeStride, self.lineStride) = (first, planeStride, lineStride)
        (self.planes, self.across, self.depth) = (planes, across, depth)
    }

    /// The two lines around in-plane position `p` on plane `n` and the weight of the second, or nil
    /// when `p` is off the grid by a voxel or more.
    @inline(__always) func pair(plane n: Int, at p: Double) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Float)? {
        guard p > -1, p < Double(across) else { return nil }
        let i = p.rounded(.down)
        let line = first + n * planeStride + (Int(i) + 1) * lineStride
        return (line, line + lineStride, Float(p - i))
    }
}

@inline(__always)
private func positions(_ c: ConeColumnRays, plane n: Int) -> AffineRayPositions {
    let nd = Double(n)
    return AffineRayPositions(alpha: Float(c.alpha0 + c.alpha1 * nd), beta: Float(c.beta0 + c.beta1 * nd))
}

/// Forward Joseph projection of one detector column for `views` views (entries `rays[v * raysStride]`)
/// over the planes of `lines` (only the columns whose `alongX` matches): `acc[v * accStride + r]`
/// accumulates row `r`'s samples (unscaled by the ray step). `blend` is scratch for
/// `depth + 2 * tentPadding + 16` floats, zero-initialised once.
public func coneForwardColumnAVX2(_ rays: UnsafePointer<ConeColumnRays>, raysStride: Int, views: Int, lines: ConeLines,
                                  alongX: Bool, rows: Int, acc: UnsafeMutablePointer<Float>, accStride: Int,
                                  blend: UnsafeMutablePointer<Float>) {
    let depth = lines.depth, line = blend + tentPadding
    for n in 0..<lines.planes {
        for v in 0..<views {
            let c = rays[v * raysStride]
            guard c.alongX == alongX, let (l0, l1, w1) = lines.pair(plane: n, at: c.across0 + c.across1 * Double(n)) else { continue }
            let p = positions(c, plane: n)
            let reached = affineRaysOnLine(p, rays: 0..<rows, voxels: depth)
            guard !reached.isEmpty else { continue }
            // Interpolate between the two lines once over the depths these rays read.
            let za = p.alpha + p.beta * Float(reached.lowerBound), zb = p.alpha + p.beta * Float(reached.upperBound - 1)
            let lo = max(-1, Int(min(za, zb).rounded(.down))), hi = min(depth + 2, Int(max(za, zb).rounded(.down)) + 2)
            guard lo < hi else { continue }
            let weight = SIMD8<Float>(repeating: w1)
            var k = lo
            while k < hi {
                let a = hxk_load(l0 + k)
                hxk_store(line + k, hxk_fma(weight, hxk_sub(hxk_load(l1 + k), a), a))
                k += 8
            }
            sampleRays(line, voxels: depth, p, rays: reached, into: acc + v * accStride)
        }
    }
}

/// Adjoint of `coneForwardColumnAVX2` on planes `planes`: spreads the prepared rays of one detector
/// column (`y + v * yStride`, already scaled by the ray steps, `rows` values padded with zeros) back
/// onto the two lines around each crossing.
public func coneAdjointColumnAVX2(_ rays: UnsafePointer<ConeColumnRays>, raysStride: Int, views: Int, lines: ConeLines,
                                  alongX: Bool, planes: Range<Int>, rows: Int, y: UnsafePointer<Float>, yStride: Int) {
    let depth = lines.depth
    for n in planes {
        for v in 0..<views {
            let c = rays[v * raysStride]
            guard c.alongX == alongX, let (l0, l1, w1) = lines.pair(plane: n, at: c.across0 + c.across1 * Double(n)) else { continue }
            let p = positions(c, plane: n)
            let ends = (p.alpha, p.alpha + p.beta * Float(rows - 1))
            let second = SIMD8<Float>(repeating: w1), first = SIMD8<Float>(repeating: 1 - w1)
            spreadRays(y + v * yStride, rayCount: rows, p, voxels: voxelsReached(ends, voxels: depth)) { k, h in
                hxk_store(l0 + k, hxk_fma(first, h, hxk_load(l0 + k)))
                hxk_store(l1 + k, hxk_fma(second, h, hxk_load(l1 + k)))
            }
        }
    }
}
