// Internal helpers shared by the SEG and SR writers.
#pragma once

#include "cdicom_internal.hpp"
#include "cdicom_write.h"

#include <memory>
#include <string>
#include <vector>

namespace cdicom {

/// Thrown inside the writers with a user-facing reason; the entry points turn it into a message.
struct WriteError {
    std::string reason;
};

/// Throws WriteError(`what` + DCMTK's text) when `status` is bad.
void check(const OFCondition &status, const std::string &what);

/// The string, or throws WriteError naming `field` when it is NULL or empty.
std::string required(const char *text, const char *field);

/// A code from the C struct, or throws WriteError naming `field` when a part is missing.
struct Code {
    std::string value, scheme, meaning;
};
Code requiredCode(const cdicom_code &code, const char *field);

/// A source image's header (parsing stops at Pixel Data) with the attributes the writers copy.
struct SourceImage {
    std::unique_ptr<DcmFileFormat> format;
    std::string path, sopClass, sopInstance, seriesInstance, studyInstance, patientID, position;
    std::string orientation, pixelSpacing, sliceThickness;
    unsigned rows = 0, columns = 0;
    DcmDataset &dataset() const { return *format->getDataset(); }
};

/// Reads the headers of `paths`; throws WriteError naming the file that cannot be read.
std::vector<SourceImage> readSources(const char *const *paths, size_t count);

/// Writes the Coding Scheme Identification Sequence (0008,0110) for private schemes into `dataset`.
void addCodingSchemes(DcmItem &dataset, const cdicom_coding_scheme *schemes, size_t count);

/// Saves `file` (explicit VR little endian, explicit-length sequences) to a temporary name beside `path`, then renames it over `path`:
/// a failure never leaves a partial file nor destroys an existing one.
void saveAtomically(DcmFileFormat &file, const char *path);

/// Runs `body`, converting WriteError, DCMTK and allocation failures into the C error convention.
template <typename Body>
int guardedWrite(char *message, size_t capacity, Body body) {
    try {
        body();
        return 0;
    } catch (const WriteError &error) {
        return fail(message, capacity, error.reason);
    } catch (const std::bad_alloc &) {
        return fail(message, capacity, "out of memory while writing");
    } catch (const std::exception &error) {
        return fail(message, capacity, std::string("writer error: ") + error.what());
    } catch (...) {
        return fail(message, capacity, "writer error");
    }
}

}  // namespace cdicom
