import CKernels

/// Lane offsets 0...7.
@usableFromInline let laneRamp = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)

/// Linear interpolation of the padded row `q` at the eight monotone positions `u`, without a gather
/// where the positions are close together: the window `q[base ..< base+16]` is loaded with plain
/// vector loads and indexed with `vpermps`. Positions spanning fewer than 8 samples use one
/// 8-entry table per end point, up to 16 samples two tables, and anything wider falls back to gathers.
///
/// Bounds: every lane satisfies `0 <= u` and `floor(u) + 17 <` the padded row length (the caller
/// clips lanes to the valid range, and rows carry 32 zeros of padding on each side).
@inline(__always)
func interpolateRow(_ q: UnsafePointer<Float>, _ u: SIMD8<Float>) -> SIMD8<Float> {
    let first = hxk_first(u), last = hxk_last(u)
    let lo = first < last ? first : last
    let hi = first < last ? last : first
    let base = Int(hxk_truncate_scalar(lo))
    let baseF = Float(base)
    let t = u - SIMD8(repeating: baseF)
    let index = hxk_truncate(t)
    let frac = t - hxk_to_float(index)
    let p = q + base
    let v0: SIMD8<Float>, v1: SIMD8<Float>
    if hi - baseF < 8 {
        v0 = hxk_permute(hxk_load(p), index)
        v1 = hxk_permute(hxk_load(p + 1), index)
    } else if hi - baseF < 16 {
        v0 = hxk_lookup16(hxk_load(p), hxk_load(p + 8), index)
        v1 = hxk_lookup16(hxk_load(p + 1), hxk_load(p + 9), index)
    } else {
        v0 = hxk_gather(p, index)
        v1 = hxk_gather(p + 1, index)
    }
    return hxk_fma(frac, v1 - v0, v0)
}

/// As `interpolateRow`, for the weighted sum of two adjacent detector columns `a` and `b`
/// (`wa * a + wb * b`), blended before the lookup so that one interpolation serves both.
@inline(__always)
func interpolateColumnPair(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ wa: SIMD8<Float>, _ wb: SIMD8<Float>,
                           _ v: SIMD8<Float>) -> SIMD8<Float> {
    let first = hxk_first(v), last = hxk_last(v)
    let lo = first < last ? first : last
    let hi = first < last ? last : first
    let base = Int(hxk_truncate_scalar(lo))
    let baseF = Float(base)
    let t = v - SIMD8(repeating: baseF)
    let index = hxk_truncate(t)
    let frac = t - hxk_to_float(index)
    let pa = a + base, pb = b + base
    @inline(__always) func blend(_ o: Int) -> SIMD8<Float> { hxk_fma(wb, hxk_load(pb + o), wa * hxk_load(pa + o)) }
    let v0: SIMD8<Float>, v1: SIMD8<Float>
    if hi - baseF < 8 {
        v0 = hxk_permute(blend(0), index)
        v1 = hxk_permute(blend(1), index)
    } else if hi - baseF < 16 {
        v0 = hxk_lookup16(blend(0), blend(8), index)
        v1 = hxk_lookup16(blend(1), blend(9), index)
    } else {
        v0 = hxk_fma(wb, hxk_gather(pb, index), wa * hxk_gather(pa, index))
        v1 = hxk_fma(wb, hxk_gather(pb + 1, index), wa * hxk_gather(pa + 1, index))
    }
    return hxk_fma(frac, v1 - v0, v0)
}
