import CKernels

/// Scalar reference kernels for weighted backprojection. They define the result the SIMD tiers must
/// reproduce, run on every CPU, and serve geometries the fast kernels do not cover.
enum ScalarBackprojection {
    /// Linear interpolation of `row` at position `u`; the caller guarantees `floor(u)+1` is in bounds.
    @inline(__always) static func sample(_ row: UnsafePointer<Float>, _ u: Double) -> Double {
        let fl = u.rounded(.down)
        let idx = Int(fl)
        let a = Double(row[idx]), b = Double(row[idx + 1])
        return a + (u - fl) * (b - a)
    }

    /// Adds the contributions of every view to rows `rows` × columns `columns` of a 2D image
    /// (`out[i * outStride + j]`).
    static func tile2D(_ args: UnsafePointer<hxk_bp2d_args>, rows: Range<Int>, columns: Range<Int>,
                       out: UnsafeMutablePointer<Float>, outStride: Int) {
        let a = args.pointee
        for v in 0..<Int(a.nviews) {
            let view = a.views[v]
            let q = a.projections + v * Int(a.stride)
            for i in rows {
                let ua = view.u0 + view.ui * Double(i), wa = view.w0 + view.wi * Double(i)
                var first = Int64(columns.lowerBound), last = Int64(columns.upperBound)
                hxk_clip_projective(ua, view.uj, wa, view.wj, a.u_lo, a.u_hi, &first, &last)
                for j in Int(first)..<Int(last) {
                    let w = a.parallel != 0 ? 1 : wa + view.wj * Double(j)
                    let u = (ua + view.uj * Double(j)) / w
                    out[i * outStride + j] += Float(sample(q, u) / (w * w))
                }
            }
        }
    }

    /// Adds the contributions of every view to the voxel columns `(i, j)` of `columns`, all slices,
    /// into `scratch[c * nz + k]` (c = position in `columns`). Mapping as in `hxk_view3d`.
    static func columns3D(_ args: UnsafePointer<hxk_bp3d_args>, columns: UnsafeBufferPointer<SIMD2<Int32>>,
                          scratch: UnsafeMutablePointer<Float>) {
        let a = args.pointee
        let nz = Int(a.nz)
        for v in 0..<Int(a.nviews) {
            let view = a.views[v]
            let proj = a.projections + v * Int(a.view_stride)
            for c in 0..<columns.count {
                let (i, j) = (Double(columns[c].x), Double(columns[c].y))
                let w = a.parallel != 0 ? 1 : view.w0 + view.wj * j + view.wi * i
                let u = (view.u0 + view.uj * j + view.ui * i) / w
                guard u > -1 && u < Double(a.columns) else { continue }
                let iu = u.rounded(.down), fu = u - iu
                let colA = proj + (Int(iu) + 1) * Int(a.column_stride)
                let colB = colA + Int(a.column_stride)
                let vb = (view.v0 + view.vj * j + view.vi * i) / w, vs = view.vk / w
                let vb0 = vb + vs * Double(a.k_first)  // slice k of the block is volume slice k_first + k
                var first: Int64 = 0, last = Int64(nz)
                hxk_clip_projective(vb0, vs, 1, 0, a.v_lo, a.v_hi, &first, &last)
                let weight = 1 / (w * w)
                for k in Int(first)..<Int(last) {
                    let vv = vb0 + vs * Double(k)
                    let value = (1 - fu) * sample(colA, vv) + fu * sample(colB, vv)
                    scratch[c * nz + k] += Float(weight * value)
                }
            }
        }
    }
}
