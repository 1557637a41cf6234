/* CDICOM: a thin C interface over DCMTK (and OpenJPEG for JPEG 2000), used only inside Hepatix.
 * Not public API: hosts use include/hepatix.h. Every function catches C++ exceptions and reports
 * failures as a non-zero return with a message; nothing here aborts or throws across the boundary. */
#ifndef HEPATIX_CDICOM_H
#define HEPATIX_CDICOM_H

#include <stddef.h>
#include <stdint.h>

/* This header is the module's umbrella: the writers and the network client are part of it. */
#include "cdicom_network.h"
#include "cdicom_write.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A parsed DICOM file. Values above 4 KB (pixel data) stay on disk until a frame is decoded. */
typedef struct cdicom_file cdicom_file;

/** Opens and parses `path` (Part 10 file with meta header, or a bare dataset). With `header_only`
 *  set, parsing stops at Pixel Data, which makes scanning folders cheap. On failure returns non-zero,
 *  leaves `*out` NULL and writes a message. */
int cdicom_open(const char *path, int header_only, cdicom_file **out, char *message, size_t capacity);

/** Releases a file (NULL is accepted). */
void cdicom_close(cdicom_file *file);

/** Copies the value of (group,element) as text into `buffer` (NUL-terminated; values of a
 *  multi-valued attribute are separated by a backslash; leading/trailing spaces removed), looking in
 *  the dataset first and then in the file meta header. Returns the full text length (the copy is
 *  truncated when that is >= capacity), or -1 when the attribute is absent or has no text form. */
long cdicom_string(const cdicom_file *file, uint16_t group, uint16_t element, char *buffer, size_t capacity);

/** Same as cdicom_string for an attribute inside item `item` of the sequence (seq_group,seq_element). */
long cdicom_sequence_string(const cdicom_file *file, uint16_t seq_group, uint16_t seq_element, uint32_t item,
                            uint16_t group, uint16_t element, char *buffer, size_t capacity);

/** Number of items in the sequence (group,element) of the dataset, 0 when absent. */
uint32_t cdicom_sequence_count(const cdicom_file *file, uint16_t group, uint16_t element);

/** Pixel data layout as the file declares it (after checking it is self-consistent). */
typedef struct cdicom_pixel_layout {
    uint32_t rows, columns, frames, samples_per_pixel;
    uint32_t bits_allocated, bits_stored, high_bit, pixel_representation;
    int encapsulated;            /* 1 when the pixel data is compressed (encapsulated) */
    char transfer_syntax[68];    /* UID of the transfer syntax the file was read with */
    char photometric[20];
} cdicom_pixel_layout;

/** Reads and validates the pixel layout; non-zero with a message when absent or inconsistent
 *  (zero or huge sizes, bits stored > bits allocated, pixel data shorter than declared). */
int cdicom_pixel_layout_get(const cdicom_file *file, cdicom_pixel_layout *layout, char *message, size_t capacity);

/** Decodes frame `frame` (0-based) into `count` = rows*columns*samples stored values (not rescaled):
 *  signed data sign-extended from BitsStored, unsigned data masked to BitsStored; 1-bit data unpacked
 *  to 0/1. Handles native little/big endian (and deflated datasets), RLE, JPEG baseline/extended/lossless,
 *  JPEG-LS (DCMTK codecs) and JPEG 2000 / HTJ2K (OpenJPEG). Samples are interleaved (colour-by-pixel). */
int cdicom_decode_frame(cdicom_file *file, uint32_t frame, int32_t *out, size_t count, char *message, size_t capacity);

/** Calls `visit(context, path)` for every image file a DICOMDIR references (paths relative to the
 *  DICOMDIR's folder, '/'-separated). Non-zero with a message when `path` is not a readable DICOMDIR. */
int cdicom_dicomdir_files(const char *path, void (*visit)(void *context, const char *relative_path), void *context,
                          char *message, size_t capacity);

/** Silences DCMTK's own logging (errors come back as messages) (called once by the Swift layer). */
void cdicom_quiet_logging(void);

#ifdef __cplusplus
}
#endif
#endif
