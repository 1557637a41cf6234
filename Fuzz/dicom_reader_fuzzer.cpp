// libFuzzer harness over Hepatix's DICOM reader (the CDICOM shim over DCMTK and OpenJPEG): every input is
// parsed header-only and fully, its attributes, sequences and pixel layout are read, and its first and
// last frames are decoded. A crash, a sanitizer report, a leak or a hang is a bug; errors are expected.
// Built and run by `make fuzz` (scripts/fuzz-dicom.sh).
#include "cdicom.h"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

std::string scratchPath;

/// Attributes the Swift layer reads from every file (UIDs, geometry, rescale, phase cues).
const uint16_t kTags[][2] = {{0x0008, 0x0016}, {0x0008, 0x0018}, {0x0020, 0x000D}, {0x0020, 0x000E}, {0x0020, 0x0032},
                             {0x0020, 0x0037}, {0x0028, 0x0030}, {0x0028, 0x1052}, {0x0028, 0x1053}, {0x0018, 0x1120},
                             {0x0008, 0x103E}, {0x0018, 0x0010}, {0x0018, 0x1042}, {0x0008, 0x0032}, {0x0002, 0x0010},
                             {0x0028, 0x0008}, {0x7FE0, 0x0010}};

/// The largest frame decoded (larger declared frames are skipped, not allocated).
constexpr size_t kMaxFrameSamples = size_t(1) << 24;

void visitNothing(void *, const char *) {}

void exercise(int headerOnly) {
    char message[512];
    cdicom_file *file = nullptr;
    if (cdicom_open(scratchPath.c_str(), headerOnly, &file, message, sizeof message) != 0) return;
    char text[256];
    for (const auto &tag : kTags) cdicom_string(file, tag[0], tag[1], text, sizeof text);
    uint32_t items = cdicom_sequence_count(file, 0x5200, 0x9230);   // per-frame functional groups
    for (uint32_t i = 0; i < items && i < 4; ++i) cdicom_sequence_string(file, 0x5200, 0x9230, i, 0x0020, 0x9113, text, sizeof text);
    cdicom_pixel_layout layout;
    if (!headerOnly && cdicom_pixel_layout_get(file, &layout, message, sizeof message) == 0) {
        size_t samples = size_t(layout.rows) * layout.columns * layout.samples_per_pixel;
        if (samples > 0 && samples <= kMaxFrameSamples) {
            std::vector<int32_t> pixels(samples);
            cdicom_decode_frame(file, 0, pixels.data(), samples, message, sizeof message);
            if (layout.frames > 1) cdicom_decode_frame(file, layout.frames - 1, pixels.data(), samples, message, sizeof message);
            cdicom_decode_frame(file, layout.frames, pixels.data(), samples, message, sizeof message);   // out of range
        }
    }
    cdicom_close(file);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    cdicom_quiet_logging();
    scratchPath = "/dev/shm/hepatix-fuzz-" + std::to_string(getpid()) + ".dcm";
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    FILE *stream = std::fopen(scratchPath.c_str(), "wb");
    if (stream == nullptr) return 0;
    std::fwrite(data, 1, size, stream);
    std::fclose(stream);
    exercise(1);
    exercise(0);
    char message[256];
    cdicom_dicomdir_files(scratchPath.c_str(), visitNothing, nullptr, message, sizeof message);
    return 0;
}
