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

    /// A zeroed activation of `channels` x depth x height x width with `halo` (`spatialRank` 3: the depth
    /// axis has a halo too).
    public init(channels: Int, depth: Int, height: Int, width: Int, halo: Int, spatialRank: Int = 2) {
        (self.channels, self.depth, self.height, self.width, self.halo) = (channels, depth, height, width, halo)
        self.spatialRank = spatialRank
        blocks = (channels + 15) / 16
        paddedDepth = spatialRank == 3 ? depth + 2 * halo : 1
        paddedHeight = height + 2 * halo
        paddedWidth = width + 2 * halo
        blockStride = paddedDepth * paddedHeight * paddedWidth * 16
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(blocks * blockStride, 16) * 4, alignment: 64)
        raw.initializeMemory(as: Float.self, repeating: 0, count: max(blocks * blockStride, 16))
        storage = raw.assumingMemoryBound(to: Float.self)
    }

    deinit { storage.deallocate() }

    /// Offset (floats) of interior voxel (z, y, x), channel 0 of block 0.
    public func offset(z: Int, y: Int, x: Int) -> Int {
        (((spatialRank == 3 ? z + halo : 0) * paddedHeight + y + halo) * paddedWidth + x + halo) * 16
    }

    /// Copies planar data [channels][depth][height][width] into the interior.
    public func load(planar: UnsafeBufferPointer<Float>) {
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
