import Foundation
import Testing
import Hepatix

/// The noise model against its statistics: for counts λ = I0·dose·e^(−p), the noisy line integral has
/// mean ≈ p and variance ≈ 1/λ (delta method; the Poisson part dominates for λ ≫ σ_e²).
struct LowDoseSimulatorTests {
    static func stats(_ v: [Float]) -> (mean: Double, variance: Double) {
        let m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
        return (m, v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(v.count - 1))
    }

    /// 200 000 rays: the sample variance has relative standard error sqrt(2/n) ≈ 0.3 %, so 3 % bounds
    /// cover it plus the delta method's O(1/λ) error; the mean bound is 5 standard errors.
    @Test(arguments: [(1.0, 2.0), (0.25, 2.0), (0.33, 5.0)])
    func varianceFollowsDose(dose: Double, p: Float) throws {
        let sim = try LowDoseSimulator(incidentPhotons: 1e5)
        let noisy = try sim.simulate([Float](repeating: p, count: 200_000), dose: dose, seed: 7)
        let s = Self.stats(noisy)
        let lambda = 1e5 * dose * exp(-Double(p))
        #expect(abs(s.variance * lambda - 1) < 0.03, "variance x lambda = \(s.variance * lambda)")
        #expect(abs(s.mean - Double(p)) < 5 * (1 / lambda / 200_000).squareRoot() + 1 / lambda)
    }

    @Test func reproducibleWhateverTheThreadCount() throws {
        let sim = try LowDoseSimulator(incidentPhotons: 1e4, electronicNoise: 5)
        let clean = (0..<50_000).map { Float($0 % 100) * 0.05 }
        let a = try sim.simulate(clean, dose: 0.5, seed: 42, threads: 1)
        let b = try sim.simulate(clean, dose: 0.5, seed: 42, threads: 2)
        let c = try sim.simulate(clean, dose: 0.5, seed: 43, threads: 2)
        #expect(a == b)
        #expect(a != c)
        #expect(a.allSatisfy { $0.isFinite })   // photon-starved rays (p = 4.95, λ ≈ 35) stay finite
    }

    @Test func badSettingsAreRefused() throws {
        #expect(throws: LowDoseSimulator.Invalid.self) { try LowDoseSimulator(incidentPhotons: 0) }
        let sim = try LowDoseSimulator(incidentPhotons: 1e5)
        #expect(throws: LowDoseSimulator.Invalid.self) { try sim.simulate([1], dose: 1.5, seed: 1) }
        #expect(throws: LowDoseSimulator.Invalid.self) { try sim.simulate([.nan], dose: 0.5, seed: 1) }
    }
}
