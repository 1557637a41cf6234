// Helpers shared by the SEG and SR writers: checked DCMTK calls, required fields, source headers.
#include "cdicom_writing.hpp"

#include <cstdio>

namespace cdicom {

void check(const OFCondition &status, const std::string &what) {
    if (status.bad()) throw WriteError{what + ": " + status.text()};
}

std::string required(const char *text, const char *field) {
    if (text == nullptr || *text == '\0') throw WriteError{std::string("missing ") + field};
    return text;
}

Code requiredCode(const cdicom_code &code, const char *field) {
    std::string name(field);
    return Code{required(code.value, (name + " code value").c_str()), required(code.scheme, (name + " coding scheme").c_str()),
                required(code.meaning, (name + " code meaning").c_str())};
}

namespace {

std::string text(DcmItem &item, const DcmTagKey &key) {
    OFString value;
    item.findAndGetOFStringArray(key, value);
    return value.c_str();
}

}  // namespace

std::vector<SourceImage> readSources(const char *const *paths, size_t count) {
    if (paths == nullptr || count == 0) throw WriteError{"no source images"};
    registerCodecs();
    std::vector<SourceImage> sources(count);
    for (size_t index = 0; index < count; ++index) {
        SourceImage &source = sources[index];
        source.path = required(paths[index], "source image path");
        source.format = std::make_unique<DcmFileFormat>();
        OFCondition status = source.format->loadFileUntilTag(source.path.c_str(), EXS_Unknown, EGL_noChange, 4096,
                                                             ERM_autoDetect, DCM_PixelData);
        if (status.bad()) throw WriteError{source.path + ": cannot read the source image: " + status.text()};
        DcmDataset &data = source.dataset();
        source.sopClass = text(data, DCM_SOPClassUID);
        source.sopInstance = text(data, DCM_SOPInstanceUID);
        if (source.sopInstance.empty()) source.sopInstance = text(*source.format->getMetaInfo(), DCM_MediaStorageSOPInstanceUID);
        if (source.sopClass.empty()) source.sopClass = text(*source.format->getMetaInfo(), DCM_MediaStorageSOPClassUID);
        source.seriesInstance = text(data, DCM_SeriesInstanceUID);
        source.studyInstance = text(data, DCM_StudyInstanceUID);
        source.patientID = text(data, DCM_PatientID);
        source.position = text(data, DCM_ImagePositionPatient);
        source.orientation = text(data, DCM_ImageOrientationPatient);
        source.pixelSpacing = text(data, DCM_PixelSpacing);
        source.sliceThickness = text(data, DCM_SliceThickness);
        Uint16 rows = 0, columns = 0;
        data.findAndGetUint16(DCM_Rows, rows);
        data.findAndGetUint16(DCM_Columns, columns);
        source.rows = rows;
        source.columns = columns;
        if (source.sopClass.empty() || source.sopInstance.empty())
            throw WriteError{source.path + ": source image has no SOP Class/Instance UID"};
    }
    return sources;
}

void addCodingSchemes(DcmItem &dataset, const cdicom_coding_scheme *schemes, size_t count) {
    for (size_t s = 0; s < count; ++s) {
        DcmItem *item = nullptr;
        check(dataset.findOrCreateSequenceItem(DCM_CodingSchemeIdentificationSequence, item, -2), "coding scheme sequence");
        check(item->putAndInsertString(DCM_CodingSchemeDesignator, required(schemes[s].designator, "coding scheme designator").c_str()),
              "coding scheme designator");
        check(item->putAndInsertString(DCM_CodingSchemeName, required(schemes[s].name, "coding scheme name").c_str()), "scheme name");
        check(item->putAndInsertString(DCM_CodingSchemeVersion, required(schemes[s].version, "coding scheme version").c_str()),
              "scheme version");
        check(item->putAndInsertString(DCM_CodingSchemeResponsibleOrganization,
                                       required(schemes[s].responsible_organization, "coding scheme organization").c_str()),
              "scheme organization");
    }
}

void saveAtomically(DcmFileFormat &file, const char *path) {
    std::string target = required(path, "output path");
    std::string temporary = target + ".partial";
    // Explicit-length sequences and no group lengths: the encoding DCMTK's network layer sends, so a file
    // arrives at a PACS byte for byte as written here.
    OFCondition status = file.saveFile(temporary.c_str(), EXS_LittleEndianExplicit, EET_ExplicitLength, EGL_withoutGL);
    if (status.bad()) {
        std::remove(temporary.c_str());
        throw WriteError{"writing " + target + ": " + status.text()};
    }
    if (std::rename(temporary.c_str(), target.c_str()) != 0) {
        std::remove(temporary.c_str());
        throw WriteError{"cannot move the finished file to " + target};
    }
}

}  // namespace cdicom
