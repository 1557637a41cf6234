import CKernels

/// Eight affine positions `start + step * (n + lane)`, advanced eight at a time, in 16.16 fixed point
/// relative to an integer origin. The window base of each step is an integer add and shift away from
/// the previous one — a short dependency chain, so several steps overlap in the out-of-order core — and
/// it equals the smallest lane's integer part exactly, so every lane's window index is >= 0.
/// The per-step increment is rounded once: positions drift by at most 2^-17 samples per step
/// (1.6e-5 samples per 8 lanes; 2.4e-4 over 128 steps), below float rounding at these magnitudes.
/// Callers re-anchor (`init`) at least every 1024 steps so offsets stay far inside Int32.
struct FixedPointCursor {
    /// Integer origin of the positions (a sample index, >= 0).
    let origin: Int
    private var lanes: SIMD8<Int32>
    private var low: SIMD8<Int32>
    private var lowScalar: Int32
    private let advance: Int32

    /// Positions for `start` (>= 0) and `step` (|step| < 16 samples per lane).
    @inline(__always) init(start: Float, step: Float) {
        origin = Int(hxk_truncate_scalar(start))
        let startFx = Int32(((start - Float(origin)) * 65536).rounded())
        let stepFx = Int32((step * 65536).rounded())
        lanes = SIMD8<Int32>(repeating: startFx) &+ SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) &* stepFx
        lowScalar = startFx &+ (stepFx >= 0 ? 0 : 7 &* stepFx)
        low = SIMD8<Int32>(repeating: lowScalar)
        advance = 8 &* stepFx
    }

    /// Offset of the current window base from `origin`.
    @inline(__always) var baseOffset: Int { Int(lowScalar &>> 16) }

    /// Window index (integer part minus the base) and fractional part of each lane.
    @inline(__always) var lanesInWindow: (index: SIMD8<Int32>, frac: SIMD8<Float>) {
        ((lanes &>> 16) &- (low &>> 16), hxk_to_float(lanes & SIMD8<Int32>(repeating: 0xFFFF)) * SIMD8<Float>(repeating: 1.0 / 65536))
    }

    /// Moves to the next eight positions.
    @inline(__always) mutating func advanceStep() {
        lanes &+= SIMD8<Int32>(repeating: advance)
        low &+= SIMD8<Int32>(repeating: advance)
        lowScalar &+= advance
    }
}
