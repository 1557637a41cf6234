/// A batch-1 activation in the channel-blocked layout of the fast CNN kernels: channels in blocks of 16
/// (the last block zero-padded), each block stored as [depth][height][width][16], every spatial axis
/// surrounded by a zero halo of `halo` voxels so that padded convolutions read without bounds checks.
/// 2D activations have depth 1 and no depth halo. Memory is 64-byte aligned and zeroed once.
public final class BlockedActivation: @unchecked Sendable {
    public let channels: Int, depth: Int, height: Int, width: Int
    /// Halo voxels on each side of height and width (and of depth when depth > 1).
    public let halo: Int
    public let blocks: Int
    /// Padded extents.
    public let paddedDepth: Int, paddedHeight: Int, paddedWidth: Int
    /// Floats per channel block.
    public let blockStride: Int
    public let storage: UnsafeMutablePointer<Float>

    /// Spatial axes (2 or 3; a 3-D activation may have depth 1).
    public let spatialRank: Int

    /// Whether `storage` holds the float32 activation; false for a value only bfloat16 layers read, which
    /// lives in its `bfloat16` copy alone (then `storage` is a 16-float placeholder nobody may touch).
    public let hasFloat32: Bool

    /// A zeroed activation of `channels` x depth x height x width with `halo` (`spatialRank` 3: the depth
    /// axis has a halo too); with `float32` false, only its bfloat16 copy is allocated (zeroed).
    public init(channels: Int, depth: Int, height: Int, width: Int, halo: Int, spatialRank: Int = 2, float32: Bool = true) {
        (self.channels, self.depth, self.height, self.width, self.halo) = (channels, depth, height, width, halo)
        self.spatialRank = spatialRank
        blocks = (channels + 15) / 16
        paddedDepth = spatialRank == 3 ? depth + 2 * halo : 1
        paddedHeight = height + 2 * halo
        paddedWidth = width + 2 * halo
        blockStride = paddedDepth * paddedHeight * paddedWidth * 16
        hasFloat32 = float32
        let count = float32 ? max(blocks * blockStride, 16) : 16
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
        raw.initializeMemory(as: Float.self, repeating: 0, count: count)
        storage = raw.assumingMemoryBound(to: Float.self)
        if !float32 { makeBFloat16Copy() }
    }

    /// A bfloat16 copy of `storage` (same layout, zero halos) that bf16 convolutions read; nil until made.
    /// Whoever writes the float32 interior decides whether the copy is current.
    public private(set) var bfloat16: UnsafeMutablePointer<UInt16>?

    /// The bfloat16 copy's storage, allocated (zeroed) on first use.
    @discardableResult public func makeBFloat16Copy() -> UnsafeMutablePointer<UInt16> {
        if let bfloat16 { return bfloat16 }
        let count = max(blocks * blockStride, 16)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: 64)
        raw.initializeMemory(as: UInt16.self, repeating: 0, count: count)
        bfloat16 = raw.assumingMemoryBound(to: UInt16.self)
        return bfloat16!
    }

    deinit {
        storage.deallocate()
        bfloat16?.deallocate()
    }

    /// Offset (floats) of interior voxel (z, y, x), channel 0 of block 0.
    public func offset(z: Int, y: Int, x: Int) -> Int {
        (((spatialRank == 3 ? z + halo : 0) * paddedHeight + y + halo) * paddedWidth + x + halo) * 16
    }

    /// Copies planar data [channels][depth][height][width] into the interior.
    public func load(planar: UnsafeBufferPointer<Float>) {
        precondition(hasFloat32, "the activation has no float32 form")
        let plane = depth * height * width
        precondition(planar.count == channels * plane, "planar data does not match the activation")
        for c in 0..<channels {
            let base = (c / 16) * blockStride + c % 16
            for z in 0..<depth { for y in 0..<height {
                let row = offset(z: z, y: y, x: 0) + base, source = (c * depth + z) * height * width + y * width
                for x in 0..<width { storage[row + 16 * x] = planar[source + x] }
            } }
        }
    }

    /// Copies the interior out as planar data [channels][depth][height][width].
    public func store(planar: UnsafeMutableBufferPointer<Float>) {
        precondition(hasFloat32, "the activation has no float32 form")
        precondition(planar.count == channels * depth * height * width, "planar buffer does not match the activation")
        for c in 0..<channels {
            let base = (c / 16) * blockStride + c % 16
            for z in 0..<depth { for y in 0..<height {
                let row = offset(z: z, y: y, x: 0) + base, target = (c * depth + z) * height * width + y * width
                for x in 0..<width { planar[target + x] = storage[row + 16 * x] }
            } }
        }
    }
}

/// The forms of an activation an operator writes.
public struct ActivationForms: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The float32 activation (`BlockedActivation.storage`).
    public static let float32 = ActivationForms(rawValue: 1)
    /// Its bfloat16 copy (`BlockedActivation.bfloat16`), for bf16 layers reading it.
    public static let bfloat16 = ActivationForms(rawValue: 2)
}
