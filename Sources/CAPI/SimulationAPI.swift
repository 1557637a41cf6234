import CHepatix
import Hepatix

@c @implementation
public func hx_simulate_low_dose(_ ctx: OpaquePointer?, _ clean: UnsafePointer<Float>?, _ count: Int, _ i0: Double,
                                 _ sigma: Double, _ dose: Double, _ seed: UInt64, _ out: UnsafeMutablePointer<Float>?,
                                 _ outCount: Int) -> hx_status {
    withContext(ctx) { context in
        let input = try required(clean, "clean"), output = try required(out, "out")
        guard outCount == count else {
            throw BoundaryError(HX_ERR_SIZE_MISMATCH, "out holds \(outCount) floats, clean holds \(count)")
        }
        guard count > 0 else { return }
        let simulator: LowDoseSimulator
        let noisy: [Float]
        do {
            simulator = try LowDoseSimulator(incidentPhotons: i0, electronicNoise: sigma)
            noisy = try simulator.simulate(Array(UnsafeBufferPointer(start: input, count: count)), dose: dose, seed: seed,
                                           threads: Int(context.threads))
        } catch let e as LowDoseSimulator.Invalid {
            throw BoundaryError(e.description.contains("NaN") ? HX_ERR_NON_FINITE_DATA : HX_ERR_INVALID_ARGUMENT, e.description)
        }
        _ = UnsafeMutableBufferPointer(start: output, count: count).initialize(from: noisy)
    }
}
