import CKernels

/// Zero floats on each side of every line (voxels) and ray buffer the tent kernels read.
public let tentPadding = 32

/// Where the rays of one bundle cross one line of voxels, in voxel-index units: `z_r`, monotone in
/// the ray index `r`. Joseph's projector samples each line with linear interpolation at `z_r`, so ray
/// `r` and voxel `k` share the weight `max(0, 1 - |z_r - k|)` (the "tent"). The forward kernel reads
/// `z_r` for eight consecutive rays; the adjoint kernel reads it for arbitrary candidate rays, and both
/// evaluate the very same float expression, so the pair is an exact transpose up to summation order.
protocol RayPositions {
    /// `z_r` for rays `r ..< r + 8`; `rays` holds those indices as floats.
    func positions(from r: Int, rays: SIMD8<Float>) -> SIMD8<Float>
    /// `z_r` for rays `base + index[l]` (`index` in `0 ... span`); `rays` holds those indices as floats.
    func positions(base: Int, index: SIMD8<Int32>, span: Int, rays: SIMD8<Float>) -> SIMD8<Float>
    /// For voxels `k ..< k + 8` (`voxels` holds them as floats): the first ray that can reach each.
    func firstCandidates(voxel k: Int, voxels: SIMD8<Float>) -> SIMD8<Int32>
    /// How many consecutive rays from the first candidate can reach one voxel.
    var candidateCount: Int { get }
}

/// `z_r = alpha + beta * r`: parallel beams in 2D, and the rows of one detector column crossing one
/// voxel plane in 3D.
struct AffineRayPositions: RayPositions {
    let alpha: Float, beta: Float
    /// `(k + offset) * inverseBeta` is the lower end of the rays reaching voxel `k`.
    private let offset: Float, inverseBeta: Float
    let candidateCount: Int

    /// Positions `alpha + beta * r` (`beta != 0`).
    @inline(__always) init(alpha: Float, beta: Float) {
        self.alpha = alpha
        self.beta = beta
        inverseBeta = 1 / beta
        // Rays reaching voxel k satisfy |alpha + beta r - k| < 1: r lies in an open interval of length
        // 2 / |beta| whose lower end is (k - 1 - alpha) / beta for beta > 0, (k + 1 - alpha) / beta otherwise.
        offset = (beta > 0 ? -1 : 1) - alpha
        candidateCount = Int((2 * abs(inverseBeta) + rayMargin).rounded(.up))
    }

    @inline(__always) func positions(from r: Int, rays: SIMD8<Float>) -> SIMD8<Float> {
        hxk_fma(rays, SIMD8(repeating: beta), SIMD8(repeating: alpha))
    }

    @inline(__always) func positions(base: Int, index: SIMD8<Int32>, span: Int, rays: SIMD8<Float>) -> SIMD8<Float> {
        hxk_fma(rays, SIMD8(repeating: beta), SIMD8(repeating: alpha))
    }

    @inline(__always) func firstCandidates(voxel k: Int, voxels: SIMD8<Float>) -> SIMD8<Int32> {
        let lower = hxk_mul(hxk_add(voxels, SIMD8(repeating: offset)), SIMD8(repeating: inverseBeta))
        // The margin keeps a ray whose exact weight is positive from being lost to rounding; an extra
        // candidate below the interval only costs a zero weight.
        return hxk_floor_int(hxk_sub(lower, SIMD8(repeating: rayMargin))) &+ 1
    }
}

/// `z_r = a[r] + b[r] * plane` from per-ray tables (divergent 2D beams), with the first candidates
/// precomputed per voxel by a merge of the monotone positions (`tabulateCandidates`).
struct TabulatedRayPositions: RayPositions {
    let a: UnsafePointer<Float>, b: UnsafePointer<Float>
    let plane: Float
    /// First candidates per voxel (adjoint only).
    let starts: UnsafePointer<Int32>?
    let candidateCount: Int

    @inline(__always) func positions(from r: Int, rays: SIMD8<Float>) -> SIMD8<Float> {
        hxk_fma(hxk_load(b + r), SIMD8(repeating: plane), hxk_load(a + r))
    }

    @inline(__always) func positions(base: Int, index: SIMD8<Int32>, span: Int, rays: SIMD8<Float>) -> SIMD8<Float> {
        hxk_fma(lookup(b + base, index, span: span), SIMD8(repeating: plane), lookup(a + base, index, span: span))
    }

    @inline(__always) func firstCandidates(voxel k: Int, voxels: SIMD8<Float>) -> SIMD8<Int32> { hxk_load_int(starts! + k) }
}

/// Rounding allowance (in rays) when bounding the rays that reach a voxel.
@inline(__always) var rayMargin: Float { 1e-3 }


/// The tent weight `max(0, 1 - |z - k|)` of a ray at `z` for voxel `k`.
@inline(__always)
func weight(_ z: SIMD8<Float>, _ voxel: SIMD8<Float>) -> SIMD8<Float> {
    hxk_max(hxk_sub(SIMD8(repeating: 1), hxk_abs(hxk_sub(z, voxel))), SIMD8(repeating: 0))
}

/// `p[index[l]]` per lane, for indices in `0 ... span`: one or two permuted loads, or a gather.
@inline(__always)
func lookup(_ p: UnsafePointer<Float>, _ index: SIMD8<Int32>, span: Int) -> SIMD8<Float> {
    if span < 8 { return hxk_permute(hxk_load(p), index) }
    if span < 16 { return hxk_lookup16(hxk_load(p), hxk_load(p + 8), index) }
    return hxk_gather(p, index)
}

/// Forward tent sampling: `acc[r] += line(z_r)` for `r` in `rays`, with `line[k]` for `k` in
/// `0 ..< voxels` and zero elsewhere (`line` carries `tentPadding` zeros on each side; `acc` has room
/// for 8 floats past `rays.upperBound`).
@inline(__always)
func sampleRays<P: RayPositions>(_ line: UnsafePointer<Float>, voxels: Int, _ positions: P, rays: Range<Int>,
                                 into acc: UnsafeMutablePointer<Float>) {
    let pad = Float(tentPadding)
    let lo = SIMD8<Float>(repeating: pad - 1), hi = SIMD8<Float>(repeating: pad + Float(voxels))
    let padded = line - tentPadding
    var r = rays.lowerBound
    var rayLanes = SIMD8<Float>(repeating: Float(r)) + hxk_lane_numbers()
    while r < rays.upperBound {
        // Clamping to [-1, voxels] reads a padding zero with full weight for rays off the line, exactly
        // what an unclamped position would give, and keeps every read in bounds.
        var z = positions.positions(from: r, rays: rayLanes)
        rayLanes = hxk_add(rayLanes, SIMD8(repeating: 8))
        let tail = rays.upperBound - r
        // Rays past the range may belong to another bundle: repeat the last position (the window
        // logic needs a monotone vector) and drop their samples.
        if tail < 8 { z = hxk_extend_last(z, Int32(tail)) }
        let u = hxk_min(hxk_max(hxk_add(z, SIMD8(repeating: pad)), lo), hi)
        var sample = interpolateRow(padded, u)
        if tail < 8 { sample = hxk_keep_first(sample, Int32(tail)) }
        hxk_store(acc + r, hxk_add(hxk_load(acc + r), sample))
        r += 8
    }
}

/// Adjoint tent spreading: for voxels `k` in `voxels` (in steps of eight, the last step may run up to
/// seven voxels past the end), `h_k = sum_r y[r] * max(0, 1 - |z_r - k|)` over the candidate rays,
/// handed to `emit(k, h)`. `y` holds `rayCount` values with `tentPadding` zeros on each side.
@inline(__always)
func spreadRays<P: RayPositions>(_ y: UnsafePointer<Float>, rayCount: Int, _ positions: P, voxels: Range<Int>,
                                 emit: (Int, SIMD8<Float>) -> Void) {
    let count = positions.candidateCount
    let zero = SIMD8<Float>(repeating: 0)
    var k = voxels.lowerBound
    var voxel = SIMD8<Float>(repeating: Float(k)) + hxk_lane_numbers()
    while k < voxels.upperBound {
        // Candidates outside the detector read padding zeros; clamping keeps them inside the padding.
        let first = hxk_clamp_int(positions.firstCandidates(voxel: k, voxels: voxel), Int32(-count), Int32(rayCount))
        let f0 = Int(hxk_first_int(first)), f7 = Int(hxk_last_int(first))
        let base = min(f0, f7), span = max(f0, f7) - base + count - 1
        let start = first &- SIMD8(repeating: Int32(base))
        // Candidate ray numbers as floats (exact for integers), advanced by 1 per candidate.
        let firstRay = hxk_to_float(first)
        var h = zero
        if span < 16 {
            let t0 = hxk_load(y + base), t1 = hxk_load(y + base + 8)
            @inline(__always) func candidate(_ j: Int32) -> SIMD8<Float> {
                let index = start &+ SIMD8(repeating: j)
                let rays = hxk_add(firstRay, SIMD8(repeating: Float(j)))
                return hxk_mul(weight(positions.positions(base: base, index: index, span: span, rays: rays), voxel), hxk_lookup16(t0, t1, index))
            }
            // Unrolled for the common counts (parallel beams: 2 or 3; cone rows: 3 or 4).
            switch count {
            case 2: h = hxk_add(candidate(0), candidate(1))
            case 3: h = hxk_add(hxk_add(candidate(0), candidate(1)), candidate(2))
            case 4: h = hxk_add(hxk_add(candidate(0), candidate(1)), hxk_add(candidate(2), candidate(3)))
            default: for j in 0..<count { h = hxk_add(h, candidate(Int32(j))) }
            }
        } else {
            for j in 0..<count {
                let index = start &+ SIMD8(repeating: Int32(j))
                let rays = hxk_add(firstRay, SIMD8(repeating: Float(j)))
                h = hxk_fma(weight(positions.positions(base: base, index: index, span: span, rays: rays), voxel), hxk_gather(y + base, index), h)
            }
        }
        emit(k, h)
        k += 8
        voxel = hxk_add(voxel, SIMD8(repeating: 8))
    }
}

/// First candidate ray per voxel for monotone tabulated positions `z[r]`, `r` in `rays`: `starts[k]`
/// for `k` in `0 ..< voxels` (plus 8 more entries) is the first ray with `|z_r - k| < 1`, or where it
/// would be. Returns the largest number of rays reaching one voxel (at least 1).
func tabulateCandidates(_ z: (Int) -> Float, rays: Range<Int>, voxels: Int, starts: UnsafeMutablePointer<Int32>) -> Int {
    guard rays.count > 1 else {
        for k in 0..<(voxels + 8) { starts[k] = Int32(rays.lowerBound) }
        return 1
    }
    let increasing = z(rays.upperBound - 1) >= z(rays.lowerBound)
    // Walk the rays in increasing z; `first` / `past` bracket the rays with k - 1 < z < k + 1.
    @inline(__always) func ray(_ t: Int) -> Int { increasing ? rays.lowerBound + t : rays.upperBound - 1 - t }
    let n = rays.count
    var first = 0, past = 0, widest = 1
    for k in 0..<(voxels + 8) {
        let kf = Float(k)
        while first < n && z(ray(first)) <= kf - 1 { first += 1 }
        if past < first { past = first }
        while past < n && z(ray(past)) < kf + 1 { past += 1 }
        widest = max(widest, past - first)
        // In ray order the bracket is [ray(first), ray(past - 1)] or its mirror.
        starts[k] = Int32(increasing ? rays.lowerBound + first : rays.upperBound - max(past, first + 1))
    }
    return widest
}
