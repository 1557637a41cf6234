import Foundation

/// Apodisation windows applied to the ramp filter, as functions of frequency `ν` normalised to the
/// cut-off (`ν = f / (cutoff · f_Nyquist)`, zero beyond the cut-off).
public enum FilterWindow: String, Sendable, CaseIterable {
    /// Pure ramp (Ram-Lak): `1`.
    case ramLak = "ram-lak"
    /// Shepp–Logan: `sinc(ν/2) = sin(πν/2) / (πν/2)`.
    case sheppLogan = "shepp-logan"
    /// Cosine: `cos(πν/2)`.
    case cosine
    /// Hamming: `0.54 + 0.46 cos(πν)`.
    case hamming
    /// Hann: `0.5 + 0.5 cos(πν)`.
    case hann

    /// The window's gain at normalised frequency `nu` (0 at and beyond 1 for windows that vanish there).
    public func gain(_ nu: Double) -> Double {
        if nu > 1 { return 0 }
        switch self {
        case .ramLak: return 1
        case .sheppLogan: return nu == 0 ? 1 : sin(.pi * nu / 2) / (.pi * nu / 2)
        case .cosine: return cos(.pi * nu / 2)
        case .hamming: return 0.54 + 0.46 * cos(.pi * nu)
        case .hann: return 0.5 + 0.5 * cos(.pi * nu)
        }
    }
}
