// Pixel data: layout validation and frame decoding into int32 stored values.
#include "cdicom_internal.hpp"

#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>

#include <cstring>
#include <mutex>
#include <new>

namespace cdicom {

void registerCodecs() {
    static std::once_flag once;
    std::call_once(once, [] {
        DcmRLEDecoderRegistration::registerCodecs();
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

}  // namespace cdicom

namespace {

/// Frames above this many stored samples are refused (a 16k x 16k RGB frame is 805 M).
constexpr uint64_t kMaxFrameSamples = uint64_t(1) << 30;

bool uint16Value(DcmItem *dataset, const DcmTagKey &key, uint32_t &value) {
    Uint16 v = 0;
    if (dataset->findAndGetUint16(key, v).bad()) return false;
    value = v;
    return true;
}

bool isJpeg2000(const char *uid) {
    static const char *const uids[] = {"1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.201",
                                       "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203"};
    for (const char *candidate : uids)
        if (std::strcmp(uid, candidate) == 0) return true;
    return false;
}

/// Converts `count` raw samples of `bitsAllocated` bits (local byte order) to int32 stored values.
void widen(const uint8_t *raw, const cdicom_pixel_layout &layout, int32_t *out, size_t count) {
    const uint32_t stored = layout.bits_stored, shift = 32 - stored;
    const bool isSigned = layout.pixel_representation == 1;
    const uint32_t mask = stored >= 32 ? 0xffffffffu : ((1u << stored) - 1u);
    auto finish = [&](uint32_t bits) -> int32_t {
        bits &= mask;
        if (isSigned && shift > 0) return static_cast<int32_t>(bits << shift) >> shift;
        return static_cast<int32_t>(bits);
    };
    switch (layout.bits_allocated) {
    case 8:
        for (size_t i = 0; i < count; ++i) out[i] = finish(raw[i]);
        break;
    case 16: {
        const uint16_t *words = reinterpret_cast<const uint16_t *>(raw);
        if (isSigned && stored == 16) {
            const int16_t *signedWords = reinterpret_cast<const int16_t *>(raw);
            for (size_t i = 0; i < count; ++i) out[i] = signedWords[i];
        } else if (!isSigned && stored == 16) {
            for (size_t i = 0; i < count; ++i) out[i] = words[i];
        } else {
            for (size_t i = 0; i < count; ++i) out[i] = finish(words[i]);
        }
        break;
    }
    default: {  // 32
        const uint32_t *longs = reinterpret_cast<const uint32_t *>(raw);
        for (size_t i = 0; i < count; ++i) out[i] = finish(longs[i]);
        break;
    }
    }
}

/// Native (uncompressed) frame: read straight from the file (or memory) in local byte order.
std::string decodeNative(DcmPixelData *pixels, const cdicom_pixel_layout &layout, uint32_t frame, int32_t *out,
                         size_t count) {
    const uint64_t frameBits = uint64_t(count) * layout.bits_allocated;
    const uint64_t firstBit = frameBits * frame;
    const uint64_t available = pixels->getLength();
    if (layout.bits_allocated == 1) {
        // BINARY segmentations pack frames bit-contiguously (LSB first); a frame need not start on a byte.
        const uint64_t firstByte = firstBit / 8, lastByte = (firstBit + frameBits + 7) / 8;
        if (lastByte > available) return "pixel data is shorter than the declared frames";
        std::vector<uint8_t> bytes(lastByte - firstByte);
        if (pixels->getPartialValue(bytes.data(), static_cast<Uint32>(firstByte), static_cast<Uint32>(bytes.size()),
                                    nullptr, EBO_LittleEndian).bad())
            return "cannot read the pixel data";
        const uint64_t bitOffset = firstBit % 8;
        for (size_t i = 0; i < count; ++i) {
            uint64_t bit = bitOffset + i;
            out[i] = (bytes[bit / 8] >> (bit % 8)) & 1;
        }
        return {};
    }
    const uint64_t frameBytes = frameBits / 8, offset = firstBit / 8;
    if (offset + frameBytes > available) return "pixel data is shorter than the declared frames";
    static thread_local std::vector<uint8_t> buffer;
    buffer.resize(frameBytes);
    if (pixels->getPartialValue(buffer.data(), static_cast<Uint32>(offset), static_cast<Uint32>(frameBytes)).bad())
        return "cannot read the pixel data";
    widen(buffer.data(), layout, out, count);
    return {};
}

/// The compressed bytes of one frame: fragments joined, located by the basic offset table when present.
std::string frameCodestream(DcmPixelSequence *sequence, uint32_t frame, uint32_t frames, std::vector<uint8_t> &stream) {
    const unsigned long items = sequence->card();
    if (items < 2) return "encapsulated pixel data has no fragments";
    std::vector<std::pair<unsigned long, unsigned long>> ranges;  // [first, last) fragment indices per frame
    DcmPixelItem *table = nullptr;
    sequence->getItem(table, 0);
    std::vector<Uint32> offsets;
    if (table != nullptr && table->getLength() >= 4 * frames && frames > 1) {
        Uint8 *bytes = nullptr;
        if (table->getUint8Array(bytes).good() && bytes != nullptr)
            for (uint32_t f = 0; f < frames; ++f) {
                Uint32 v;
                std::memcpy(&v, bytes + 4 * f, 4);
                offsets.push_back(v);
            }
    }
    unsigned long first = 1, last = items;
    if (frames == 1) {
        // All fragments belong to the one frame.
    } else if (!offsets.empty()) {
        // Walk fragments, accumulating their positions (item header 8 bytes + value) to match offsets.
        uint64_t position = 0;
        unsigned long start = 0, end = items;
        for (unsigned long index = 1; index < items; ++index) {
            DcmPixelItem *fragment = nullptr;
            sequence->getItem(fragment, index);
            if (position == offsets[frame]) start = index;
            if (frame + 1 < frames && position == offsets[frame + 1]) { end = index; break; }
            position += 8 + (fragment ? fragment->getLength() : 0);
        }
        if (start == 0) return "basic offset table does not match the fragments";
        first = start; last = end;
    } else if (items - 1 == frames) {
        first = frame + 1; last = frame + 2;
    } else {
        return "cannot tell which fragments belong to which frame (no offset table)";
    }
    stream.clear();
    for (unsigned long index = first; index < last; ++index) {
        DcmPixelItem *fragment = nullptr;
        Uint8 *bytes = nullptr;
        if (sequence->getItem(fragment, index).bad() || fragment == nullptr) return "missing fragment";
        if (fragment->getLength() == 0) continue;
        if (fragment->getUint8Array(bytes).bad() || bytes == nullptr) return "cannot read a fragment";
        stream.insert(stream.end(), bytes, bytes + fragment->getLength());
    }
    return {};
}

std::string decodeEncapsulated(DcmDataset *dataset, DcmPixelData *pixels, const cdicom_pixel_layout &layout,
                               uint32_t frame, int32_t *out, size_t count) {
    if (isJpeg2000(layout.transfer_syntax)) {
        const DcmRepresentationParameter *parameter = nullptr;
        DcmPixelSequence *sequence = nullptr;
        E_TransferSyntax xfer = DcmXfer(layout.transfer_syntax).getXfer();
        if (pixels->getEncapsulatedRepresentation(xfer, parameter, sequence).bad() || sequence == nullptr)
            return "JPEG 2000 pixel data has no fragments";
        std::vector<uint8_t> stream;
        std::string problem = frameCodestream(sequence, frame, layout.frames, stream);
        if (!problem.empty()) return problem;
        return cdicom::decodeJpeg2000(stream.data(), stream.size(), out, count, layout.rows, layout.columns,
                                      layout.samples_per_pixel);
    }
    Uint32 frameBytes = 0;
    if (pixels->getUncompressedFrameSize(dataset, frameBytes).bad() || frameBytes == 0)
        return "cannot size the decompressed frame";
    std::vector<uint8_t> buffer(frameBytes + (frameBytes & 1));
    Uint32 startFragment = 0;
    OFString colourModel;
    OFCondition status = pixels->getUncompressedFrame(dataset, frame, startFragment, buffer.data(),
                                                      static_cast<Uint32>(buffer.size()), colourModel);
    if (status.bad())
        return std::string("cannot decompress (transfer syntax ") + layout.transfer_syntax + "): " + status.text();
    if (uint64_t(count) * layout.bits_allocated / 8 > frameBytes) return "decompressed frame is too small";
    widen(buffer.data(), layout, out, count);
    return {};
}

}  // namespace

extern "C" int cdicom_pixel_layout_get(const cdicom_file *file, cdicom_pixel_layout *layout, char *message,
                                       size_t capacity) {
    if (file == nullptr || layout == nullptr) return cdicom::fail(message, capacity, "no file or layout");
    try {
        auto &format = const_cast<DcmFileFormat &>(file->format);
        DcmDataset *dataset = format.getDataset();
        cdicom_pixel_layout result{};
        if (!uint16Value(dataset, DCM_Rows, result.rows) || !uint16Value(dataset, DCM_Columns, result.columns))
            return cdicom::fail(message, capacity, "Rows or Columns missing");
        if (!uint16Value(dataset, DCM_BitsAllocated, result.bits_allocated))
            return cdicom::fail(message, capacity, "BitsAllocated missing");
        if (!uint16Value(dataset, DCM_BitsStored, result.bits_stored)) result.bits_stored = result.bits_allocated;
        if (!uint16Value(dataset, DCM_HighBit, result.high_bit)) result.high_bit = result.bits_stored - 1;
        if (!uint16Value(dataset, DCM_PixelRepresentation, result.pixel_representation)) result.pixel_representation = 0;
        if (!uint16Value(dataset, DCM_SamplesPerPixel, result.samples_per_pixel)) result.samples_per_pixel = 1;
        Sint32 frames = 1;
        if (dataset->findAndGetSint32(DCM_NumberOfFrames, frames).bad()) frames = 1;
        OFString photometric;
        dataset->findAndGetOFString(DCM_PhotometricInterpretation, photometric);
        cdicom::writeMessage(result.photometric, sizeof result.photometric, photometric.c_str());
        cdicom::writeMessage(result.transfer_syntax, sizeof result.transfer_syntax,
                             DcmXfer(dataset->getOriginalXfer()).getXferID());
        if (result.rows == 0 || result.columns == 0) return cdicom::fail(message, capacity, "Rows or Columns is zero");
        if (frames < 1) return cdicom::fail(message, capacity, "NumberOfFrames is not positive");
        result.frames = static_cast<uint32_t>(frames);
        uint32_t a = result.bits_allocated;
        if (a != 1 && a != 8 && a != 16 && a != 32)
            return cdicom::fail(message, capacity, "unsupported BitsAllocated " + std::to_string(a));
        if (result.bits_stored == 0 || result.bits_stored > a)
            return cdicom::fail(message, capacity, "BitsStored " + std::to_string(result.bits_stored) +
                                                       " does not fit BitsAllocated " + std::to_string(a));
        if (result.pixel_representation > 1) return cdicom::fail(message, capacity, "PixelRepresentation is not 0 or 1");
        if (result.samples_per_pixel != 1 && result.samples_per_pixel != 3)
            return cdicom::fail(message, capacity, "SamplesPerPixel must be 1 or 3");
        uint64_t samples = uint64_t(result.rows) * result.columns * result.samples_per_pixel;
        if (samples > kMaxFrameSamples) return cdicom::fail(message, capacity, "frame is too large");
        DcmElement *element = nullptr;
        if (dataset->findAndGetElement(DCM_PixelData, element).bad() || element == nullptr)
            return cdicom::fail(message, capacity, "no pixel data");
        auto *pixels = static_cast<DcmPixelData *>(element);
        const DcmRepresentationParameter *parameter = nullptr;
        DcmPixelSequence *sequence = nullptr;
        result.encapsulated = DcmXfer(dataset->getOriginalXfer()).isEncapsulated() &&
                              pixels->getEncapsulatedRepresentation(dataset->getOriginalXfer(), parameter, sequence).good();
        if (!result.encapsulated) {
            uint64_t needed = (samples * a * result.frames + 7) / 8;
            if (pixels->getLength() < needed)
                return cdicom::fail(message, capacity, "pixel data has " + std::to_string(pixels->getLength()) +
                                                           " bytes, the declared frames need " + std::to_string(needed));
        }
        *layout = result;
        return 0;
    } catch (const std::bad_alloc &) {
        return cdicom::fail(message, capacity, "out of memory reading the pixel layout");
    } catch (...) {
        return cdicom::fail(message, capacity, "error reading the pixel layout");
    }
}

extern "C" int cdicom_decode_frame(cdicom_file *file, uint32_t frame, int32_t *out, size_t count, char *message,
                                   size_t capacity) {
    if (file == nullptr || out == nullptr) return cdicom::fail(message, capacity, "no file or output");
    try {
        cdicom_pixel_layout layout;
        if (cdicom_pixel_layout_get(file, &layout, message, capacity) != 0) return 1;
        if (frame >= layout.frames)
            return cdicom::fail(message, capacity, "frame " + std::to_string(frame) + " of " + std::to_string(layout.frames));
        uint64_t samples = uint64_t(layout.rows) * layout.columns * layout.samples_per_pixel;
        if (count != samples)
            return cdicom::fail(message, capacity, "output holds " + std::to_string(count) + " samples, the frame has " +
                                                       std::to_string(samples));
        DcmDataset *dataset = file->format.getDataset();
        DcmElement *element = nullptr;
        dataset->findAndGetElement(DCM_PixelData, element);
        auto *pixels = static_cast<DcmPixelData *>(element);
        std::string problem = layout.encapsulated ? decodeEncapsulated(dataset, pixels, layout, frame, out, count)
                                                  : decodeNative(pixels, layout, frame, out, count);
        if (!problem.empty()) return cdicom::fail(message, capacity, problem);
        return 0;
    } catch (const std::bad_alloc &) {
        return cdicom::fail(message, capacity, "out of memory decoding the frame");
    } catch (...) {
        return cdicom::fail(message, capacity, "error decoding the frame");
    }
}
