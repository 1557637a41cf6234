import CFFTW
import Foundation

/// FFTW's planner is not thread-safe and its state is shared with the host process, so every plan
/// creation and destruction in Hepatix goes through this one lock. Hepatix never calls
/// `fftwf_cleanup` or `fftwf_forget_wisdom` (the host may use FFTW too).
let fftwPlannerLock = NSLock()

/// A batched real-to-complex / complex-to-real FFT pair of one length, owned by a plan.
/// `execute` uses FFTW's new-array interface, so one pair serves buffers of every worker thread
/// (all allocated with `fftwf_malloc`, hence equally aligned).
final class BatchedRealFFT: @unchecked Sendable {
    let length: Int
    let batch: Int
    let forward: fftwf_plan
    let inverse: fftwf_plan

    init(length: Int, batch: Int) throws {
        self.length = length
        self.batch = batch
        let real = fftwf_alloc_real(length * batch)!
        let spectrum = fftwf_alloc_complex((length / 2 + 1) * batch)!
        defer { fftwf_free(real); fftwf_free(spectrum) }
        var n = [Int32(length)]
        let bins = Int32(length / 2 + 1)
        let plans: (fftwf_plan?, fftwf_plan?) = fftwPlannerLock.withLock {
            let f = fftwf_plan_many_dft_r2c(1, &n, Int32(batch), real, nil, 1, Int32(length), spectrum, nil, 1, bins,
                                            UInt32(FFTW_ESTIMATE))
            let i = fftwf_plan_many_dft_c2r(1, &n, Int32(batch), spectrum, nil, 1, bins, real, nil, 1, Int32(length), UInt32(FFTW_ESTIMATE))
            return (f, i)
        }
        guard let f = plans.0, let i = plans.1 else {
            throw GeometryError.unsupported("FFTW could not plan a batch of \(batch) transforms of length \(length)")
        }
        forward = f
        inverse = i
    }

    deinit {
        fftwPlannerLock.withLock {
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
        }
    }
}

/// Per-thread FFT buffers (`fftwf_malloc`-aligned), reused across `execute` calls.
final class FFTWorkspace: @unchecked Sendable {
    let real: UnsafeMutablePointer<Float>
    let spectrum: UnsafeMutablePointer<fftwf_complex>

    init(length: Int, batch: Int) {
        real = fftwf_alloc_real(length * batch)!
        spectrum = fftwf_alloc_complex((length / 2 + 1) * batch)!
    }

    deinit {
        fftwf_free(real)
        fftwf_free(spectrum)
    }
}

/// The FFTW library's version string, e.g. "fftw-3.3.10-sse2-avx" (read through `dlsym`, since Swift
/// cannot import FFTW's incomplete-array declaration of `fftwf_version`).
public func fftwVersionString() -> String {
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "fftwf_version") else { return "fftw3f (unknown version)" }
    return String(cString: symbol.assumingMemoryBound(to: CChar.self))
}
