import Foundation

extension PatientVolume {
    /// This volume seen on `reference`'s grid through `map` (patient mm about `centre`, by default `reference`'s):
    /// voxel p of the result takes this volume's trilinear value at `centre + map(p − centre)`, and
    /// `outside` where that point falls beyond this volume.
    public func resampled(onto reference: PatientVolume, map: AffineResampling.Map = .identity, about centre: SIMD3<Double>? = nil,
                          outside: Float = -1000, threads: Int = 0) throws -> PatientVolume {
        let sampler = try sampler(onto: reference, map: map, about: centre)
        var out = [Float](repeating: outside, count: reference.voxels.count)
        voxels.withUnsafeBufferPointer { source in out.withUnsafeMutableBufferPointer { target in
            sampler.resample(source.baseAddress!, into: target.baseAddress!, outside: outside, threads: threads)
        } }
        return try PatientVolume(nx: reference.nx, ny: reference.ny, nz: reference.nz, spacing: reference.spacing, origin: reference.origin,
                                 axisI: reference.axisI, axisJ: reference.axisJ, axisK: reference.axisK, voxels: out)
    }

    /// The index-space sampler behind `resampled(onto:map:)`: reference voxel (i, j, k) at patient point p reads
    /// this volume at the index of `centre + map(p − centre)` (`centre`: the reference's, unless given);
    /// composing the three maps once makes it one affine map.
    public func sampler(onto reference: PatientVolume, map: AffineResampling.Map,
                        about given: SIMD3<Double>? = nil) throws -> IndexAffineSampler {
        let columns = (axisI * spacing.x, axisJ * spacing.y, axisK * spacing.z)
        let toWorld = AffineResampling.Map(rows: (SIMD3(columns.0.x, columns.1.x, columns.2.x),
                                                  SIMD3(columns.0.y, columns.1.y, columns.2.y),
                                                  SIMD3(columns.0.z, columns.1.z, columns.2.z)), translation: origin)
        guard let toIndex = toWorld.inverse else { throw LiverAnalysisError("the volume's axes are degenerate") }
        let centre = given ?? reference.centre
        let linear = { (v: SIMD3<Double>) in toIndex.apply(map.apply(v) - map.translation) - toIndex.translation }
        return IndexAffineSampler(source: SIMD3(nx, ny, nz), target: SIMD3(reference.nx, reference.ny, reference.nz),
                                  offset: toIndex.apply(centre + map.apply(reference.origin - centre)),
                                  columnI: linear(reference.axisI * reference.spacing.x),
                                  columnJ: linear(reference.axisJ * reference.spacing.y),
                                  columnK: linear(reference.axisK * reference.spacing.z))
    }

    /// The patient position of the grid's centre.
    public var centre: SIMD3<Double> { position(i: Double(nx - 1) / 2, j: Double(ny - 1) / 2, k: Double(nz - 1) / 2) }

    /// The part of this volume inside `box` (a box of this volume's grid), in the same patient space.
    public func cropped(to box: VoxelBox) throws -> PatientVolume {
        try PatientVolume(nx: box.size.x, ny: box.size.y, nz: box.size.z, spacing: spacing,
                          origin: position(i: Double(box.origin.x), j: Double(box.origin.y), k: Double(box.origin.z)),
                          axisI: axisI, axisJ: axisJ, axisK: axisK, voxels: box.extract(voxels))
    }

    /// Block means over `factors` voxels: the same patient space on a coarser grid.
    public func blockAveraged(_ factors: SIMD3<Int>) throws -> PatientVolume {
        let blocks = try BlockResampler(fine: try voxelGrid(), factors: factors)
        let shift = (SIMD3<Double>(factors) - 1) / 2
        return try PatientVolume(nx: blocks.coarse.nx, ny: blocks.coarse.ny, nz: blocks.coarse.nz, spacing: blocks.coarse.spacing,
                                 origin: position(i: shift.x, j: shift.y, k: shift.z),
                                 axisI: axisI, axisJ: axisJ, axisK: axisK, voxels: blocks.average(voxels))
    }
}
