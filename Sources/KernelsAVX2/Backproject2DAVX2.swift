import CKernels

/// AVX2+FMA weighted backprojection of every view into rows `rows` × columns `columns` of a 2D image
/// (`out[i * outStride + j]`, accumulated). Same arithmetic as the scalar reference: per voxel,
/// `q_v(u) / w²` with linear interpolation; eight voxels along a row per step.
public func backprojectTile2DAVX2(_ args: UnsafePointer<hxk_bp2d_args>, rows: Range<Int>, columns: Range<Int>,
                                  out: UnsafeMutablePointer<Float>, outStride: Int) {
    let a = args.pointee
    let nviews = Int(a.nviews)
    var v = 0
    while v < nviews {
        // Parallel beams: two views per pass over each row where both allow it (see `parallelRowPair`).
        let paired = a.parallel != 0 && v + 1 < nviews
        for i in rows {
            let row = out + i * outStride
            if paired {
                let (s0, f0, e0) = segment(a, view: v, row: i, columns: columns)
                let (s1, f1, e1) = segment(a, view: v + 1, row: i, columns: columns)
                let q0 = a.projections + v * Int(a.stride), q1 = q0 + Int(a.stride)
                if f0 == f1 && e0 == e1 && abs(a.views[v].uj) < 0.99 && abs(a.views[v + 1].uj) < 0.99 {
                    let j = parallelRowPair(q0, q1, row: row, from: f0, to: e0, start0: s0, step0: Float(a.views[v].uj),
                                            start1: s1, step1: Float(a.views[v + 1].uj))
                    finishRow(a, view: v, q: q0, row: row, i: i, from: j, to: e0)
                    finishRow(a, view: v + 1, q: q1, row: row, i: i, from: j, to: e1)
                } else {
                    singleView(a, view: v, row: row, i: i, columns: columns)
                    singleView(a, view: v + 1, row: row, i: i, columns: columns)
                }
            } else {
                singleView(a, view: v, row: row, i: i, columns: columns)
            }
        }
        v += paired ? 2 : 1
    }
}

/// The columns of row `i` that view `view` reaches (clipped to `columns`) and the detector position
/// of the first of them (parallel beams).
@inline(__always)
private func segment(_ a: hxk_bp2d_args, view v: Int, row i: Int, columns: Range<Int>) -> (start: Float, first: Int, end: Int) {
    let view = a.views[v]
    let ua = view.u0 + view.ui * Double(i), wa = view.w0 + view.wi * Double(i)
    var first = Int64(columns.lowerBound), last = Int64(columns.upperBound)
    hxk_clip_projective(ua, view.uj, wa, view.wj, a.u_lo, a.u_hi, &first, &last)
    return (Float(ua + view.uj * Double(first)), Int(first), Int(last))
}

/// One view's contribution to one row: the vector loop, then the scalar tail.
@inline(__always)
private func singleView(_ a: hxk_bp2d_args, view v: Int, row: UnsafeMutablePointer<Float>, i: Int, columns: Range<Int>) {
    let view = a.views[v]
    let q = a.projections + v * Int(a.stride)
    let ua = view.u0 + view.ui * Double(i), wa = view.w0 + view.wi * Double(i)
    var first = Int64(columns.lowerBound), last = Int64(columns.upperBound)
    hxk_clip_projective(ua, view.uj, wa, view.wj, a.u_lo, a.u_hi, &first, &last)
    var j = Int(first)
    let end = Int(last)
    if a.parallel != 0 {
        j = parallelRow(q, row: row, from: j, to: end, start: Float(ua + view.uj * Double(j)), step: Float(view.uj))
    } else {
        let ramp = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
        let u0 = SIMD8<Float>(repeating: Float(ua + view.uj * Double(j))), du = SIMD8<Float>(repeating: Float(view.uj))
        let w0 = SIMD8<Float>(repeating: Float(wa + view.wj * Double(j))), dw = SIMD8<Float>(repeating: Float(view.wj))
        var offset = ramp
        while j + 8 <= end {
            let rw = 1 / hxk_fma(offset, dw, w0)
            let u = hxk_fma(offset, du, u0) * rw
            hxk_store(row + j, hxk_fma(rw * rw, interpolateRow(q, u), hxk_load(row + j)))
            offset += 8
            j += 8
        }
    }
    finishRow(a, view: v, q: q, row: row, i: i, from: j, to: end)
}

/// Scalar tail of a row (fewer than eight voxels), same arithmetic as the reference kernel.
@inline(__always)
private func finishRow(_ a: hxk_bp2d_args, view v: Int, q: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>, i: Int,
                       from first: Int, to end: Int) {
    let view = a.views[v]
    let ua = view.u0 + view.ui * Double(i), wa = view.w0 + view.wi * Double(i)
    for j in first..<max(first, end) {
        let w = a.parallel != 0 ? 1 : wa + view.wj * Double(j)
        let u = (ua + view.uj * Double(j)) / w
        let fl = u.rounded(.down)
        let idx = Int(fl)
        let s = Double(q[idx]) + (u - fl) * Double(q[idx + 1] - q[idx])
        row[j] += Float(s / (w * w))
    }
}

/// Two parallel-beam views, both with |step| < 0.99 (one 8-entry table each), over the same columns:
/// one accumulator load and store and one loop for both. Returns the first column not processed.
@inline(__always)
private func parallelRowPair(_ q0: UnsafePointer<Float>, _ q1: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>,
                             from first: Int, to end: Int, start0: Float, step0: Float, start1: Float, step1: Float) -> Int {
    var j = first
    while j + 8 <= end {
        let chunkEnd = min(end, j + 1024)
        var c0 = FixedPointCursor(start: start0 + step0 * Float(j - first), step: step0)
        var c1 = FixedPointCursor(start: start1 + step1 * Float(j - first), step: step1)
        let b0 = q0 + c0.origin, b1 = q1 + c1.origin
        while j + 8 <= chunkEnd {
            let (i0, f0) = c0.lanesInWindow
            let (i1, f1) = c1.lanesInWindow
            let p0 = b0 + c0.baseOffset, p1 = b1 + c1.baseOffset
            let a0 = hxk_permute(hxk_load(p0), i0), a1 = hxk_permute(hxk_load(p0 + 1), i0)
            let d0 = hxk_permute(hxk_load(p1), i1), d1 = hxk_permute(hxk_load(p1 + 1), i1)
            let sum = hxk_fma(f0, a1 - a0, a0) + hxk_fma(f1, d1 - d0, d0)
            hxk_store(row + j, hxk_load(row + j) + sum)
            c0.advanceStep()
            c1.advanceStep()
            j += 8
        }
    }
    return j
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
