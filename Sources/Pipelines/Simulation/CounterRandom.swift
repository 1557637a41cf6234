import Foundation

/// A counter-based random stream: the numbers for ray `n` under seed `s` depend only on (s, n), so a
/// simulation gives the same bits whatever the thread count or the order rays are visited in.
/// The generator is SplitMix64 (Steele, Lea & Flood 2014), seeded by mixing the seed with the counter.
struct CounterRandom {
    private var state: UInt64

    /// The stream for item `counter` of a simulation seeded with `seed`.
    init(seed: UInt64, counter: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15 ^ (counter &+ 0x632B_E59B_D9B4_E019) &* 0xBF58_476D_1CE4_E5B9
        _ = next()
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<n` (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// `values` in a random order (Fisher-Yates).
    mutating func shuffled<T>(_ values: [T]) -> [T] {
        var v = values
        for i in stride(from: v.count - 1, to: 0, by: -1) { v.swapAt(i, below(i + 1)) }
        return v
    }

    /// Uniform in (0, 1) (never exactly 0 or 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let (u, v) = (uniform(), uniform())
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Poisson(`mean`) exactly: Knuth's product method below 30, Hörmann's transformed rejection
    /// (PTRS, 1993) above.
    mutating func poisson(_ mean: Double) -> Double {
        if mean <= 0 { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var k = 0.0, p = uniform()
            while p > limit { k += 1; p *= uniform() }
            return k
        }
        let slam = mean.squareRoot(), loglam = log(mean)
        let b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b
        let invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2)
        while true {
            let u = uniform() - 0.5, v = uniform()
            let us = 0.5 - abs(u)
            let k = ((2 * a / us + b) * u + mean + 0.43).rounded(.down)
            if us >= 0.07 && v <= vr { return k }
            if k < 0 || (us < 0.013 && v > us) { continue }
            if log(v) + log(invalpha) - log(a / (us * us) + b) <= -mean + k * loglam - lgamma(k + 1) { return k }
        }
    }
}
