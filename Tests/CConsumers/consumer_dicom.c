/* The DICOM part of the C consumer: scan a generated 3-phase study, load the portal venous series, write
 * a SEG of two thresholded regions and a TID 1500 SR about them, and refuse bad requests. The written
 * files are judged afterwards by ../shared/peers/dicom/validate_dicom_outputs.py (see the Makefile). */
#include "checks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dicom_checks(hx_context *ctx, const char *study_dir, const char *out_dir) {
    CHECK(study_dir != NULL && out_dir != NULL, "HEPATIX_DICOM_STUDY and HEPATIX_DICOM_OUT are set");
    if (study_dir == NULL || out_dir == NULL) return;
    hx_dicom_scan *scan = NULL;
    EXPECT_STATUS(hx_dicom_scan_path(ctx, "/nonexistent/hepatix", &scan), HX_ERR_IO);
    EXPECT_STATUS(hx_dicom_scan_path(ctx, NULL, &scan), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_dicom_scan_path(ctx, study_dir, &scan), HX_OK);
    CHECK(hx_dicom_scan_series_count(scan) == 3, "three series");
    CHECK(hx_dicom_scan_refused_count(scan) == 3, "truth.json, truth.npz and the raw labels refused");
    size_t portal = 99;
    for (size_t i = 0; i < hx_dicom_scan_series_count(scan); i++) {
        const char *modality = NULL, *phase = NULL;
        int64_t images = 0;
        EXPECT_STATUS(hx_dicom_series_info(ctx, scan, i, NULL, NULL, &modality, NULL, &phase, &images), HX_OK);
        CHECK(modality && strcmp(modality, "CT") == 0 && images == 16, "CT series of 16 images");
        if (phase && strcmp(phase, "portal venous") == 0) portal = i;
    }
    CHECK(portal < 3, "a portal venous series");
    EXPECT_STATUS(hx_dicom_series_info(ctx, scan, 3, NULL, NULL, NULL, NULL, NULL, NULL), HX_ERR_INVALID_ARGUMENT);
    if (portal >= 3) { hx_dicom_scan_destroy(scan); return; }

    hx_volume *volume = NULL;
    EXPECT_STATUS(hx_dicom_load_series(ctx, scan, portal, &volume), HX_OK);
    int64_t nx = 0, ny = 0, nz = 0;
    double spacing[3], origin[3], direction[9];
    EXPECT_STATUS(hx_volume_size(ctx, volume, &nx, &ny, &nz), HX_OK);
    EXPECT_STATUS(hx_volume_geometry(ctx, volume, spacing, origin, direction), HX_OK);
    liver_refuses_non_abdomen(ctx, volume);
    CHECK(nx == 64 && ny == 64 && nz == 16, "64 x 64 x 16 voxels");
    CHECK(direction[0] == 1 && direction[4] == 1 && direction[8] == 1, "axial LPS axes");
    size_t n = (size_t)(nx * ny * nz);
    float *hu = malloc(sizeof(float) * n);
    unsigned char *labels = malloc(n);
    EXPECT_STATUS(hx_volume_copy_voxels(ctx, volume, hu, n - 1), HX_ERR_SIZE_MISMATCH);
    EXPECT_STATUS(hx_volume_copy_voxels(ctx, volume, hu, n), HX_OK);
    size_t counts[3] = {0, 0, 0};
    for (size_t k = 0; k < n; k++) {
        labels[k] = hu[k] > 200 ? 2 : (hu[k] > 40 && hu[k] < 200 ? 1 : 0);
        counts[labels[k]]++;
    }
    CHECK(counts[1] > 0 && counts[2] > 0, "both regions present");

    char seg[4096], sr[4096];
    snprintf(seg, sizeof seg, "%s/c-seg.dcm", out_dir);
    snprintf(sr, sizeof sr, "%s/c-sr.dcm", out_dir);
    const int32_t kinds[2] = {HX_SEGMENT_LIVER, HX_SEGMENT_LESION};
    const char *names[2] = {"Liver", "L1"};
    EXPECT_STATUS(hx_dicom_write_segmentation(ctx, scan, portal, labels, n - 1, kinds, names, 2, seg), HX_ERR_SIZE_MISMATCH);
    EXPECT_STATUS(hx_dicom_write_segmentation(ctx, scan, portal, labels, n, kinds, names, 1, seg), HX_ERR_INVALID_ARGUMENT);
    const int32_t bad_kinds[2] = {HX_SEGMENT_LIVER, 77};
    EXPECT_STATUS(hx_dicom_write_segmentation(ctx, scan, portal, labels, n, bad_kinds, names, 2, seg), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_dicom_write_segmentation(ctx, scan, portal, labels, n, kinds, names, 2, NULL), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_dicom_write_segmentation(ctx, scan, portal, labels, n, kinds, names, 2, seg), HX_OK);

    hx_report *report = NULL;
    size_t liver = 9, lesion = 9;
    EXPECT_STATUS(hx_report_create(ctx, &report), HX_OK);
    EXPECT_STATUS(hx_report_add_finding(ctx, report, "Liver", 1, HX_SEGMENT_LIVER, &liver), HX_OK);
    EXPECT_STATUS(hx_report_add_finding(ctx, report, "L1", 2, HX_SEGMENT_LESION, &lesion), HX_OK);
    EXPECT_STATUS(hx_report_add_finding(ctx, report, "", 2, HX_SEGMENT_LESION, NULL), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_report_add_finding(ctx, report, "L2", 0, HX_SEGMENT_LESION, NULL), HX_ERR_INVALID_ARGUMENT);
    CHECK(liver == 0 && lesion == 1, "finding indices");
    double voxel_ml = spacing[0] * spacing[1] * spacing[2] / 1000;
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, liver, HX_MEASURE_VOLUME_ML, counts[1] * voxel_ml, NULL), HX_OK);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, lesion, HX_MEASURE_VOLUME_ML, counts[2] * voxel_ml, NULL), HX_OK);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, lesion, HX_MEASURE_LONG_AXIS_MM, 21.5, NULL), HX_OK);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, lesion, HX_MEASURE_MEAN_HU, 240, "portal venous"), HX_OK);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, lesion, HX_MEASURE_MEAN_HU, 240, "venous-ish"), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, lesion, HX_MEASURE_LONG_AXIS_MM, NAN, NULL), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_report_add_measurement(ctx, report, 5, HX_MEASURE_LONG_AXIS_MM, 1, NULL), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_report_set_lirads(ctx, report, lesion, "LR-6"), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_report_set_lirads(ctx, report, lesion, "LR-4"), HX_OK);
    EXPECT_STATUS(hx_dicom_write_report(ctx, report, scan, portal, "/nonexistent/seg.dcm", sr), HX_ERR_IO);
    EXPECT_STATUS(hx_dicom_write_report(ctx, report, scan, portal, seg, sr), HX_OK);
    hx_report_destroy(report);
    hx_report_destroy(NULL);
    hx_volume_destroy(volume);
    hx_volume_destroy(NULL);
    hx_dicom_scan_destroy(scan);
    hx_dicom_scan_destroy(NULL);
    free(hu);
    free(labels);
}
