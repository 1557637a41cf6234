import Testing
@testable import HepatixKernels

/// The index-space affine sampler against the definition: trilinear interpolation reproduces a linear
/// field exactly between voxel centres, points beyond the outer faces are outside, and the correlation
/// sums are those of the sampled values, whatever the thread count.
struct IndexAffineSamplerTests {
    /// A 11 × 9 × 7 source holding f(x, y, z) = 3x − 2y + 5z + 1 at its voxel centres.
    static let source = SIMD3(11, 9, 7)
    static let field: [Float] = (0..<(11 * 9 * 7)).map { n in
        let (x, y, z) = (n % 11, (n / 11) % 9, n / 99)
        return Float(3 * x - 2 * y + 5 * z + 1)
    }

    /// A rotated, scaled, shifted map of a 13 × 10 × 6 target into the source (some points fall outside).
    static let sampler = IndexAffineSampler(source: source, target: SIMD3(13, 10, 6), offset: SIMD3(-1.3, 0.4, -0.2),
                                            columnI: SIMD3(0.83, 0.21, 0.05), columnJ: SIMD3(-0.18, 0.91, 0.02),
                                            columnK: SIMD3(0.03, -0.04, 1.17))

    static func sourceIndex(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        sampler.offset + Double(i) * sampler.columnI + Double(j) * sampler.columnJ + Double(k) * sampler.columnK
    }

    /// Inside the voxel centres' hull the value is the field at the point (float rounding of values up to
    /// ~60: 1e-4 is a few ulps); between the centres and the faces it is the field at the clamped point;
    /// beyond the faces it is the outside value.
    @Test(arguments: [1, 3])
    func reproducesLinearFieldAndMarksOutside(threads: Int) {
        let target = Self.sampler.target
        var out = [Float](repeating: 0, count: target.x * target.y * target.z)
        Self.field.withUnsafeBufferPointer { f in out.withUnsafeMutableBufferPointer { o in
            Self.sampler.resample(f.baseAddress!, into: o.baseAddress!, outside: -999, threads: threads)
        } }
        var inside = 0, outside = 0
        for k in 0..<target.z { for j in 0..<target.y { for i in 0..<target.x {
            let u = Self.sourceIndex(i, j, k), value = out[(k * target.y + j) * target.x + i]
            let upper = SIMD3<Double>(Self.source &- 1)
            if any(u .<= -0.5) || any(u .>= upper + 0.5) {
                #expect(value == -999, "voxel \(i) \(j) \(k)")
                outside += 1
            } else {
                let c = u.clamped(lowerBound: .zero, upperBound: upper)
                #expect(abs(Double(value) - (3 * c.x - 2 * c.y + 5 * c.z + 1)) <= 1e-4, "voxel \(i) \(j) \(k)")
                inside += 1
            }
        } } }
        #expect(inside > 100 && outside > 100)
    }

    /// The correlation sums equal sums over the resampled values (clamped), and do not depend on threads.
    @Test func correlationSumsMatchTheResampledValues() {
        let target = Self.sampler.target, count = target.x * target.y * target.z
        let reference: [Float] = (0..<count).map { Float(($0 * 37) % 23) - 11 }
        var out = [Float](repeating: 0, count: count)
        Self.field.withUnsafeBufferPointer { f in out.withUnsafeMutableBufferPointer { o in
            Self.sampler.resample(f.baseAddress!, into: o.baseAddress!, outside: .nan, threads: 1)
        } }
        var expected = CorrelationSums()
        for (a, b) in zip(reference, out) where !b.isNaN { expected.add(Double(a), Double(min(max(b, 0), 40))) }
        let sums = [1, 2, 4].map { threads in
            Self.field.withUnsafeBufferPointer { f in reference.withUnsafeBufferPointer { r in
                Self.sampler.correlationSums(f.baseAddress!, reference: r.baseAddress!, low: 0, high: 40, threads: threads)
            } }
        }
        #expect(sums[0] == sums[1] && sums[1] == sums[2])
        #expect(sums[0].n == expected.n)
        // Sums of up to ~800 terms of size ~1e3 in two summation orders: 1e-9 relative is far above double rounding.
        for (got, want) in [(sums[0].a, expected.a), (sums[0].b, expected.b), (sums[0].aa, expected.aa),
                            (sums[0].bb, expected.bb), (sums[0].ab, expected.ab)] {
            #expect(abs(got - want) <= 1e-9 * max(1, abs(want)))
        }
        #expect(abs(sums[0].correlation - expected.correlation) <= 1e-9)
    }
}
