import HepatixKernels
import Synchronization

/// Loads a `SliceStack` into a `PatientVolume` of rescaled values (HU for CT): slices are decoded in
/// parallel straight into the volume; an unevenly spaced or gapped stack is resampled linearly along
/// the slice direction onto its median spacing (the caller sees why in `SliceStack.issues`).
public enum DicomSeriesLoader {
    /// Loads `stack` with `threads` workers (0: one per core).
    /// - Throws: `DicomError` naming the first slice that cannot be decoded.
    public static func load(_ stack: SliceStack, threads: Int = 0) throws -> PatientVolume {
        let first = stack.slices[0]
        let nx = first.columns, ny = first.rows, plane = nx * ny, count = stack.slices.count
        var raw = [Float](repeating: 0, count: plane * count)
        let failure = Mutex<(Int, String)?>(nil)
        let slices = stack.slices
        let pool = WorkerPool(threads: threads)
        let scratch = (0..<pool.threads).map { _ in ScratchBuffer<Int32>(count: plane) }
        raw.withUnsafeMutableBufferPointer { volume in
            let out = SendableMutablePointer(volume.baseAddress!)
            pool.forEach(items: count) { worker, k in
                do {
                    try decodeSlice(slices[k], into: out.pointer + k * plane, plane: plane, scratch: scratch[worker])
                } catch {
                    failure.withLock { if $0 == nil || $0!.0 > k { $0 = (k, "\(error)") } }
                }
            }
        }
        if let (_, message) = failure.withLock({ $0 }) { throw DicomError(message) }
        let travel = count > 1 ? slices[count - 1].position! - slices[0].position! : stack.normal
        let along = dot(travel, stack.normal)
        let axisK = count > 1 ? travel / (travel * travel).sum().squareRoot() : stack.normal
        // Step length along axisK for one nominal step along the normal (longer when tilted).
        let zStep = count > 1 ? stack.nominalSpacing * (travel * travel).sum().squareRoot() / abs(along)
                              : (first.sliceThickness.flatMap { $0 > 0 ? $0 : nil } ?? 1)
        var voxels = raw, nz = count
        if !stack.isUniform {
            (voxels, nz) = resample(raw, plane: plane, positions: stack.positions, spacing: stack.nominalSpacing)
        }
        return try PatientVolume(nx: nx, ny: ny, nz: nz, spacing: SIMD3(stack.pixelSpacing.x, stack.pixelSpacing.y, zStep),
                                 origin: first.position!, axisI: stack.rowDirection, axisJ: stack.columnDirection,
                                 axisK: axisK, voxels: voxels)
    }

    /// Decodes one single-frame slice and rescales it into `out`.
    static func decodeSlice(_ instance: DicomInstance, into out: UnsafeMutablePointer<Float>, plane: Int,
                            scratch: ScratchBuffer<Int32>) throws {
        let file = try DicomFile(path: instance.path)
        let layout = try file.pixelLayout()
        guard layout.rows * layout.columns == plane, layout.samplesPerPixel == 1 else {
            throw DicomError("\(instance.path): pixel data is \(layout.columns)x\(layout.rows)x\(layout.samplesPerPixel), not a \(instance.columns)x\(instance.rows) grey image")
        }
        try file.decodeFrame(0, into: UnsafeMutableBufferPointer(start: scratch.pointer, count: plane))
        let slope = Float(instance.rescaleSlope), intercept = Float(instance.rescaleIntercept)
        let stored = scratch.pointer
        for i in 0..<plane { out[i] = Float(stored[i]) * slope + intercept }
    }

    /// Linear resampling of slices at `positions` onto a regular grid from the first position in steps of `spacing`.
    static func resample(_ raw: [Float], plane: Int, positions: [Double], spacing: Double) -> ([Float], Int) {
        let span = positions.last! - positions.first!
        let nz = Int((span / spacing).rounded()) + 1
        var out = [Float](repeating: 0, count: plane * nz)
        var upper = 1
        for k in 0..<nz {
            let p = positions[0] + Double(k) * spacing
            while upper < positions.count - 1, positions[upper] < p { upper += 1 }
            let lower = upper - 1
            let t = Float(min(1, max(0, (p - positions[lower]) / (positions[upper] - positions[lower]))))
            for i in 0..<plane {
                out[k * plane + i] = raw[lower * plane + i] * (1 - t) + raw[upper * plane + i] * t
            }
        }
        return (out, nz)
    }
}
