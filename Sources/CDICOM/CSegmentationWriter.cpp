// Binary DICOM Segmentation writer over DCMTK dcmseg, with the two gaps of DCMTK 3.6.7 filled in:
// the Common Instance Reference module (referenced series) and Spatial Locations Preserved = YES.
#include "cdicom_writing.hpp"

#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmfg/fgseg.h>
#include <dcmtk/dcmiod/iodreferences.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <cstring>

using cdicom::check;
using cdicom::required;
using cdicom::SourceImage;
using cdicom::WriteError;

namespace {

/// The n-th backslash-separated value of a multi-valued attribute text ("" when absent).
std::string component(const std::string &text, size_t index) {
    size_t start = 0;
    for (size_t i = 0; i < index; ++i) {
        start = text.find('\\', start);
        if (start == std::string::npos) return "";
        ++start;
    }
    size_t end = text.find('\\', start);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

/// Every source must be a single-frame image of the first one's series, size and orientation.
void checkSources(const std::vector<SourceImage> &sources) {
    const SourceImage &first = sources.front();
    if (first.rows == 0 || first.columns == 0) throw WriteError{first.path + ": source image has no Rows/Columns"};
    if (first.position.empty() || first.orientation.empty() || first.pixelSpacing.empty())
        throw WriteError{first.path + ": source image lacks Image Position/Orientation (Patient) or Pixel Spacing"};
    for (const SourceImage &source : sources) {
        if (source.rows != first.rows || source.columns != first.columns)
            throw WriteError{source.path + ": source images have different sizes"};
        if (source.seriesInstance != first.seriesInstance)
            throw WriteError{source.path + ": source images come from different series"};
        if (source.position.empty()) throw WriteError{source.path + ": source image lacks Image Position (Patient)"};
    }
}

/// A segment description (label, coded category/type, automatic algorithm, display colour, tracking).
DcmSegment *makeSegment(const cdicom_segment &spec) {
    cdicom::Code category = cdicom::requiredCode(spec.category, "segment category");
    cdicom::Code type = cdicom::requiredCode(spec.type, "segment type");
    DcmSegment *segment = nullptr;
    check(DcmSegment::create(segment, required(spec.label, "segment label").c_str(),
                             CodeSequenceMacro(category.value.c_str(), category.scheme.c_str(), category.meaning.c_str()),
                             CodeSequenceMacro(type.value.c_str(), type.scheme.c_str(), type.meaning.c_str()),
                             DcmSegTypes::SAT_AUTOMATIC, required(spec.algorithm_name, "segment algorithm name").c_str()),
          "segment " + std::string(spec.label));
    AlgorithmIdentificationMacro &algorithm = segment->getSegmentationAlgorithmIdentification();
    // (123109, DCM, "Manual Processing") would be wrong here: family = artificial intelligence / image processing.
    check(algorithm.getAlgorithmFamilyCode().set("123110", "DCM", "Artificial Intelligence"), "algorithm family");
    check(algorithm.setAlgorithmName(spec.algorithm_name), "algorithm name");
    check(algorithm.setAlgorithmVersion(required(spec.algorithm_version, "segment algorithm version").c_str()),
          "algorithm version");
    if (spec.description != nullptr && *spec.description) check(segment->setSegmentDescription(spec.description), "segment description");
    check(segment->setRecommendedDisplayCIELabValue(spec.cielab[0], spec.cielab[1], spec.cielab[2]), "segment colour");
    if (spec.tracking_id != nullptr && *spec.tracking_id) {
        check(segment->setTrackingID(spec.tracking_id), "tracking identifier");
        check(segment->setTrackingUID(required(spec.tracking_uid, "tracking UID").c_str()), "tracking UID");
    }
    return segment;
}

/// Identity, equipment, dates and shared geometry of the new object.
void describe(DcmSegmentation &seg, const cdicom_seg_request &request, const SourceImage &first) {
    const cdicom_object_identity &id = request.identity;
    check(seg.importFromSourceImage(first.dataset()), "copying patient/study from " + first.path);
    check(seg.getSeries().setSeriesInstanceUID(required(id.series_instance_uid, "series instance UID").c_str()), "series UID");
    check(seg.getSeries().setSeriesNumber(std::to_string(id.series_number).c_str()), "series number");
    check(seg.getSeries().setSeriesDescription(required(id.series_description, "series description").c_str()),
          "series description");
    check(seg.getSOPCommon().setSOPInstanceUID(required(id.sop_instance_uid, "SOP instance UID").c_str()), "SOP UID");
    check(seg.getGeneralImage().setContentDate(required(id.content_date, "content date").c_str()), "content date");
    check(seg.getGeneralImage().setContentTime(required(id.content_time, "content time").c_str()), "content time");
    // Body Part Examined is copied too when the CT has it (dciodvfy's Laterality 2C condition reads it).
    FGPixelMeasures measures;
    check(measures.setPixelSpacing(first.pixelSpacing.c_str()), "pixel spacing");
    if (!first.sliceThickness.empty()) check(measures.setSliceThickness(first.sliceThickness.c_str()), "slice thickness");
    check(seg.addForAllFrames(measures), "pixel measures");
    std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
        component(first.orientation, 0).c_str(), component(first.orientation, 1).c_str(), component(first.orientation, 2).c_str(),
        component(first.orientation, 3).c_str(), component(first.orientation, 4).c_str(), component(first.orientation, 5).c_str()));
    if (!orientation) throw WriteError{"invalid Image Orientation (Patient) '" + first.orientation + "'"};
    check(seg.addForAllFrames(*orientation), "plane orientation");
    std::string dimensions = required(request.dimension_organization_uid, "dimension organization UID");
    check(seg.getDimensions().addDimensionIndex(DCM_ReferencedSegmentNumber, dimensions.c_str(), DCM_SegmentIdentificationSequence,
                                                "ReferencedSegmentNumber"), "segment dimension");
    check(seg.getDimensions().addDimensionIndex(DCM_ImagePositionPatient, dimensions.c_str(), DCM_PlanePositionSequence,
                                                "ImagePositionPatient"), "position dimension");
}

/// Adds the frame of segment `number` on source slice `slice` with its position and derivation.
void addFrame(DcmSegmentation &seg, Uint16 number, size_t slice, const SourceImage &source, const uint8_t *pixels) {
    std::unique_ptr<FGPlanePosPatient> position(FGPlanePosPatient::createMinimal(
        component(source.position, 0).c_str(), component(source.position, 1).c_str(), component(source.position, 2).c_str()));
    if (!position) throw WriteError{source.path + ": invalid Image Position (Patient) '" + source.position + "'"};
    FGFrameContent content;
    check(content.setDimensionIndexValues(number, 0), "segment index");
    check(content.setDimensionIndexValues(static_cast<Uint32>(slice + 1), 1), "position index");
    ImageSOPInstanceReferenceMacro *reference = nullptr;
    check(ImageSOPInstanceReferenceMacro::create(source.sopClass.c_str(), source.sopInstance.c_str(), reference),
          source.path + ": source reference");
    OFVector<ImageSOPInstanceReferenceMacro> references;
    references.push_back(*reference);
    delete reference;
    std::unique_ptr<FGDerivationImage> derivation(FGDerivationImage::createMinimal(
        references, "Segmentation of the source image",
        CodeSequenceMacro("113076", "DCM", "Segmentation"), CodeSequenceMacro("121322", "DCM", "Source image for image processing operation")));
    if (!derivation) throw WriteError{"cannot build the derivation image group"};
    OFVector<FGBase *> groups;
    groups.push_back(position.get());
    groups.push_back(&content);
    groups.push_back(derivation.get());
    check(seg.addFrame(const_cast<Uint8 *>(pixels), number, groups), "frame of segment " + std::to_string(number));
}

/// DCMTK 3.6.7 cannot set Spatial Locations Preserved; highdicom needs it to index frames by source image.
void markSpatialLocationsPreserved(DcmDataset &dataset) {
    DcmSequenceOfItems *frames = nullptr;
    if (dataset.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, frames).bad() || frames == nullptr) return;
    for (unsigned long f = 0; f < frames->card(); ++f) {
        DcmSequenceOfItems *derivations = nullptr;
        if (frames->getItem(f)->findAndGetSequence(DCM_DerivationImageSequence, derivations).bad() || !derivations) continue;
        for (unsigned long d = 0; d < derivations->card(); ++d) {
            DcmSequenceOfItems *sources = nullptr;
            if (derivations->getItem(d)->findAndGetSequence(DCM_SourceImageSequence, sources).bad() || !sources) continue;
            for (unsigned long s = 0; s < sources->card(); ++s)
                check(sources->getItem(s)->putAndInsertString(DCM_SpatialLocationsPreserved, "YES"), "spatial locations");
        }
    }
}

void writeSegmentation(const cdicom_seg_request &request) {
    std::vector<SourceImage> sources = cdicom::readSources(request.source_paths, request.source_count);
    checkSources(sources);
    if (request.segments == nullptr || request.segment_count == 0) throw WriteError{"no segments"};
    if (request.segment_count > 65535) throw WriteError{"more than 65535 segments"};
    const SourceImage &first = sources.front();
    const cdicom_object_identity &id = request.identity;
    DcmSegmentation *created = nullptr;
    check(DcmSegmentation::createBinarySegmentation(
              created, static_cast<Uint16>(first.rows), static_cast<Uint16>(first.columns),
              IODGeneralEquipmentModule::EquipmentInfo(required(id.manufacturer, "manufacturer").c_str(),
                                                       required(id.model_name, "model name").c_str(),
                                                       required(id.device_serial_number, "device serial number").c_str(),
                                                       required(id.software_versions, "software versions").c_str()),
              ContentIdentificationMacro(std::to_string(id.instance_number).c_str(),
                                         required(request.content_label, "content label").c_str(),
                                         request.content_description ? request.content_description : "",
                                         request.content_creator ? request.content_creator : "")),
          "creating the segmentation");
    std::unique_ptr<DcmSegmentation> seg(created);
    describe(*seg, request, first);
    const size_t plane = static_cast<size_t>(first.rows) * first.columns;
    std::vector<uint8_t> empty(plane, 0);
    for (size_t s = 0; s < request.segment_count; ++s) {
        const cdicom_segment &spec = request.segments[s];
        if (spec.mask == nullptr) throw WriteError{"segment " + std::to_string(s + 1) + " has no mask"};
        Uint16 number = 0;
        DcmSegment *segment = makeSegment(spec);
        OFCondition added = seg->addSegment(segment, number);
        if (added.bad()) delete segment;
        check(added, "adding segment " + std::to_string(s + 1));
        bool any = false;
        for (size_t k = 0; k < sources.size(); ++k) {
            const uint8_t *slice = spec.mask + k * plane;
            bool present = false;
            for (size_t i = 0; i < plane && !present; ++i) present = slice[i] != 0;
            if (!present) continue;
            addFrame(*seg, number, k, sources[k], slice);
            any = true;
        }
        if (!any) addFrame(*seg, number, 0, sources[0], empty.data());
    }
    IODReferences references;
    for (const SourceImage &source : sources)
        references.add(new IODImageReference(source.patientID.c_str(), source.studyInstance.c_str(), source.seriesInstance.c_str(),
                                             source.sopInstance.c_str(), source.sopClass.c_str()));
    seg->getCommonInstanceReference().addReferences(references, first.studyInstance.c_str());
    DcmFileFormat file;
    check(seg->writeDataset(*file.getDataset()), "building the segmentation dataset");
    markSpatialLocationsPreserved(*file.getDataset());
    cdicom::addCodingSchemes(*file.getDataset(), request.schemes, request.scheme_count);
    cdicom::saveAtomically(file, request.output_path);
}

}  // namespace

extern "C" int cdicom_write_segmentation(const cdicom_seg_request *request, char *message, size_t capacity) {
    if (request == nullptr) return cdicom::fail(message, capacity, "no request");
    return cdicom::guardedWrite(message, capacity, [&] { writeSegmentation(*request); });
}
