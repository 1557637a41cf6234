import Foundation

extension PatientVolume {
    /// This volume seen on `reference`'s grid through `map` (patient mm about `reference`'s centre):
    /// voxel p of the result takes this volume's trilinear value at `centre + map(p − centre)`, and
    /// `outside` where that point falls beyond this volume.
    public func resampled(onto reference: PatientVolume, map: AffineResampling.Map = .identity,
                          outside: Float = -1000, threads: Int = 0) throws -> PatientVolume {
        let columns = (axisI * spacing.x, axisJ * spacing.y, axisK * spacing.z)
        let toWorld = AffineResampling.Map(rows: (SIMD3(columns.0.x, columns.1.x, columns.2.x),
                                                  SIMD3(columns.0.y, columns.1.y, columns.2.y),
                                                  SIMD3(columns.0.z, columns.1.z, columns.2.z)), translation: origin)
        guard let toIndex = toWorld.inverse else { throw LiverAnalysisError("the volume's axes are degenerate") }
        let centre = reference.centre
        var out = [Float](repeating: outside, count: reference.voxels.count)
        let (nx, ny, nz) = (self.nx, self.ny, self.nz)
        voxels.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { target in
            let input = SendablePointer(source.baseAddress!), output = SendableMutablePointer(target.baseAddress!)
            let sampler = TrilinearSampler(nx: nx, ny: ny, nz: nz)
            WorkerPool(threads: threads).forEach(items: reference.nz) { _, k in
                for j in 0..<reference.ny { for i in 0..<reference.nx {
                    let p = reference.position(i: Double(i), j: Double(j), k: Double(k))
                    let u = toIndex.apply(centre + map.apply(p - centre))
                    guard u.x > -0.5, u.y > -0.5, u.z > -0.5, u.x < Double(nx) - 0.5, u.y < Double(ny) - 0.5, u.z < Double(nz) - 0.5 else { continue }
                    // Each worker writes only slice k.
                    output.pointer[(k * reference.ny + j) * reference.nx + i] = sampler.sample(input.pointer, at: u)
                } }
            }
        } }
        return try PatientVolume(nx: reference.nx, ny: reference.ny, nz: reference.nz, spacing: reference.spacing, origin: reference.origin,
                                 axisI: reference.axisI, axisJ: reference.axisJ, axisK: reference.axisK, voxels: out)
    }

    /// The patient position of the grid's centre.
    public var centre: SIMD3<Double> { position(i: Double(nx - 1) / 2, j: Double(ny - 1) / 2, k: Double(nz - 1) / 2) }

    /// Block means over `factors` voxels: the same patient space on a coarser grid.
    public func blockAveraged(_ factors: SIMD3<Int>) throws -> PatientVolume {
        let blocks = try BlockResampler(fine: try voxelGrid(), factors: factors)
        let shift = (SIMD3<Double>(factors) - 1) / 2
        return try PatientVolume(nx: blocks.coarse.nx, ny: blocks.coarse.ny, nz: blocks.coarse.nz, spacing: blocks.coarse.spacing,
                                 origin: position(i: shift.x, j: shift.y, k: shift.z),
                                 axisI: axisI, axisJ: axisJ, axisK: axisK, voxels: blocks.average(voxels))
    }
}
