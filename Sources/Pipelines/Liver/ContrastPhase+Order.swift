extension ContrastPhase {
    /// The four phases of a multiphase liver CT, in acquisition order.
    public static let acquisitionOrder: [ContrastPhase] = [.unenhanced, .arterial, .portalVenous, .delayed]

    /// Position in `acquisitionOrder` (the lane of per-phase `SIMD4` tables); 0 for `unknown`.
    public var index: Int { Self.acquisitionOrder.firstIndex(of: self) ?? 0 }

    /// A short file-name-safe name.
    public var slug: String { ["pre", "arterial", "portal", "delayed", "unknown"][Self.allCases.firstIndex(of: self)!] }
}
