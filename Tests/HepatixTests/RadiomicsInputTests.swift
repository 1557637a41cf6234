import Testing
@testable import Hepatix

/// Bad radiomics input is refused with a message; a one-voxel ROI gives IBSI's NaN where a feature is
/// undefined, never a crash; repeated runs give the same bits.
struct RadiomicsInputTests {
    static func cube(_ n: Int, mask: (Int) -> Bool = { _ in true }, value: (Int) -> Double = { Double($0 % 5 + 1) }) throws -> RadiomicsImage {
        try RadiomicsImage(nx: n, ny: n, nz: n, spacing: SIMD3(1, 1, 2), values: (0..<(n * n * n)).map(value),
                           mask: (0..<(n * n * n)).map(mask))
    }

    @Test func badInputIsRefused() {
        #expect(throws: RadiomicsError.self) { try RadiomicsImage(nx: 2, ny: 2, nz: 2, spacing: SIMD3(1, 1, 1), values: [1, 2], mask: [true]) }
        #expect(throws: RadiomicsError.self) { try Self.cube(3, mask: { _ in false }) }
        #expect(throws: RadiomicsError.self) { try Self.cube(3, value: { $0 == 13 ? .nan : 1 }) }
        #expect(throws: RadiomicsError.self) {
            try RadiomicsImage(nx: 2, ny: 2, nz: 1, spacing: SIMD3(1, 0, 1), values: [1, 1, 1, 1], mask: [true, true, true, true])
        }
        #expect(throws: RadiomicsError.self) {   // non-integer levels without discretisation
            try RadiomicsExtractor(discretisation: .none).features(try Self.cube(3, value: { Double($0) + 0.5 }))
        }
        #expect(throws: RadiomicsError.self) { try RadiomicsExtractor(discretisation: .fixedBinNumber(0)).features(try Self.cube(3)) }
    }

    @Test func oneVoxelROIGivesNaNNotACrash() throws {
        let image = try Self.cube(4, mask: { $0 == 21 })
        let features = try RadiomicsExtractor(discretisation: .fixedBinNumber(8)).features(image)
        #expect(features.count == 482)   // every row of the digital phantom's table shape
        #expect(features.first { $0.tag == "stat.mean" }!.value == image.values[21])
        #expect(features.first { $0.tag == "cm.joint.max" && $0.aggregation == "3D, merged" }!.value.isNaN)
    }

    /// Same bits for 1, 2 and 8 threads and across runs (every family is computed whole by one worker).
    @Test func sameBitsWhateverTheThreadCount() throws {
        let image = try Self.cube(9, mask: { $0 % 7 != 0 }, value: { Double(($0 * 37) % 23) })
        var settings = RadiomicsSettings(discretisation: .fixedBinNumber(6))
        var runs: [[UInt64]] = []
        for threads in [1, 2, 8, 8] {
            settings.threads = threads
            runs.append(try RadiomicsExtractor(settings: settings).features(image).map(\.value.bitPattern))
        }
        #expect(runs.allSatisfy { $0 == runs[0] } && runs[0].count == 482)
    }

    /// The O(N log N) Moran's I / Geary's C equal the O(N²) pair sums (any indexing or padding error
    /// shows at 1e-2 or worse).
    @Test func autocorrelationByFFTMatchesPairSums() throws {
        let image = try Self.cube(7, mask: { ($0 * 31) % 5 != 0 }, value: { Double(($0 * 17) % 11) - 3 })
        let roi = image.values.indices.filter { image.mask[$0] }
        let positions = roi.map { i in SIMD3<Double>(Double(i % 7), Double((i / 7) % 7), Double(i / 49)) * image.spacing }
        let x = roi.map { image.values[$0] }, mean = x.reduce(0, +) / Double(x.count)
        let direct = MorphologyFeatures.autocorrelation(positions, x, mean)
        let fft = try MorphologyFeatures.autocorrelationByFFT(image, mean: mean)
        // The transforms run in single precision (InverseDistancePairSums): float rounding (6e-8) times
        // log2 of the padded size (~4) times the ratio of spectral energy to the sum (< 10 here) bounds the
        // relative error by ~2e-6; the double-precision version met 1e-9.
        #expect(abs(fft.0 - direct.0) <= 2e-6 * abs(direct.0) && abs(fft.1 - direct.1) <= 2e-6 * abs(direct.1), "\(fft) vs \(direct)")
    }
}
