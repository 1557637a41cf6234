import Foundation
import Testing
@testable import HepatixKernels

/// The ramp filter against its closed form.
struct RampFilterTests {
    /// The untruncated discrete ramp's DFT is 0 at DC and 1/2 at Nyquist (Kak & Slaney 3.61 summed
    /// in closed form: 1/4 ∓ (2/π²) Σ_odd 1/n² = 1/4 ∓ 1/4). Truncating the kernel to N taps leaves
    /// exactly the tail (2/π²) Σ_{odd n > N/2} 1/n² at both ends, which the test computes; in between
    /// the response follows |f| within the band-limit error (< 0.01 away from the ends for N = 512).
    @Test func responseIsARamp() throws {
        let f = try RampFilter(columns: 256, window: .ramLak)
        let n = f.paddedLength
        let h = f.response.map { Double($0) * Double(n) }
        let tail = stride(from: n / 2 + 1, to: 1 << 22, by: 2).reduce(0.0) { $0 + 2 / (Double.pi * Double.pi * Double($1 * $1)) }
        #expect(abs(h[0] - tail) < 1e-6)          // float response, double sums
        #expect(abs(h[n / 2] - (0.5 - tail)) < 1e-6)
        for k in stride(from: 8, to: n / 2 - 8, by: 17) {
            #expect(abs(h[k] - Double(k) / Double(n)) < 0.01)
        }
    }

    @Test func hannWindowVanishesAtCutoff() throws {
        let f = try RampFilter(columns: 100, window: .hann, cutoff: 0.5)
        let n = f.paddedLength
        #expect(f.response[n / 4 + 1] == 0)   // beyond cut-off
        #expect(f.response[n / 8] > 0)
    }

    @Test func paddingIsFFTFriendly() {
        #expect(RampFilter.fftFriendlyLength(atLeast: 1457) == 1458)   // 2 · 3^6
        #expect(RampFilter.fftFriendlyLength(atLeast: 1024) == 1024)
        #expect(RampFilter.fftFriendlyLength(atLeast: 1025) == 1080)
    }

    @Test func refusesBadCutoff() {
        #expect(throws: GeometryError.self) { try RampFilter(columns: 10, window: .hann, cutoff: 0) }
        #expect(throws: GeometryError.self) { try RampFilter(columns: 10, window: .hann, cutoff: .nan) }
    }

    /// Filtering a row through the FFT equals direct convolution with the spatial kernel.
    @Test func fftFilterEqualsDirectConvolution() throws {
        let cols = 37
        let f = try RampFilter(columns: cols, window: .ramLak)
        let ws = FilterWorkspace(filter: f)
        ws.clear()
        var rng = SystemRandomNumberGenerator()
        let x = (0..<cols).map { _ in Double.random(in: -1...1, using: &rng) }
        for c in 0..<cols { ws.row(0)[c] = Float(x[c]) }
        f.filter(ws)
        for m in 0..<cols {
            var direct = 0.0
            for n in 0..<cols {
                let d = abs(m - n)
                direct += x[n] * (d == 0 ? 0.25 : (d % 2 == 1 ? -1 / (Double.pi * Double.pi * Double(d * d)) : 0))
            }
            #expect(abs(Double(ws.row(0)[m]) - direct) < 1e-5)   // float FFT rounding on O(1) values
        }
    }
}
