/* Winograd F(4x4, 3x3) convolution on channel-blocked activations (16 channels per block, "NC16HW"), AVX-512.
 * Each 4x4 output tile comes from a 6x6 input patch: V = B^T d B per input channel, M = sum over input
 * channels of U (.) V per output channel at each of the 36 transform positions (U = G g G^T, the transformed
 * 3x3 weights; computed by the caller), Y = A^T M A. The 36 channel reductions are 1x1 convolutions over the
 * tiles and run on the direct microkernel, so 2.25 multiplications per output replace 9. Not public API. */
#ifndef HEPATIX_HXK_WINOGRAD_H
#define HEPATIX_HXK_WINOGRAD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Transform positions of F(4x4, 3x3): a 6x6 grid. */
#define HXK_WINOGRAD_POSITIONS 36

/** One call's work: `tiles` horizontally consecutive 4x4 output tiles of one tile row, all output channels. */
typedef struct hxk_winograd_chunk {
    const float *in;          /**< input, channel block 0, at the first tile's patch origin (output row/column minus padding) */
    size_t in_row_stride;     /**< floats between input rows */
    size_t in_block_stride;   /**< floats between input channel blocks */
    int in_blocks;
    int rows_available;       /**< patch rows that may be read from the origin (the rest count as zero) */
    int cols_available;       /**< columns that may be read from the first tile's origin (the rest count as zero) */
    const float *weights;     /**< transformed weights [36 positions][out_pairs][in_blocks][16 in][32 out] */
    int out_pairs;            /**< pairs of 16-channel output blocks in `weights` and `bias` */
    const float *bias;        /**< 32 * out_pairs values */
    int activation;           /**< 0 none, 1 ReLU, 2 LeakyReLU with alpha */
    float alpha;
    float *out;               /**< output, channel block 0, first pixel of the first tile */
    size_t out_row_stride;
    size_t out_block_stride;
    int out_blocks;           /**< output channel blocks written (the last pair may be half used) */
    int rows_valid;           /**< output rows written (1..4) */
    int cols_valid;           /**< output columns written from the first tile (1..4 * tiles) */
    int tiles;                /**< 1..HXK_CONV_TILE */
    float *scratch;           /**< 36 * 16 * tiles * (in_blocks + 2 * out_pairs) floats, 64-byte aligned, private to the caller */
} hxk_winograd_chunk;

/** Computes one chunk (input transform, 36 channel reductions, output transform with bias and activation). */
void hxk_winograd43_chunk_avx512(const hxk_winograd_chunk *chunk);

#ifdef __cplusplus
}
#endif
#endif
