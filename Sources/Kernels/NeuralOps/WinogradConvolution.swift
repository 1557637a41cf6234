import CKernels

/// A 3x3, stride-1, undilated 2D convolution run as Winograd F(4x4, 3x3) on the AVX-512 tier: 4x fewer
/// multiplications than the direct kernel, at the cost of a rounding error of about 1e-6 relative per layer
/// (the transforms scale values by up to 10 before they cancel). Built from a `DirectConvolution`, whose bias
/// and fused activation it keeps; each worker owns a slice of `scratch`, allocated once.
public struct WinogradConvolution: Sendable {
    /// The convolution it computes (geometry, output size, the exact fallback).
    public let direct: DirectConvolution
    /// Transformed weights [36 positions][output pair][input block][16][32]: U = G g G^T per channel pair.
    let transformed: [Float]
    let scratch: ScratchBuffer<Float>
    let scratchPerWorker: Int

    /// Tiles one call computes (at most the direct microkernel's pixel count).
    static let chunkTiles = Int(HXK_CONV_TILE)

    /// The Winograd form of `direct` for `workers` threads, or nil when it does not apply (not a 2D 3x3
    /// stride-1 undilated convolution, padding above 1, or no AVX-512 kernel in use).
    public init?(_ direct: DirectConvolution, workers: Int) {
        guard direct.useAVX512, direct.kernel == [3, 3], direct.strides == [1, 1], direct.dilations == [1, 1],
              direct.padBegin.allSatisfy({ $0 <= 1 }) else { return nil }
        self.direct = direct
        let (pairs, blocks) = (direct.outPairs, direct.inBlocks)
        // G for the points 0, +-1, +-2, infinity: row r gives the transformed tap r from taps g0, g1, g2.
        let g: [[Double]] = [[0.25, 0, 0], [-1.0 / 6, -1.0 / 6, -1.0 / 6], [-1.0 / 6, 1.0 / 6, -1.0 / 6],
                             [1.0 / 24, 1.0 / 12, 1.0 / 6], [1.0 / 24, -1.0 / 12, 1.0 / 6], [0, 0, 1]]
        var transformed = [Float](repeating: 0, count: 36 * pairs * blocks * 512)
        for pair in 0..<pairs {
            for block in 0..<blocks {
                for c in 0..<16 {
                    for lane in 0..<32 {
                        // The packed direct weights: [pair][block][tap][16][32].
                        let tap = { (t: Int) in Double(direct.packed[((pair * blocks + block) * 9 + t) * 512 + c * 32 + lane]) }
                        for i in 0..<6 {
                            for j in 0..<6 {
                                var u = 0.0
                                for ky in 0..<3 where g[i][ky] != 0 {
                                    for kx in 0..<3 where g[j][kx] != 0 { u += g[i][ky] * tap(ky * 3 + kx) * g[j][kx] }
                                }
                                transformed[(((i * 6 + j) * pairs + pair) * blocks + block) * 512 + c * 32 + lane] = Float(u)
                            }
                        }
                    }
                }
            }
        }
        self.transformed = transformed
        scratchPerWorker = 36 * 16 * WinogradConvolution.chunkTiles * (blocks + 2 * pairs)
        scratch = ScratchBuffer(count: scratchPerWorker * max(1, workers))
    }

    /// Computes `output` (its interior) from `input` with `pool` (at most the `workers` given at creation).
    public func run(_ input: BlockedActivation, _ output: BlockedActivation, pool: WorkerPool) {
        let (tileRows, tilesAcross) = ((output.height + 3) / 4, (output.width + 3) / 4)
        let chunksPerRow = (tilesAcross + WinogradConvolution.chunkTiles - 1) / WinogradConvolution.chunkTiles
        let chunkTiles = (tilesAcross + chunksPerRow - 1) / chunksPerRow
        precondition(input.halo >= direct.padBegin.max()!, "input halo \(input.halo) does not cover padding")
        precondition(scratch.count >= scratchPerWorker * pool.threads, "Winograd scratch is sized for fewer workers")
        let activation: (Int32, Float)
        switch direct.activation {
        case .none: activation = (0, 0)
        case .relu: activation = (1, 0)
        case .leakyRelu(let a): activation = (2, a)
        }
        let inBase = SendablePointer(UnsafePointer(input.storage)), outBase = SendableMutablePointer(output.storage)
        let (pairs, blocks, perWorker) = (direct.outPairs, direct.inBlocks, scratchPerWorker)
        let (padTop, padLeft) = (direct.padBegin[0], direct.padBegin[1])
        transformed.withUnsafeBufferPointer { weights in
            direct.bias.withUnsafeBufferPointer { bias in
                let w = SendablePointer(weights.baseAddress!), b = SendablePointer(bias.baseAddress!)
                let scratchBase = SendableMutablePointer(scratch.pointer)
                pool.forEachRange(count: tileRows * chunksPerRow) { worker, items in
                  for item in items {
                    let (row, first) = (item / chunksPerRow, (item % chunksPerRow) * chunkTiles)
                    let tiles = min(chunkTiles, tilesAcross - first)
                    guard tiles > 0 else { continue }
                    let (iy, ix) = (4 * row - padTop, 4 * first - padLeft)
                    var chunk = hxk_winograd_chunk(
                        in: inBase.pointer + input.offset(z: 0, y: iy, x: ix), in_row_stride: input.paddedWidth * 16,
                        in_block_stride: input.blockStride, in_blocks: Int32(blocks),
                        rows_available: Int32(input.height + input.halo - iy), cols_available: Int32(input.width + input.halo - ix),
                        weights: w.pointer, out_pairs: Int32(pairs), bias: b.pointer, activation: activation.0, alpha: activation.1,
                        out: outBase.pointer + output.offset(z: 0, y: 4 * row, x: 4 * first), out_row_stride: output.paddedWidth * 16,
                        out_block_stride: output.blockStride, out_blocks: Int32(output.blocks),
                        rows_valid: Int32(min(4, output.height - 4 * row)), cols_valid: Int32(min(4 * tiles, output.width - 4 * first)),
                        tiles: Int32(tiles), scratch: scratchBase.pointer + worker * perWorker)
                    hxk_winograd43_chunk_avx512(&chunk)
                  }
                }
            }
        }
    }
}
