// Internal declarations shared by the CDICOM translation units.
#pragma once

#include "cdicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <cstdint>
#include <string>
#include <vector>

/// The parsed file: DCMTK's file format object plus the path (pixel values may still be on disk).
struct cdicom_file {
    DcmFileFormat format;
    std::string path;
};

namespace cdicom {

/// Copies `text` into a caller buffer as a NUL-terminated string (truncating); NULL/0 buffers are skipped.
void writeMessage(char *message, size_t capacity, const std::string &text);

/// Returns 1 after writing `text` as the message: the failure return of every entry point.
int fail(char *message, size_t capacity, const std::string &text);

/// Decodes one JPEG 2000 (or HTJ2K) codestream into `count` interleaved int32 samples. Returns an empty
/// string on success, else the reason.
std::string decodeJpeg2000(const uint8_t *data, size_t size, int32_t *out, size_t count,
                           uint32_t rows, uint32_t columns, uint32_t samples);

/// Registers the DCMTK decoders (RLE, JPEG, JPEG-LS) once per process.
void registerCodecs();

}  // namespace cdicom
