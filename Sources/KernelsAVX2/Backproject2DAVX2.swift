import CKernels

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

/// The parallel-beam row loop: positions are affine in the column, so they run on a
/// `FixedPointCursor` (short dependency chains, exact window bases); the table width is chosen once
/// per row. Returns the first column not processed.
@inline(__always)
private func parallelRow(_ q: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>, from first: Int, to end: Int,
                         start: Float, step: Float) -> Int {
    // Eight lanes span 7|step| + frac(u) < 7|step| + 1 samples; one 8-entry table (read at index and
    // index + 1 from two loads) holds 8, two tables 16; 1% margin for rounding. Steeper rows gather.
    if abs(step) < 0.99 { return parallelRowLoop(q, row, first, end, start, step, tables: 1) }
    if abs(step) < 1.99 { return parallelRowLoop(q, row, first, end, start, step, tables: 2) }
    return parallelRowLoop(q, row, first, end, start, step, tables: 0)
}

/// One specialisation of the parallel row loop (`tables` is a constant at each call site).
@inline(__always)
private func parallelRowLoop(_ q: UnsafePointer<Float>, _ row: UnsafeMutablePointer<Float>, _ first: Int, _ end: Int,
                             _ start: Float, _ step: Float, tables: Int) -> Int {
    var j = first
    let one = SIMD8<Int32>(repeating: 1)
    while j + 8 <= end {
        let chunkEnd = min(end, j + 1024)
        var cursor = FixedPointCursor(start: start + step * Float(j - first), step: step)
        let q0 = q + cursor.origin
        while j + 8 <= chunkEnd {
            let (index, frac) = cursor.lanesInWindow
            let p = q0 + cursor.baseOffset
            let v0: SIMD8<Float>, v1: SIMD8<Float>
            switch tables {
            case 1:
                v0 = hxk_permute(hxk_load(p), index)
                v1 = hxk_permute(hxk_load(p + 1), index)
            case 2:
                let t0 = hxk_load(p), t1 = hxk_load(p + 8)
                v0 = hxk_lookup16(t0, t1, index)
                v1 = hxk_lookup16(t0, t1, index &+ one)
            default:
                v0 = hxk_gather(p, index)
                v1 = hxk_gather(p + 1, index)
            }
            hxk_store(row + j, hxk_load(row + j) + hxk_fma(frac, v1 - v0, v0))
            cursor.advanceStep()
            j += 8
        }
    }
    return j
}
