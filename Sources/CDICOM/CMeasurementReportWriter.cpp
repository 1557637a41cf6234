// TID 1500 measurement report (Enhanced SR) over DCMTK's dcmsr/cmr: one TID 1411 volumetric group per
// finding, tied to its segment in the SEG, with measurements, qualitative evaluations and full evidence.
#include "cdicom_writing.hpp"

#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <cstdio>

using cdicom::check;
using cdicom::required;
using cdicom::SourceImage;
using cdicom::WriteError;
using Group = TID1500_MeasurementReport::TID1411_Measurements;

namespace {

DSRCodedEntryValue coded(const cdicom_code &code, const char *field) {
    cdicom::Code parts = cdicom::requiredCode(code, field);
    return DSRCodedEntryValue(parts.value.c_str(), parts.scheme.c_str(), parts.meaning.c_str());
}

/// A DS value (at most 16 characters): 8 significant digits.
std::string decimal(double value, const std::string &what) {
    if (!(value == value) || value > 1e300 || value < -1e300) throw WriteError{what + " is not a finite number"};
    char text[32];
    std::snprintf(text, sizeof text, "%.8g", value);
    return text;
}

void addMeasurement(Group &group, const cdicom_measurement &spec) {
    DSRCodedEntryValue concept = coded(spec.concept, "measurement");
    std::string name = concept.getCodeMeaning().c_str();
    Group::MeasurementValue value(decimal(spec.value, name).c_str(),
                                                 CID7181_AbstractMultiDimensionalImageModelComponentUnits(coded(spec.units, "unit")));
    check(group.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements(concept), value), "measurement " + name);
    if (spec.derivation_mean) check(group.getMeasurement().setDerivation(CID7464_GeneralRegionOfInterestMeasurementModifiers(
                                        CID7464_GeneralRegionOfInterestMeasurementModifiers::Mean)), "derivation of " + name);
    if (spec.modifier_value.value != nullptr)
        check(group.getMeasurement().addModifier(coded(spec.modifier_concept, "modifier"), coded(spec.modifier_value, "modifier value")),
              "modifier of " + name);
}

void addGroup(TID1500_MeasurementReport &report, const cdicom_measurement_group &spec, DcmItem &segmentation,
              const std::string &segmentedSeries) {
    check(report.addVolumetricROIMeasurements(), "adding a measurement group");
    Group &group = report.getVolumetricROIMeasurements();
    std::string tracking = required(spec.tracking_id, "tracking identifier");
    check(group.setTrackingIdentifier(tracking.c_str()), "tracking identifier " + tracking);
    check(group.setTrackingUniqueIdentifier(required(spec.tracking_uid, "tracking UID").c_str()), "tracking UID of " + tracking);
    check(group.setReferencedSegment(segmentation, spec.segment_number, OFFalse), "referenced segment of " + tracking);
    check(group.setSourceSeriesForSegmentation(segmentedSeries.c_str()), "source series of " + tracking);
    check(group.setFinding(coded(spec.finding, "finding")), "finding of " + tracking);
    check(group.addFindingSite(coded(spec.finding_site, "finding site")), "finding site of " + tracking);
    for (size_t m = 0; m < spec.measurement_count; ++m) addMeasurement(group, spec.measurements[m]);
    for (size_t e = 0; e < spec.evaluation_count; ++e)
        check(group.addQualitativeEvaluation(coded(spec.evaluation_concepts[e], "evaluation"),
                                             coded(spec.evaluation_values[e], "evaluation value")),
              "qualitative evaluation of " + tracking);
}

/// Patient and study attributes of the source, copied over the SR's empty ones.
void copyPatientAndStudy(DcmItem &from, DcmItem &to) {
    const DcmTagKey keys[] = {DCM_SpecificCharacterSet, DCM_PatientName, DCM_PatientID, DCM_PatientBirthDate, DCM_PatientSex,
                              DCM_StudyDate, DCM_StudyTime, DCM_ReferringPhysicianName, DCM_StudyID, DCM_AccessionNumber,
                              DCM_StudyDescription, DCM_IssuerOfPatientID, DCM_PatientAge};
    for (const DcmTagKey &key : keys) {
        OFString value;
        if (from.findAndGetOFStringArray(key, value).good()) check(to.putAndInsertOFStringArray(key, value), "copying study attributes");
    }
}

void writeReport(const cdicom_sr_request &request) {
    std::vector<SourceImage> sources = cdicom::readSources(request.source_paths, request.source_count);
    const cdicom_object_identity &id = request.identity;
    DcmFileFormat segFile;
    std::string segPath = required(request.segmentation_path, "segmentation path");
    check(segFile.loadFile(segPath.c_str()), "reading the segmentation " + segPath);
    DcmItem &segmentation = *segFile.getDataset();
    std::string segmentedSeries = required(request.segmented_series_uid, "segmented series UID");

    TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
    check(report.setLanguage(CID5000_Languages::English, CID5001_Countries::UnitedStates), "language");
    check(report.getObservationContext().addDeviceObserver(required(request.device_observer_uid, "device observer UID").c_str(),
                                                           required(request.device_observer_name, "device name").c_str(),
                                                           id.manufacturer, id.model_name, id.device_serial_number),
          "device observer");
    check(report.addProcedureReported(CMR_CID100::CTUnspecifiedBodyRegion), "procedure reported");
    check(report.getImageLibrary().createNewImageLibrary(), "image library");
    check(report.getImageLibrary().addImageGroup(), "image library group");
    for (const SourceImage &source : sources)
        if (source.seriesInstance == segmentedSeries)
            check(report.getImageLibrary().addImageEntry(source.dataset(), TID1600_ImageLibrary::withAllDescriptors),
                  "image library entry " + source.path);
    if (request.groups == nullptr || request.group_count == 0) throw WriteError{"no measurement groups"};
    for (size_t g = 0; g < request.group_count; ++g) addGroup(report, request.groups[g], segmentation, segmentedSeries);

    DSRDocument document(DSRTypes::DT_EnhancedSR);
    check(document.setTreeFromRootTemplate(report, OFTrue /* expand included templates */), "building the content tree");
    check(document.createNewSeriesInStudy(sources.front().studyInstance.c_str()), "series in the source study");
    check(document.setSeriesDescription(required(id.series_description, "series description").c_str()), "series description");
    check(document.setSeriesNumber(std::to_string(id.series_number).c_str()), "series number");
    check(document.setInstanceNumber(std::to_string(id.instance_number).c_str()), "instance number");
    check(document.setManufacturer(required(id.manufacturer, "manufacturer").c_str()), "manufacturer");
    check(document.setManufacturerModelName(required(id.model_name, "model name").c_str()), "model name");
    check(document.setDeviceSerialNumber(required(id.device_serial_number, "serial number").c_str()), "serial number");
    check(document.setSoftwareVersions(required(id.software_versions, "software versions").c_str()), "software versions");
    check(document.setContentDate(required(id.content_date, "content date").c_str()), "content date");
    check(document.setContentTime(required(id.content_time, "content time").c_str()), "content time");
    for (const SourceImage &source : sources)
        check(document.getCurrentRequestedProcedureEvidence().addItem(source.dataset()), "evidence " + source.path);
    check(document.getCurrentRequestedProcedureEvidence().addItem(segmentation), "evidence (segmentation)");

    DcmFileFormat file;
    DcmDataset &out = *file.getDataset();
    check(document.write(out), "encoding the report");
    copyPatientAndStudy(sources.front().dataset(), out);
    cdicom::addCodingSchemes(out, request.schemes, request.scheme_count);
    // Fixed identity and creation time for reproducible files (DCMTK generates both).
    check(out.putAndInsertString(DCM_SeriesInstanceUID, required(id.series_instance_uid, "series UID").c_str()), "series UID");
    check(out.putAndInsertString(DCM_SOPInstanceUID, required(id.sop_instance_uid, "SOP UID").c_str()), "SOP UID");
    check(out.putAndInsertString(DCM_InstanceCreationDate, id.content_date), "creation date");
    check(out.putAndInsertString(DCM_InstanceCreationTime, id.content_time), "creation time");
    cdicom::saveAtomically(file, request.output_path);
}

}  // namespace

extern "C" int cdicom_write_measurement_report(const cdicom_sr_request *request, char *message, size_t capacity) {
    if (request == nullptr) return cdicom::fail(message, capacity, "no request");
    return cdicom::guardedWrite(message, capacity, [&] { writeReport(*request); });
}
