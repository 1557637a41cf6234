import CKernels
import Foundation

/// Families of SIMD kernels, best first. Chosen once per process from CPUID; the environment
/// variable `HEPATIX_TIER=scalar|avx2` forces a lower tier (a higher one than the CPU has is refused).
public enum KernelTier: String, Sendable, Comparable, CaseIterable {
    /// Portable scalar reference kernels.
    case scalar
    /// AVX2 + FMA (x86-64-v3) kernels.
    case avx2

    /// The best tier with kernels that this CPU can run, after `HEPATIX_TIER`.
    public static let detected: KernelTier = {
        let hardware: KernelTier = hxk_detect_tier() == HXK_TIER_SCALAR ? .scalar : .avx2
        if let forced, forced <= hardware { return forced }
        return hardware
    }()

    /// The tier `HEPATIX_TIER` asks for, if any (the CNN kernels use AVX-512 when nothing is forced).
    public static let forced: KernelTier? = ProcessInfo.processInfo.environment["HEPATIX_TIER"].flatMap(KernelTier.init(rawValue:))

    /// What the CPU itself offers, including tiers Hepatix has no kernels for yet ("avx512").
    public static var hardwareDescription: String {
        switch hxk_detect_tier() {
        case HXK_TIER_AVX512: return "avx512"
        case HXK_TIER_AVX2: return "avx2"
        default: return "scalar"
        }
    }

    /// The CPU's brand string.
    public static var cpuBrand: String {
        var buffer = [CChar](repeating: 0, count: 64)
        hxk_cpu_brand(&buffer, 64)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Orders tiers from least to most capable.
    public static func < (a: KernelTier, b: KernelTier) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
