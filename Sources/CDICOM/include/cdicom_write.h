/* CDICOM writers: DICOM Segmentation (binary) and TID 1500 measurement report SR objects through DCMTK's
 * dcmseg and dcmsr/cmr. Internal to Hepatix (hosts use include/hepatix.h). Every function catches C++
 * exceptions and returns non-zero with a message on failure; a failed call leaves no output file. */
#ifndef HEPATIX_CDICOM_WRITE_H
#define HEPATIX_CDICOM_WRITE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A coded concept (PS3.3 Code Sequence Macro): value, coding scheme designator, meaning. */
typedef struct cdicom_code {
    const char *value, *scheme, *meaning;
} cdicom_code;

/** What identifies a new object and the equipment that made it. All strings are required. */
typedef struct cdicom_object_identity {
    const char *series_instance_uid, *sop_instance_uid;
    const char *series_description;
    int32_t series_number, instance_number;
    const char *content_date, *content_time; /* DA (YYYYMMDD) and TM (HHMMSS): callers fix them for reproducible files */
    const char *manufacturer, *model_name, *device_serial_number, *software_versions;
} cdicom_object_identity;

/** A private coding scheme used by the object, described in its Coding Scheme Identification Sequence. */
typedef struct cdicom_coding_scheme {
    const char *designator, *name, *responsible_organization, *version;
} cdicom_coding_scheme;

/** One segment of a binary segmentation. `mask` holds one byte per voxel (non-zero = inside) for every
 *  source image in the request's order: source_count * rows * columns bytes. */
typedef struct cdicom_segment {
    const char *label, *description;
    cdicom_code category, type;
    const char *algorithm_name, *algorithm_version;
    uint16_t cielab[3];          /* Recommended Display CIELab Value (DICOM scaled 0..65535) */
    const char *tracking_id, *tracking_uid;
    const uint8_t *mask;
} cdicom_segment;

/** A binary DICOM SEG over the single-frame images of one series (`source_paths`, in mask slice order).
 *  Patient, study and frame of reference are copied from the first source; each frame carries the source
 *  image's own Image Position (Patient) and a derivation reference to it (spatial locations preserved).
 *  Frames are written for the slices where a segment is present (one empty frame for an empty segment). */
typedef struct cdicom_seg_request {
    const char *const *source_paths;
    size_t source_count;
    const cdicom_segment *segments;
    size_t segment_count;
    cdicom_object_identity identity;
    const char *content_label, *content_description, *content_creator;
    const char *dimension_organization_uid;
    const cdicom_coding_scheme *schemes;
    size_t scheme_count;
    const char *output_path;
} cdicom_seg_request;

/** Writes the segmentation file; non-zero with a message on failure (sizes disagree, unreadable sources,
 *  sources of different sizes or series, DCMTK refusing the object). */
int cdicom_write_segmentation(const cdicom_seg_request *request, char *message, size_t capacity);

/** One numeric measurement (TID 1419 row): concept, value with UCUM units, optional derivation "Mean"
 *  and an optional modifier (concept + value, e.g. the contrast phase the mean was taken in). */
typedef struct cdicom_measurement {
    cdicom_code concept, units;
    double value;
    int derivation_mean;
    cdicom_code modifier_concept, modifier_value; /* modifier_value.value NULL: no modifier */
} cdicom_measurement;

/** One TID 1411 volumetric ROI measurement group: a finding tied to one segment of the SEG. */
typedef struct cdicom_measurement_group {
    const char *tracking_id, *tracking_uid;
    cdicom_code finding, finding_site;
    uint16_t segment_number;
    const cdicom_measurement *measurements;
    size_t measurement_count;
    const cdicom_code *evaluation_concepts, *evaluation_values; /* qualitative evaluations, pairwise */
    size_t evaluation_count;
} cdicom_measurement_group;

/** A TID 1500 Enhanced SR measurement report on a SEG written by cdicom_write_segmentation. Evidence
 *  lists every source image and the SEG; the image library lists the segmented series' images. */
typedef struct cdicom_sr_request {
    const char *const *source_paths;          /* images the measurements were taken on (all phases) */
    size_t source_count;
    const char *segmentation_path;
    const char *segmented_series_uid;         /* the series the SEG was drawn on */
    const cdicom_measurement_group *groups;
    size_t group_count;
    const cdicom_coding_scheme *schemes;
    size_t scheme_count;
    cdicom_object_identity identity;
    const char *device_observer_uid, *device_observer_name;
    const char *output_path;
} cdicom_sr_request;

/** Writes the SR file; non-zero with a message on failure. */
int cdicom_write_measurement_report(const cdicom_sr_request *request, char *message, size_t capacity);

/** An RGB Secondary Capture image (key slice with overlays) in the study of `source_path`: patient, study
 *  and frame of reference copied from that image, which is also referenced as the source. */
typedef struct cdicom_sc_request {
    const char *source_path;
    const uint8_t *rgb;            /* rows * columns * 3 bytes, colour-by-pixel */
    uint32_t rows, columns;
    const char *image_comments;    /* what the picture shows (e.g. "L1 in 3 phases, ROI outlined") */
    cdicom_object_identity identity;
    const char *output_path;
} cdicom_sc_request;

/** Writes the Secondary Capture file; non-zero with a message on failure. */
int cdicom_write_secondary_capture(const cdicom_sc_request *request, char *message, size_t capacity);

#ifdef __cplusplus
}
#endif
#endif
