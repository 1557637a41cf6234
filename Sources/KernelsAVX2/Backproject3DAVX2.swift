import CKernels

/// AVX2+FMA weighted backprojection along voxel columns (z) for geometries whose detector column and
/// depth do not depend on z. Adds every view into `scratch[c * nz + k]` for the voxel columns
/// `columns[c] = (i, j)` and slices `k_first + k`. Per voxel: bilinear `q_v(u, v) / w²`; eight slices
/// per step, the two detector columns blended first so that one row lookup serves both.
///
/// Memory: the projections do not fit in cache, so while it works on one view the kernel prefetches
/// into L2 the part of the next view its block will read (a contiguous run of transposed detector
/// columns), a few cache lines per voxel column.
public func backprojectColumns3DAVX2(_ args: UnsafePointer<hxk_bp3d_args>, columns: UnsafeBufferPointer<SIMD2<Int32>>,
                                     scratch: UnsafeMutablePointer<Float>) {
    let a = args.pointee
    let nviews = Int(a.nviews)
    for v in 0..<nviews {
        let prefetch = v + 1 < nviews ? footprint(a, view: v + 1, columns: columns) : UnsafeRawBufferPointer(start: nil, count: 0)
        let linesPerColumn = (prefetch.count / 64 + columns.count - 1) / max(columns.count, 1)
        let proj = a.projections + v * Int(a.view_stride)
        for c in 0..<columns.count {
            if let start = prefetch.baseAddress {
                var line = c * linesPerColumn * 64
                let end = min(line + linesPerColumn * 64, prefetch.count)
                while line < end { hxk_prefetch_l2(start + line); line += 64 }
            }
            column(a, view: a.views[v], projection: proj, i: Double(columns[c].x), j: Double(columns[c].y),
                   accumulator: scratch + c * Int(a.nz))
        }
    }
}

/// The bytes of view `view` that a block of voxel columns reads: detector columns between the
/// smallest and largest `u` of the block's corners (u is monotone in i and j), all rows.
@inline(__always)
private func footprint(_ a: hxk_bp3d_args, view: Int, columns: UnsafeBufferPointer<SIMD2<Int32>>) -> UnsafeRawBufferPointer {
    guard let first = columns.first, let last = columns.last else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    let m = a.views[view]
    var lo = Double.infinity, hi = -Double.infinity
    for corner in 0..<4 {
        let di = Double(corner < 2 ? first.x : last.x), dj = Double(corner % 2 == 0 ? first.y : last.y)
        let w = a.parallel != 0 ? 1 : m.w0 + m.wj * dj + m.wi * di
        let u = (m.u0 + m.uj * dj + m.ui * di) / w
        lo = min(lo, u)
        hi = max(hi, u)
    }
    let c0 = max(Int(max(lo, -2).rounded(.down)), -1), c1 = min(Int(min(hi, Double(a.columns) + 1).rounded(.up)) + 1, Int(a.columns))
    guard c1 >= c0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    let stride = Int(a.column_stride)
    let start = a.projections + view * Int(a.view_stride) + (c0 + 1) * stride
    return UnsafeRawBufferPointer(start: start, count: (c1 - c0 + 1) * stride * 4)
}

/// One voxel column for one view.
@inline(__always)
private func column(_ a: hxk_bp3d_args, view: hxk_view3d, projection: UnsafePointer<Float>, i: Double, j: Double,
                    accumulator acc: UnsafeMutablePointer<Float>) {
    let w = a.parallel != 0 ? 1 : view.w0 + view.wj * j + view.wi * i
    let rw = 1 / w
    let u = (view.u0 + view.uj * j + view.ui * i) * rw
    guard u > -1 && u < Double(a.columns) else { return }
    let iu = Int(hxk_truncate_scalar(Float(u + 1))) - 1   // u + 1 > 0, so truncation is floor
    let fu = u - Double(iu)
    let columnStride = Int(a.column_stride)
    let colA = projection + (iu + 1) * columnStride
    let colB = colA + columnStride
    // v(k) = vb + vs k over the block's slices; keep k where v stays in [v_lo, v_hi] (no division:
    // 1/vs = w / vk).
    let vs = view.vk * rw
    let vb = (view.v0 + view.vj * j + view.vi * i) * rw + vs * Double(a.k_first)
    guard view.vk != 0 else { return }
    let inv = w / view.vk
    var k0 = (a.v_lo - vb) * inv, k1 = (a.v_hi - vb) * inv
    if k0 > k1 { swap(&k0, &k1) }
    let nz = Int(a.nz)
    guard k1 >= 0 && k0 < Double(nz) else { return }
    let first = k0 <= 0 ? 0 : Int(hxk_truncate_scalar(Float(k0))) + 1
    let end = min(Int(hxk_truncate_scalar(Float(min(k1, Double(nz))))) + 1, nz)
    let weight = rw * rw
    let wa = SIMD8<Float>(repeating: Float((1 - fu) * weight)), wb = SIMD8<Float>(repeating: Float(fu * weight))
    // Eight slices span 7|vs| + frac(v) < 7|vs| + 1 rows; the upper interpolation end point needs one
    // more. One 8-entry table serves both ends below 7 rows, two tables below 15 (1% margin for float
    // rounding); steeper columns gather.
    var k = first
    if abs(vs) < 0.85 {
        k = columnLoop(colA, colB, wa, wb, acc, from: k, to: end, start: Float(vb + vs * Double(k)), step: Float(vs), tables: 1)
    } else if abs(vs) < 1.99 {
        k = columnLoop(colA, colB, wa, wb, acc, from: k, to: end, start: Float(vb + vs * Double(k)), step: Float(vs), tables: 2)
    } else {
        k = columnLoop(colA, colB, wa, wb, acc, from: k, to: end, start: Float(vb + vs * Double(k)), step: Float(vs), tables: 0)
    }
    while k < end {
        let vv = vb + vs * Double(k)
        let r = Int(hxk_truncate_scalar(Float(vv)))
        let f = vv - Double(r)
        let sa = Double(colA[r]) + f * Double(colA[r + 1] - colA[r])
        let sb = Double(colB[r]) + f * Double(colB[r + 1] - colB[r])
        acc[k] += Float(weight * ((1 - fu) * sa + fu * sb))
        k += 1
    }
}

/// Eight slices per step of one voxel column; `tables` (a constant at each call site) selects one or
/// two permute tables, or gathers (0). Positions run on a `FixedPointCursor`, re-anchored every 1024
/// slices. Returns the first slice not done.
@inline(__always)
private func columnLoop(_ colA: UnsafePointer<Float>, _ colB: UnsafePointer<Float>, _ wa: SIMD8<Float>, _ wb: SIMD8<Float>,
                        _ acc: UnsafeMutablePointer<Float>, from first: Int, to end: Int, start: Float, step: Float,
                        tables: Int) -> Int {
    var k = first
    let one = SIMD8<Int32>(repeating: 1)
    while k + 8 <= end {
        let chunkEnd = min(end, k + 1024)
        var cursor = FixedPointCursor(start: start + step * Float(k - first), step: step)
        let pa0 = colA + cursor.origin, pb0 = colB + cursor.origin
        while k + 8 <= chunkEnd {
            let (index, frac) = cursor.lanesInWindow
            let pa = pa0 + cursor.baseOffset, pb = pb0 + cursor.baseOffset
            let s0: SIMD8<Float>, s1: SIMD8<Float>
            switch tables {
            case 1:
                let t0 = hxk_fma(wb, hxk_load(pb), wa * hxk_load(pa))
                s0 = hxk_permute(t0, index)
                s1 = hxk_permute(t0, index &+ one)
            case 2:
                let t0 = hxk_fma(wb, hxk_load(pb), wa * hxk_load(pa))
                let t1 = hxk_fma(wb, hxk_load(pb + 8), wa * hxk_load(pa + 8))
                s0 = hxk_lookup16(t0, t1, index)
                s1 = hxk_lookup16(t0, t1, index &+ one)
            default:
                s0 = hxk_fma(wb, hxk_gather(pb, index), wa * hxk_gather(pa, index))
                s1 = hxk_fma(wb, hxk_gather(pb + 1, index), wa * hxk_gather(pa + 1, index))
            }
            hxk_store(acc + k, hxk_load(acc + k) + hxk_fma(frac, s1 - s0, s0))
            cursor.advanceStep()
            k += 8
        }
    }
    return k
}
