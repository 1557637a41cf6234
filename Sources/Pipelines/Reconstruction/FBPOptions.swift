import HepatixKernels

/// Settings of a filtered backprojection (FBP / fan-beam FBP / FDK).
public struct FBPOptions: Sendable, Equatable {
    /// Apodisation window of the ramp filter. Default `.ramLak`.
    public var window: FilterWindow = .ramLak
    /// Window cut-off as a fraction of Nyquist, in (0, 1]. Default 1.
    public var cutoff: Double = 1
    /// Worker threads; 0 means one per core. Default 0.
    public var threads: Int = 0
    /// Accept grids wider than the detector's field of view (truncated projections; the outer
    /// region is then wrong). Default false: such plans are refused with a message.
    public var allowTruncation = false
    /// Kernel tier; default the best the CPU supports.
    public var tier: KernelTier = .detected

    /// Default options (Ram-Lak, full band, all cores, best tier).
    public init() {}

    /// Options with the given window and cut-off.
    public init(window: FilterWindow, cutoff: Double = 1, threads: Int = 0) {
        self.window = window
        self.cutoff = cutoff
        self.threads = threads
    }
}
