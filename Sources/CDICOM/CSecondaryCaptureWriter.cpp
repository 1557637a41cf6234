// RGB Secondary Capture Image Storage (key slices with overlays) placed in the source study.
#include "cdicom_writing.hpp"

#include <dcmtk/dcmdata/dcuid.h>

using cdicom::check;
using cdicom::required;
using cdicom::WriteError;

namespace {

void put(DcmItem &item, const DcmTagKey &key, const std::string &value) {
    check(item.putAndInsertString(key, value.c_str()), std::string("setting ") + DcmTag(key).getTagName());
}

/// Copies the attributes of `keys` present in `from`.
void copy(DcmItem &from, DcmItem &to, std::initializer_list<DcmTagKey> keys) {
    for (const DcmTagKey &key : keys) {
        OFString value;
        if (from.findAndGetOFStringArray(key, value).good()) check(to.putAndInsertOFStringArray(key, value), "copying attributes");
    }
}

void writeSecondaryCapture(const cdicom_sc_request &request) {
    std::vector<cdicom::SourceImage> sources = cdicom::readSources(&request.source_path, 1);
    cdicom::SourceImage &source = sources.front();
    if (request.rgb == nullptr || request.rows == 0 || request.columns == 0 || request.rows > 65535 || request.columns > 65535)
        throw WriteError{"no pixels or image size out of range"};
    const cdicom_object_identity &id = request.identity;
    DcmFileFormat file;
    DcmDataset &out = *file.getDataset();
    DcmDataset &in = source.dataset();
    copy(in, out, {DCM_SpecificCharacterSet, DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex,
                   DCM_StudyInstanceUID, DCM_StudyDate, DCM_StudyTime, DCM_ReferringPhysicianName, DCM_StudyID,
                   DCM_AccessionNumber, DCM_StudyDescription});
    OFString bodyPart;
    put(out, DCM_BodyPartExamined, in.findAndGetOFString(DCM_BodyPartExamined, bodyPart).good() && !bodyPart.empty()
                                       ? bodyPart.c_str() : "ABDOMEN");
    put(out, DCM_SOPClassUID, UID_SecondaryCaptureImageStorage);
    put(out, DCM_SOPInstanceUID, required(id.sop_instance_uid, "SOP instance UID"));
    put(out, DCM_SeriesInstanceUID, required(id.series_instance_uid, "series instance UID"));
    put(out, DCM_Modality, "OT");
    put(out, DCM_SeriesNumber, std::to_string(id.series_number));
    put(out, DCM_InstanceNumber, std::to_string(id.instance_number));
    put(out, DCM_SeriesDescription, required(id.series_description, "series description"));
    put(out, DCM_ContentDate, required(id.content_date, "content date"));
    put(out, DCM_ContentTime, required(id.content_time, "content time"));
    put(out, DCM_InstanceCreationDate, id.content_date);
    put(out, DCM_InstanceCreationTime, id.content_time);
    put(out, DCM_Manufacturer, required(id.manufacturer, "manufacturer"));
    put(out, DCM_ManufacturerModelName, required(id.model_name, "model name"));
    put(out, DCM_SoftwareVersions, required(id.software_versions, "software versions"));
    put(out, DCM_ConversionType, "WSD");   // workstation: a rendered derived picture
    put(out, DCM_ImageType, "DERIVED\\SECONDARY");
    put(out, DCM_PatientOrientation, "");
    put(out, DCM_BurnedInAnnotation, "YES");
    put(out, DCM_ImageComments, request.image_comments ? request.image_comments : "");
    put(out, DCM_DerivationDescription, "Key slice rendered by Hepatix with segmentation outlines");
    DcmItem *reference = nullptr;
    check(out.findOrCreateSequenceItem(DCM_SourceImageSequence, reference, -2), "source image sequence");
    put(*reference, DCM_ReferencedSOPClassUID, source.sopClass);
    put(*reference, DCM_ReferencedSOPInstanceUID, source.sopInstance);
    check(out.putAndInsertUint16(DCM_SamplesPerPixel, 3), "samples");
    put(out, DCM_PhotometricInterpretation, "RGB");
    check(out.putAndInsertUint16(DCM_PlanarConfiguration, 0), "planar configuration");
    check(out.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(request.rows)), "rows");
    check(out.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(request.columns)), "columns");
    check(out.putAndInsertUint16(DCM_BitsAllocated, 8), "bits allocated");
    check(out.putAndInsertUint16(DCM_BitsStored, 8), "bits stored");
    check(out.putAndInsertUint16(DCM_HighBit, 7), "high bit");
    check(out.putAndInsertUint16(DCM_PixelRepresentation, 0), "pixel representation");
    unsigned long bytes = static_cast<unsigned long>(request.rows) * request.columns * 3;
    check(out.putAndInsertUint8Array(DCM_PixelData, request.rgb, bytes), "pixel data");
    cdicom::saveAtomically(file, request.output_path);
}

}  // namespace

extern "C" int cdicom_write_secondary_capture(const cdicom_sc_request *request, char *message, size_t capacity) {
    if (request == nullptr) return cdicom::fail(message, capacity, "no request");
    return cdicom::guardedWrite(message, capacity, [&] { writeSecondaryCapture(*request); });
}
