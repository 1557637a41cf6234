import Foundation
import HepatixKernels

/// Simulates a lower-dose acquisition from clean line integrals: detected counts
/// `N ~ Poisson(I0 · dose · e^(−p)) + Normal(0, σ_e)`, then `p' = −ln(max(N, 1/2) / (I0 · dose))`.
/// The clamp at half a photon keeps the log finite for photon-starved rays (it biases only those).
/// Reproducible from `seed`, independent of the thread count.
public struct LowDoseSimulator: Sendable {
    /// Incident photons per ray at full dose.
    public var incidentPhotons: Double
    /// Standard deviation of the electronic noise, in photons.
    public var electronicNoise: Double

    /// Errors refusing a simulation set-up.
    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// A simulator for `incidentPhotons` per ray (e.g. 1e5) and electronic noise σ (photons, e.g. 10).
    public init(incidentPhotons: Double, electronicNoise: Double = 0) throws {
        guard incidentPhotons.isFinite, incidentPhotons > 0, electronicNoise.isFinite, electronicNoise >= 0 else {
            throw Invalid(description: "need incident photons > 0 and electronic noise >= 0, got \(incidentPhotons), \(electronicNoise)")
        }
        self.incidentPhotons = incidentPhotons
        self.electronicNoise = electronicNoise
    }

    /// Noisy line integrals at `dose` (fraction of full dose in (0, 1], e.g. 0.25) for `clean`.
    /// - Throws: `Invalid` for a dose outside (0, 1] or non-finite input.
    public func simulate(_ clean: [Float], dose: Double, seed: UInt64, threads: Int = 0) throws -> [Float] {
        guard dose.isFinite, dose > 0, dose <= 1 else { throw Invalid(description: "dose must be in (0, 1], got \(dose)") }
        guard clean.allSatisfy(\.isFinite) else { throw Invalid(description: "clean projections contain NaN or infinity") }
        let i0 = incidentPhotons * dose, sigma = electronicNoise
        var out = [Float](repeating: 0, count: clean.count)
        let chunk = 4096
        clean.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { buffer in
                let src = SendablePointer(input.baseAddress!)
                let dst = SendableMutablePointer(buffer.baseAddress!)   // chunks are disjoint
                WorkerPool(threads: threads).forEach(items: (clean.count + chunk - 1) / chunk) { _, c in
                    for n in (c * chunk)..<min((c + 1) * chunk, clean.count) {
                        var rng = CounterRandom(seed: seed, counter: UInt64(n))
                        var counts = rng.poisson(i0 * exp(-Double(src.pointer[n])))
                        if sigma > 0 { counts += sigma * rng.normal() }
                        dst.pointer[n] = Float(-log(max(counts, 0.5) / i0))
                    }
                }
            }
        }
        return out
    }
}
