import CKernels

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
