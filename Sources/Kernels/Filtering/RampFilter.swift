import CFFTW
import Foundation

/// The FFT ramp filter for filtered backprojection, with an apodisation window.
///
/// The frequency response is the DFT of the band-limited discrete ramp (Kak & Slaney, eq. 3.61):
/// `h[0] = 1/4`, `h[n] = -1/(π n)²` for odd `n`, 0 for even `n` (unit sample spacing), times the window.
/// Rows are zero-padded to `paddedLength` ≥ 2 × columns (a size FFTW handles well), which makes the
/// circular convolution equal to the linear one over the detector.
public final class RampFilter: @unchecked Sendable {
    /// Detector samples per row.
    public let columns: Int
    /// FFT length after zero padding.
    public let paddedLength: Int
    /// Rows transformed per FFTW call.
    public let batch = 8
    /// The response per frequency bin, including FFTW's 1/N normalisation.
    public let response: [Float]
    let fft: BatchedRealFFT

    /// Plans a filter for rows of `columns` samples.
    /// - Parameters:
    ///   - window: apodisation (`.ramLak` for the pure ramp).
    ///   - cutoff: fraction of the Nyquist frequency where the window reaches zero, in (0, 1].
    /// - Throws: `GeometryError.invalidParameter` for a bad cut-off or size.
    public init(columns: Int, window: FilterWindow, cutoff: Double = 1) throws {
        try require(columns >= 2 && columns <= 1 << 20, "filter length must be 2 to 1048576 samples, got \(columns)")
        try require(cutoff.isFinite && cutoff > 0 && cutoff <= 1, "filter cut-off must be in (0, 1], got \(cutoff)")
        self.columns = columns
        let n = Self.fftFriendlyLength(atLeast: 2 * columns)
        paddedLength = n
        fft = try BatchedRealFFT(length: n, batch: batch)
        response = Self.response(length: n, window: window, cutoff: cutoff)
    }

    /// The smallest 2^a 3^b 5^c ≥ `minimum`.
    static func fftFriendlyLength(atLeast minimum: Int) -> Int {
        var best = 1
        while best < minimum { best *= 2 }
        var p3 = 1
        while p3 < best {
            var p35 = p3
            while p35 < best {
                var v = p35
                while v < minimum { v *= 2 }
                best = min(best, v)
                p35 *= 5
            }
            p3 *= 3
        }
        return best
    }

    /// DFT of the spatial discrete ramp times the window, divided by `length`.
    static func response(length n: Int, window: FilterWindow, cutoff: Double) -> [Float] {
        // The spatial kernel is real and even, so its DFT is real: H[k] = sum_n h[n] cos(2 pi k n / N).
        // FFTW computes it exactly as the forward transform would (in double, once per plan).
        let bins = n / 2 + 1
        let real = fftw_alloc_real(n)!, spectrum = fftw_alloc_complex(bins)!
        defer { fftw_free(real); fftw_free(spectrum) }
        for m in 0..<n {
            let k = min(m, n - m)
            real[m] = k == 0 ? 0.25 : (k % 2 == 1 ? -1 / (Double.pi * Double(k) * Double.pi * Double(k)) : 0)
        }
        let plan = fftwPlannerLock.withLock { fftw_plan_dft_r2c_1d(Int32(n), real, spectrum, UInt32(FFTW_ESTIMATE)) }
        fftw_execute(plan)
        fftwPlannerLock.withLock { fftw_destroy_plan(plan) }
        return (0..<bins).map { k in
            let nu = Double(k) / Double(n / 2) / cutoff
            return Float(spectrum[k].0 * window.gain(nu) / Double(n))
        }
    }

    /// Per-thread buffers for `filterBatch`.
    func makeWorkspace() -> FFTWorkspace { FFTWorkspace(length: paddedLength, batch: batch) }

    /// Filters the `batch` rows held in `workspace.real` (row r at `r * paddedLength`, samples
    /// `0..<columns` set, the rest zero) in place.
    func filterBatch(_ workspace: FFTWorkspace) {
        fftwf_execute_dft_r2c(fft.forward, workspace.real, workspace.spectrum)
        let bins = paddedLength / 2 + 1
        response.withUnsafeBufferPointer { h in
            workspace.spectrum.withMemoryRebound(to: Float.self, capacity: 2 * bins * batch) { s in
                for r in 0..<batch {
                    let row = s + 2 * bins * r
                    for k in 0..<bins {
                        row[2 * k] *= h[k]
                        row[2 * k + 1] *= h[k]
                    }
                }
            }
        }
        fftwf_execute_dft_c2r(fft.inverse, workspace.spectrum, workspace.real)
    }
}
