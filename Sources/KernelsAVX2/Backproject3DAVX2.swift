import CKernels

/// AVX2+FMA weighted backprojection along voxel columns (z) for geometries whose detector column and
/// depth do not depend on z. Adds every view into `scratch[c * nz + k]` for the voxel columns
/// `columns[c] = (i, j)`. Per voxel: bilinear `q_v(u, v) / w²`; eight slices per step, the two detector
/// columns blended first so that one row lookup serves both.
public func backprojectColumns3DAVX2(_ args: UnsafePointer<hxk_bp3d_args>, columns: UnsafeBufferPointer<SIMD2<Int32>>,
                                     scratch: UnsafeMutablePointer<Float>) {
    let a = args.pointee
    let nz = Int(a.nz)
    let parallel = a.parallel != 0
    let columnStride = Int(a.column_stride)
    for v in 0..<Int(a.nviews) {
        let view = a.views[v]
        let proj = a.projections + v * Int(a.view_stride)
        for c in 0..<columns.count {
            let i = Double(columns[c].x), j = Double(columns[c].y)
            let w = parallel ? 1 : view.w0 + view.wj * j + view.wi * i
            let rw = 1 / w
            let u = (view.u0 + view.uj * j + view.ui * i) * rw
            guard u > -1 && u < Double(a.columns) else { continue }
            let iu = u.rounded(.down), fu = u - iu
            let colA = UnsafePointer(proj + (Int(iu) + 1) * columnStride)
            let colB = colA + columnStride
            let vb = (view.v0 + view.vj * j + view.vi * i) * rw, vs = view.vk * rw
            var first: Int64 = 0, last = Int64(nz)
            hxk_clip_projective(vb, vs, 1, 0, a.v_lo, a.v_hi, &first, &last)
            let weight = rw * rw
            let wa = SIMD8<Float>(repeating: Float((1 - fu) * weight)), wb = SIMD8<Float>(repeating: Float(fu * weight))
            let acc = scratch + c * nz
            var k = Int(first)
            let end = Int(last)
            let v0 = SIMD8<Float>(repeating: Float(vb + vs * Double(k)))
            let dv = SIMD8<Float>(repeating: Float(vs))
            var offset = laneRamp
            while k + 8 <= end {
                let vv = hxk_fma(offset, dv, v0)
                hxk_store(acc + k, hxk_load(acc + k) + interpolateColumnPair(colA, colB, wa, wb, vv))
                offset += 8
                k += 8
            }
            while k < end {
                let vv = vb + vs * Double(k)
                let fl = vv.rounded(.down)
                let r = Int(fl), f = vv - fl
                let sa = Double(colA[r]) + f * Double(colA[r + 1] - colA[r])
                let sb = Double(colB[r]) + f * Double(colB[r + 1] - colB[r])
                acc[k] += Float(weight * ((1 - fu) * sa + fu * sb))
                k += 1
            }
        }
    }
}
