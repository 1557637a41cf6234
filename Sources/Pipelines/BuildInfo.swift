import CBLAS
import HepatixKernels

/// Version and build facts, as reported by `hepatix info` and `hx_build_info()`.
public enum BuildInfo {
    /// Semantic version of the library.
    public static let version = (major: 0, minor: 1, patch: 0)

    /// "0.1.0".
    public static var versionString: String { "\(version.major).\(version.minor).\(version.patch)" }

    /// The OpenBLAS core OpenBLAS selected at load time (e.g. "Zen", or "Prescott" when it does not
    /// recognise the CPU and falls back to SSE3 kernels).
    public static var openBLASCore: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS build configuration string.
    public static var openBLASConfig: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p)
    }

    /// One line per fact: version, CPU, kernel tier, FFTW, OpenBLAS, the shipped models' paths.
    public static var summary: String {
        """
        hepatix \(versionString)
        cpu: \(KernelTier.cpuBrand)
        cpu features: \(KernelTier.hardwareDescription); kernel tier in use: \(KernelTier.detected.rawValue)
        fftw: \(fftwVersionString())
        openblas: \(openBLASConfig) (core \(openBLASCore))
        denoiser model: \((try? ShippedModels.path(of: CNNDenoiser.shippedModelName)) ?? "not found")
        liver segmentation model: \((try? ShippedModels.path(of: CNNLiverSegmenter.shippedModelName)) ?? "not found")
        lesion network model: \((try? ShippedModels.path(of: CNNLesionSegmenter.shippedModelName)) ?? "not found")
        """
    }
}
