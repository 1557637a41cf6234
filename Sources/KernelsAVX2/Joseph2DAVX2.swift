import CKernels

/// Where the rays of one 2D view cross the voxel planes of their dominant axis: ray `r` meets plane
/// `n` at in-plane index `a[r] + b[r] * n`, or, for parallel beams (`affine`), at
/// `alpha(n) + beta * r` with `alpha(n) = alpha0 + alphaStep * n`.
public struct RayTable2D {
    /// Per-ray intercepts and slopes, with `tentPadding` entries on each side (ends replicated).
    public var a: UnsafePointer<Float>, b: UnsafePointer<Float>
    /// Parallel beam: the closed form below is used instead of the tables.
    public var affine: Bool
    public var alpha0: Double, alphaStep: Double, beta: Float

    /// A table for one view.
    public init(a: UnsafePointer<Float>, b: UnsafePointer<Float>, affine: Bool, alpha0: Double, alphaStep: Double, beta: Float) {
        (self.a, self.b, self.affine, self.alpha0, self.alphaStep, self.beta) = (a, b, affine, alpha0, alphaStep, beta)
    }

    @inline(__always) func affinePositions(plane n: Int) -> AffineRayPositions {
        AffineRayPositions(alpha: Float(alpha0 + alphaStep * Double(n)), beta: beta)
    }

    @inline(__always) func tabulated(plane n: Int, starts: UnsafePointer<Int32>?, candidates: Int) -> TabulatedRayPositions {
        TabulatedRayPositions(a: a, b: b, plane: Float(n), starts: starts, candidateCount: candidates)
    }
}

/// Forward Joseph projection of the rays `rays` of one 2D view: for every plane `n` in `0 ..< planes`,
/// `acc[r] += line_n(z_r)` where `line_n` is `lines + n * lineStride` (`voxels` values, padded).
public func josephForwardRun2DAVX2(_ table: RayTable2D, lines: UnsafePointer<Float>, lineStride: Int, planes: Int,
                                   voxels: Int, rays: Range<Int>, acc: UnsafeMutablePointer<Float>) {
    for n in 0..<planes {
        let line = lines + n * lineStride
        if table.affine {
            let p = table.affinePositions(plane: n)
            sampleRays(line, voxels: voxels, p, rays: affineRaysOnLine(p, rays: rays, voxels: voxels), into: acc)
        } else {
            sampleRays(line, voxels: voxels, table.tabulated(plane: n, starts: nil, candidates: 0),
                       rays: rays, into: acc)
        }
    }
}

/// Adjoint of `josephForwardRun2DAVX2` for plane `n`: `line[k] += sum_r y[r] * tent(z_r - k)` over the
/// rays of `run` (`y` is zero outside the run and padded). `starts` is scratch for `voxels + 8` ints.
public func josephAdjointPlane2DAVX2(_ table: RayTable2D, plane n: Int, y: UnsafePointer<Float>, rayCount: Int, run: Range<Int>,
                                     line: UnsafeMutablePointer<Float>, voxels: Int, starts: UnsafeMutablePointer<Int32>) {
    guard !run.isEmpty else { return }
    @inline(__always) func add(_ k: Int, _ h: SIMD8<Float>) { hxk_store(line + k, hxk_add(hxk_load(line + k), h)) }
    if table.affine {
        let p = table.affinePositions(plane: n)
        let ends = (p.alpha + p.beta * Float(run.lowerBound), p.alpha + p.beta * Float(run.upperBound - 1))
        spreadRays(y, rayCount: rayCount, p, voxels: voxelsReached(ends, voxels: voxels), emit: add)
    } else {
        let nf = Float(n)
        let z = { (r: Int) in table.a[r].addingProduct(table.b[r], nf) }
        let widest = tabulateCandidates(z, rays: run, voxels: voxels, starts: starts)
        let ends = (z(run.lowerBound), z(run.upperBound - 1))
        spreadRays(y, rayCount: rayCount, table.tabulated(plane: n, starts: starts, candidates: widest),
                   voxels: voxelsReached(ends, voxels: voxels), emit: add)
    }
}

/// The rays of `rays` whose affine position lies in (-1, voxels), widened by one ray on each side.
@inline(__always)
func affineRaysOnLine(_ p: AffineRayPositions, rays: Range<Int>, voxels: Int) -> Range<Int> {
    let e0 = (-1 - p.alpha) / p.beta, e1 = (Float(voxels) - p.alpha) / p.beta
    let lo = Swift.max(Float(rays.lowerBound), Swift.min(e0, e1).rounded(.down) - 1)
    let hi = Swift.min(Float(rays.upperBound), Swift.max(e0, e1).rounded(.up) + 1)
    return lo < hi ? Int(lo)..<Int(hi) : rays.lowerBound..<rays.lowerBound
}

/// Voxels within one voxel of positions between `ends` (monotone rays), clipped to `0 ..< voxels`.
@inline(__always)
func voxelsReached(_ ends: (Float, Float), voxels: Int) -> Range<Int> {
    let lo = Swift.max(0, Swift.min(ends.0, ends.1).rounded(.down) - 1)
    let hi = Swift.min(Float(voxels), Swift.max(ends.0, ends.1).rounded(.down) + 2)
    return lo < hi ? Int(lo)..<Int(hi) : 0..<0
}
