// JPEG 2000 / HTJ2K frames through OpenJPEG (DCMTK 3.6.7 has no JPEG 2000 codec).
#include "cdicom_internal.hpp"

#include <openjpeg-2.5/openjpeg.h>

#include <cstring>
#include <memory>

namespace {

/// A read-only memory stream for OpenJPEG.
struct MemoryStream {
    const uint8_t *data;
    size_t size;
    size_t position;
};

OPJ_SIZE_T readBytes(void *buffer, OPJ_SIZE_T count, void *user) {
    auto *stream = static_cast<MemoryStream *>(user);
    if (stream->position >= stream->size) return static_cast<OPJ_SIZE_T>(-1);
    size_t n = std::min(static_cast<size_t>(count), stream->size - stream->position);
    std::memcpy(buffer, stream->data + stream->position, n);
    stream->position += n;
    return n;
}

OPJ_OFF_T skipBytes(OPJ_OFF_T count, void *user) {
    auto *stream = static_cast<MemoryStream *>(user);
    if (count < 0) {
        if (static_cast<size_t>(-count) > stream->position) return -1;
        stream->position -= static_cast<size_t>(-count);
    } else {
        stream->position = std::min(stream->size, stream->position + static_cast<size_t>(count));
    }
    return count;
}

OPJ_BOOL seekTo(OPJ_OFF_T position, void *user) {
    auto *stream = static_cast<MemoryStream *>(user);
    if (position < 0 || static_cast<size_t>(position) > stream->size) return OPJ_FALSE;
    stream->position = static_cast<size_t>(position);
    return OPJ_TRUE;
}

void ignoreMessage(const char *, void *) {}

struct CodecDeleter { void operator()(opj_codec_t *codec) const { opj_destroy_codec(codec); } };
struct StreamDeleter { void operator()(opj_stream_t *stream) const { opj_stream_destroy(stream); } };
struct ImageDeleter { void operator()(opj_image_t *image) const { opj_image_destroy(image); } };

}  // namespace

namespace cdicom {

std::string decodeJpeg2000(const uint8_t *data, size_t size, int32_t *out, size_t count, uint32_t rows,
                           uint32_t columns, uint32_t samples) {
    if (size < 12) return "JPEG 2000 codestream is truncated";
    // A raw codestream starts with SOC (FF 4F); a JP2 file with its signature box.
    static const uint8_t jp2Signature[] = {0, 0, 0, 0x0c, 'j', 'P', ' ', ' '};
    OPJ_CODEC_FORMAT format = std::memcmp(data, jp2Signature, 8) == 0 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K;
    std::unique_ptr<opj_codec_t, CodecDeleter> codec(opj_create_decompress(format));
    if (!codec) return "cannot create a JPEG 2000 decoder";
    opj_set_info_handler(codec.get(), ignoreMessage, nullptr);
    opj_set_warning_handler(codec.get(), ignoreMessage, nullptr);
    opj_set_error_handler(codec.get(), ignoreMessage, nullptr);
    opj_dparameters_t parameters;
    opj_set_default_decoder_parameters(&parameters);
    if (!opj_setup_decoder(codec.get(), &parameters)) return "cannot set up the JPEG 2000 decoder";

    MemoryStream memory{data, size, 0};
    std::unique_ptr<opj_stream_t, StreamDeleter> stream(opj_stream_create(1 << 16, OPJ_TRUE));
    if (!stream) return "cannot create a JPEG 2000 stream";
    opj_stream_set_user_data(stream.get(), &memory, nullptr);
    opj_stream_set_user_data_length(stream.get(), size);
    opj_stream_set_read_function(stream.get(), readBytes);
    opj_stream_set_skip_function(stream.get(), skipBytes);
    opj_stream_set_seek_function(stream.get(), seekTo);

    opj_image_t *raw = nullptr;
    if (!opj_read_header(stream.get(), codec.get(), &raw)) return "invalid JPEG 2000 header";
    std::unique_ptr<opj_image_t, ImageDeleter> image(raw);
    if (image->numcomps != samples)
        return "JPEG 2000 has " + std::to_string(image->numcomps) + " components, the dataset says " +
               std::to_string(samples);
    for (uint32_t c = 0; c < image->numcomps; ++c) {
        const opj_image_comp_t &component = image->comps[c];
        if (component.w != columns || component.h != rows || component.dx != 1 || component.dy != 1)
            return "JPEG 2000 component size differs from Rows x Columns";
    }
    if (!opj_decode(codec.get(), stream.get(), image.get()) || !opj_end_decompress(codec.get(), stream.get()))
        return "JPEG 2000 decoding failed (corrupt or truncated codestream)";
    const size_t pixels = size_t(rows) * columns;
    if (count != pixels * samples) return "output size does not match the JPEG 2000 image";
    for (uint32_t c = 0; c < samples; ++c) {
        const OPJ_INT32 *values = image->comps[c].data;
        if (values == nullptr) return "JPEG 2000 component has no data";
        for (size_t i = 0; i < pixels; ++i) out[i * samples + c] = values[i];
    }
    return {};
}

}  // namespace cdicom
