/* Pass/fail counting shared by the C consumer's files. */
#ifndef HEPATIX_CONSUMER_CHECKS_H
#define HEPATIX_CONSUMER_CHECKS_H

#include "hepatix.h"

#include <stdio.h>

extern int passed, failed;

#define CHECK(cond, what) do { if (cond) { passed++; } else { failed++; printf("FAIL %s (line %d)\n", what, __LINE__); } } while (0)
#define EXPECT_STATUS(call, expected) do { hx_status s_ = (call); \
    if (s_ == (expected)) { passed++; } else { failed++; printf("FAIL %s: got %d (%s), expected %d\n", #call, (int)s_, hx_status_string(s_), (int)(expected)); } } while (0)

/* DICOM through the C ABI on the study in `study_dir`, writing SEG and SR into `out_dir` (both required). */
void dicom_checks(hx_context *ctx, const char *study_dir, const char *out_dir);

/* CNN inference through the C ABI on the tiny model in `model_dir` (tools/onnx/make_tiny_model.py). */
void inference_checks(hx_context *ctx, const char *model_dir);

/* Sliding-window inference through the C ABI on the same tiny model: window count, cancel, refusals. */
void window_checks(hx_context *ctx, const char *model_dir);

/* The liver analysis through the C ABI on the built-in phantom, writing its outputs into `out_dir`. */
void liver_checks(hx_context *ctx, const char *out_dir);

/* hx_liver_analyze on a loaded series that is not an abdomen, and its phase refusals. */
void liver_refuses_non_abdomen(hx_context *ctx, const hx_volume *volume);

#endif
