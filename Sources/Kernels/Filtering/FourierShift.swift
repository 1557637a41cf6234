import CFFTW
import Foundation

/// Shifts rows by any fraction of a sample with an exact Fourier phase ramp (band-limited
/// interpolation), the way tomography centres a sinogram before FBP: `out[x] = row(x - shift)`.
/// Linear or spline interpolation would low-pass the data at half-sample shifts and bias anything
/// that compares shifted copies (such as an entropy-based centre search); a phase ramp keeps every
/// frequency's amplitude. The row is padded with `padding` edge-replicated samples on each side so the
/// circular transform does not wrap one edge onto the other. One shifter serves one thread at a time.
public final class FourierShifter: @unchecked Sendable {
    /// Samples per row and edge-replicated padding on each side.
    public let length: Int, padding: Int
    private let fft: BatchedRealFFT
    private let work: FFTWorkspace
    private let lock = NSLock()

    /// Plans the shift of rows of `length` samples.
    /// - Throws: `GeometryError` for non-positive sizes or when FFTW cannot plan.
    public init(length: Int, padding: Int) throws {
        try require(length >= 2 && padding >= 0 && length + 2 * padding <= 1 << 24, "a shift needs at least 2 samples and padding >= 0")
        self.length = length
        self.padding = padding
        fft = try BatchedRealFFT(length: length + 2 * padding, batch: 1)
        work = FFTWorkspace(length: length + 2 * padding, batch: 1)
    }

    /// Writes `row` (`length` samples) shifted by `shift` samples towards higher indices into `out`.
    public func shift(_ row: UnsafePointer<Float>, by shift: Double, into out: UnsafeMutablePointer<Float>) {
        lock.withLock {
            let n = length + 2 * padding, bins = n / 2 + 1
            let real = work.real
            for x in 0..<n { real[x] = row[min(max(x - padding, 0), length - 1)] }
            fftwf_execute_dft_r2c(fft.forward, real, work.spectrum)
            work.spectrum.withMemoryRebound(to: Float.self, capacity: 2 * bins) { s in
                for k in 0..<bins {
                    let phase = -2 * Double.pi * Double(k) * shift / Double(n)
                    let (re, im) = (Double(s[2 * k]), Double(s[2 * k + 1]))
                    if 2 * k == n {
                        // Nyquist of an even length: keep it real (the real part of the rotated value).
                        s[2 * k] = Float(re * cos(phase) - im * sin(phase))
                        s[2 * k + 1] = 0
                    } else {
                        s[2 * k] = Float((re * cos(phase) - im * sin(phase)) / Double(n))
                        s[2 * k + 1] = Float((re * sin(phase) + im * cos(phase)) / Double(n))
                    }
                }
                if n % 2 == 0 { s[n] /= Float(n) }
            }
            fftwf_execute_dft_c2r(fft.inverse, work.spectrum, real)
            for x in 0..<length { out[x] = real[x + padding] }
        }
    }
}
