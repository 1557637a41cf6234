import CKernels
import Glibc

/// AVX2+FMA weighted backprojection of every view into rows `rows` × columns `columns` of a 2D image
/// (`out[i * outStride + j]`, accumulated). Same arithmetic as the scalar reference: per voxel,
/// `q_v(u) / w²` with linear interpolation; eight voxels along a row per step.
public func backprojectTile2DAVX2(_ args: UnsafePointer<hxk_bp2d_args>, rows: Range<Int>, columns: Range<Int>,
                                  out: UnsafeMutablePointer<Float>, outStride: Int) {
    let a = args.pointee
    let parallel = a.parallel != 0
    for v in 0..<Int(a.nviews) {
        let view = a.views[v]
        let q = a.projections + v * Int(a.stride)
        for i in rows {
            let ua = view.u0 + view.ui * Double(i), wa = view.w0 + view.wi * Double(i)
            var first = Int64(columns.lowerBound), last = Int64(columns.upperBound)
            hxk_clip_projective(ua, view.uj, wa, view.wj, a.u_lo, a.u_hi, &first, &last)
            var j = Int(first)
            let end = Int(last)
            let row = out + i * outStride
            // Positions relative to the first voxel keep float rounding at one ulp of the row start.
            let u0 = SIMD8<Float>(repeating: Float(ua + view.uj * Double(j)))
            let du = SIMD8<Float>(repeating: Float(view.uj))
            var offset = laneRamp
            if parallel {
                j = parallelRow(q, row: row, from: j, to: end, start: Float(ua + view.uj * Double(j)), step: Float(view.uj))
            } else {
                let w0 = SIMD8<Float>(repeating: Float(wa + view.wj * Double(j)))
                let dw = SIMD8<Float>(repeating: Float(view.wj))
                while j + 8 <= end {
                    let rw = 1 / hxk_fma(offset, dw, w0)
                    let u = hxk_fma(offset, du, u0) * rw
                    hxk_store(row + j, hxk_fma(rw * rw, interpolateRow(q, u), hxk_load(row + j)))
                    offset += 8
                    j += 8
                }
            }
            while j < end {
                let w = parallel ? 1 : wa + view.wj * Double(j)
                let u = (ua + view.uj * Double(j)) / w
                let fl = u.rounded(.down)
                let idx = Int(fl)
                let s = Double(q[idx]) + (u - fl) * Double(q[idx + 1] - q[idx])
                row[j] += Float(s / (w * w))
                j += 1
            }
        }
    }
}

/// The parallel-beam row loop: positions are affine in the column, so the window base of each
/// 8-voxel step comes from the same FMA that yields its lowest lane (lane 0, or lane 7 for a negative
/// step) computed in scalar — no lane extraction — and the table width is chosen once per row.
/// Returns the first column not processed.
@inline(__always)
private func parallelRow(_ q: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>, from first: Int, to end: Int,
                         start: Float, step: Float) -> Int {
    // Eight lanes span 7|step| + frac(u) < 7|step| + 1 samples; one table holds 8 (kept 1% clear of
    // the edge so float rounding cannot reach index 8), two tables 16.
    if abs(step) < 0.99 { return parallelRowLoop(q, row, first, end, start, step, oneTable: true) }
    if abs(step) < 2.1 { return parallelRowLoop(q, row, first, end, start, step, oneTable: false) }
    var j = first
    let u0 = SIMD8<Float>(repeating: start), du = SIMD8<Float>(repeating: step)
    var offset = laneRamp
    while j + 8 <= end {
        hxk_store(row + j, hxk_load(row + j) + interpolateRow(q, hxk_fma(offset, du, u0)))
        offset += 8
        j += 8
    }
    return j
}

/// One specialisation of the parallel row loop (`oneTable` is a constant at each call site).
@inline(__always)
private func parallelRowLoop(_ q: UnsafePointer<Float>, _ row: UnsafeMutablePointer<Float>, _ first: Int, _ end: Int,
                             _ start: Float, _ step: Float, oneTable: Bool) -> Int {
    var j = first
    let u0 = SIMD8<Float>(repeating: start), du = SIMD8<Float>(repeating: step)
    var offset = laneRamp
    // Offset of the lane with the smallest position: 0 for a rising row, 7 for a falling one.
    var lowOffset: Float = step >= 0 ? 0 : 7
    while j + 8 <= end {
        let u = hxk_fma(offset, du, u0)
        // Bit-identical to that lane of `u` (same fused multiply-add), so every lane has t >= 0.
        let base = Int(hxk_truncate_scalar(start.addingProduct(lowOffset, step)))
        let t = u - SIMD8(repeating: Float(base))
        let index = hxk_truncate(t)
        let frac = t - hxk_to_float(index)
        let p = q + base
        let v0: SIMD8<Float>, v1: SIMD8<Float>
        if oneTable {
            v0 = hxk_permute(hxk_load(p), index)
            v1 = hxk_permute(hxk_load(p + 1), index)
        } else {
            v0 = hxk_lookup16(hxk_load(p), hxk_load(p + 8), index)
            v1 = hxk_lookup16(hxk_load(p + 1), hxk_load(p + 9), index)
        }
        hxk_store(row + j, hxk_load(row + j) + hxk_fma(frac, v1 - v0, v0))
        offset += 8
        lowOffset += 8
        j += 8
    }
    return j
}
