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
                while j + 8 <= end {
                    let u = hxk_fma(offset, du, u0)
                    hxk_store(row + j, hxk_load(row + j) + interpolateRow(q, u))
                    offset += 8
                    j += 8
                }
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
