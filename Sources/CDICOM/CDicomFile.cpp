// Opening DICOM files, reading attribute text, sequences and DICOMDIR references.
#include "cdicom_internal.hpp"

#include <dcmtk/dcmdata/dcdicdir.h>
#include <dcmtk/oflog/oflog.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

namespace cdicom {

void writeMessage(char *message, size_t capacity, const std::string &text) {
    if (message == nullptr || capacity == 0) return;
    size_t n = text.size() < capacity - 1 ? text.size() : capacity - 1;
    std::memcpy(message, text.data(), n);
    message[n] = '\0';
}

int fail(char *message, size_t capacity, const std::string &text) {
    writeMessage(message, capacity, text);
    return 1;
}

}  // namespace cdicom

namespace {

/// Values above this many bytes stay in the file until asked for (pixel data, big private blobs).
constexpr Uint32 kMaxInMemoryValue = 4096;

/// Text of an element with leading/trailing spaces (and NULs) removed; false when it has no text form.
bool elementText(DcmElement *element, std::string &text) {
    if (element == nullptr || element->isLeaf() == OFFalse) return false;
    DcmEVR vr = element->ident();
    // Binary bulk values have no meaningful text form here (and could be huge).
    if (vr == EVR_OB || vr == EVR_OW || vr == EVR_OF || vr == EVR_OD || vr == EVR_OL || vr == EVR_OV ||
        vr == EVR_UN || vr == EVR_pixelItem || vr == EVR_pixelSQ) return false;
    OFString value;
    if (element->getOFStringArray(value).bad()) return false;
    size_t first = value.find_first_not_of(" \0", 0, 2);
    if (first == OFString_npos) { text.clear(); return true; }
    size_t last = value.find_last_not_of(" \0", OFString_npos, 2);
    text.assign(value.c_str() + first, last - first + 1);
    return true;
}

/// Why a file did not parse: not DICOM at all (no "DICM" marker), or a DICOM file that is cut short or corrupt.
std::string describeFailure(const char *path, const OFCondition &status) {
    FILE *stream = std::fopen(path, "rb");
    if (stream == nullptr) return "cannot open the file";
    char head[132] = {0};
    size_t got = std::fread(head, 1, sizeof head, stream);
    std::fclose(stream);
    if (got == 0) return "empty file, not DICOM";
    bool marked = got == sizeof head && std::memcmp(head + 128, "DICM", 4) == 0;
    if (!marked) return std::string("not DICOM (no 'DICM' marker at byte 128 and no readable dataset: ") + status.text() + ")";
    return std::string("truncated or corrupt DICOM file: ") + status.text();
}

long copyText(const std::string &text, char *buffer, size_t capacity) {
    cdicom::writeMessage(buffer, capacity, text);
    return static_cast<long>(text.size());
}

}  // namespace

extern "C" int cdicom_open(const char *path, int header_only, cdicom_file **out, char *message, size_t capacity) {
    if (out == nullptr) return cdicom::fail(message, capacity, "no output pointer");
    *out = nullptr;
    if (path == nullptr) return cdicom::fail(message, capacity, "no path");
    try {
        cdicom::registerCodecs();
        auto *file = new cdicom_file();
        file->path = path;
        OFCondition status = header_only
            ? file->format.loadFileUntilTag(path, EXS_Unknown, EGL_noChange, kMaxInMemoryValue, ERM_autoDetect, DCM_PixelData)
            : file->format.loadFile(path, EXS_Unknown, EGL_noChange, kMaxInMemoryValue, ERM_autoDetect);
        if (status.bad()) {
            delete file;
            return cdicom::fail(message, capacity, describeFailure(path, status));
        }
        *out = file;
        return 0;
    } catch (const std::bad_alloc &) {
        return cdicom::fail(message, capacity, "out of memory while parsing (absurd lengths?)");
    } catch (const std::exception &error) {
        return cdicom::fail(message, capacity, std::string("parser error: ") + error.what());
    } catch (...) {
        return cdicom::fail(message, capacity, "parser error");
    }
}

extern "C" void cdicom_close(cdicom_file *file) { delete file; }

extern "C" long cdicom_string(const cdicom_file *file, uint16_t group, uint16_t element, char *buffer, size_t capacity) {
    if (file == nullptr) return -1;
    try {
        auto &format = const_cast<DcmFileFormat &>(file->format);
        DcmTagKey key(group, element);
        DcmElement *found = nullptr;
        std::string text;
        if (format.getDataset()->findAndGetElement(key, found, OFFalse).good() && elementText(found, text))
            return copyText(text, buffer, capacity);
        if (format.getMetaInfo()->findAndGetElement(key, found, OFFalse).good() && elementText(found, text))
            return copyText(text, buffer, capacity);
        return -1;
    } catch (...) {
        return -1;
    }
}

extern "C" uint32_t cdicom_sequence_count(const cdicom_file *file, uint16_t group, uint16_t element) {
    if (file == nullptr) return 0;
    try {
        DcmSequenceOfItems *sequence = nullptr;
        auto &format = const_cast<DcmFileFormat &>(file->format);
        if (format.getDataset()->findAndGetSequence(DcmTagKey(group, element), sequence).bad() || sequence == nullptr)
            return 0;
        return static_cast<uint32_t>(sequence->card());
    } catch (...) {
        return 0;
    }
}

extern "C" long cdicom_sequence_string(const cdicom_file *file, uint16_t seq_group, uint16_t seq_element, uint32_t item,
                                       uint16_t group, uint16_t element, char *buffer, size_t capacity) {
    if (file == nullptr) return -1;
    try {
        auto &format = const_cast<DcmFileFormat &>(file->format);
        DcmItem *found = nullptr;
        if (format.getDataset()->findAndGetSequenceItem(DcmTagKey(seq_group, seq_element), found,
                                                        static_cast<signed long>(item)).bad() || found == nullptr)
            return -1;
        DcmElement *value = nullptr;
        std::string text;
        if (found->findAndGetElement(DcmTagKey(group, element), value, OFFalse).good() && elementText(value, text))
            return copyText(text, buffer, capacity);
        return -1;
    } catch (...) {
        return -1;
    }
}

extern "C" int cdicom_dicomdir_files(const char *path, void (*visit)(void *, const char *), void *context,
                                     char *message, size_t capacity) {
    if (path == nullptr || visit == nullptr) return cdicom::fail(message, capacity, "no path or visitor");
    try {
        DcmFileFormat format;
        OFCondition status = format.loadFile(path);
        if (status.bad()) return cdicom::fail(message, capacity, std::string("cannot read DICOMDIR: ") + status.text());
        OFString sopClass;
        format.getMetaInfo()->findAndGetOFString(DCM_MediaStorageSOPClassUID, sopClass);
        if (sopClass != UID_MediaStorageDirectoryStorage)
            return cdicom::fail(message, capacity, "not a DICOMDIR (media storage SOP class is '" +
                                                       std::string(sopClass.c_str()) + "')");
        DcmSequenceOfItems *records = nullptr;
        if (format.getDataset()->findAndGetSequence(DCM_DirectoryRecordSequence, records).bad() || records == nullptr)
            return cdicom::fail(message, capacity, "DICOMDIR has no directory record sequence");
        for (unsigned long index = 0; index < records->card(); ++index) {
            DcmItem *record = records->getItem(index);
            OFString fileID;
            if (record == nullptr || record->findAndGetOFStringArray(DCM_ReferencedFileID, fileID).bad() || fileID.empty())
                continue;
            std::string relative(fileID.c_str());
            for (char &c : relative) if (c == '\\') c = '/';
            visit(context, relative.c_str());
        }
        return 0;
    } catch (...) {
        return cdicom::fail(message, capacity, "error while reading the DICOMDIR");
    }
}

extern "C" void cdicom_quiet_logging(void) {
    try {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
    } catch (...) {
    }
}
