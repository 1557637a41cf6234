/* The inference part of the C consumer: a tiny Conv+ReLU ONNX model (tools/onnx/make_tiny_model.py, with
 * its expected output computed in numpy) loaded from a file and from memory, planned and run, plus the
 * refusals: missing file, garbage bytes, bf16, too small an output buffer, NaN input, NULLs. */
#include "checks.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t read_file(const char *path, void *buffer, size_t capacity) {
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    size_t n = fread(buffer, 1, capacity, f);
    fclose(f);
    return n;
}

void inference_checks(hx_context *ctx, const char *dir) {
    CHECK(dir != NULL, "HEPATIX_TINY_MODEL is set");
    if (dir == NULL) return;
    char path[4096];
    hx_model *model = NULL;
    EXPECT_STATUS(hx_model_load_file(ctx, "/nonexistent/model.onnx", &model), HX_ERR_IO);
    const char garbage[] = "this is not a protobuf at all";
    EXPECT_STATUS(hx_model_load_memory(ctx, garbage, sizeof garbage, &model), HX_ERR_INVALID_ARGUMENT);
    snprintf(path, sizeof path, "%s/tiny_conv.onnx", dir);
    EXPECT_STATUS(hx_model_load_file(ctx, path, &model), HX_OK);
    CHECK(hx_model_input_count(model) == 1 && hx_model_output_count(model) == 1, "one input, one output");
    const char *name = NULL;
    int64_t dims[8];
    size_t rank = 0;
    EXPECT_STATUS(hx_model_value_info(ctx, model, 0, 0, &name, dims, 8, &rank), HX_OK);
    CHECK(name && strcmp(name, "x") == 0 && rank == 4 && dims[2] == 5 && dims[3] == 6, "input x of 1x1x5x6");
    EXPECT_STATUS(hx_model_value_info(ctx, model, 1, 1, &name, dims, 8, &rank), HX_ERR_INVALID_ARGUMENT);

    static unsigned char bytes[1 << 16];
    size_t size = read_file(path, bytes, sizeof bytes);
    hx_model *again = NULL;
    EXPECT_STATUS(hx_model_load_memory(ctx, bytes, size, &again), HX_OK);
    EXPECT_STATUS(hx_model_load_memory(ctx, bytes, size / 2, &again), HX_ERR_INVALID_ARGUMENT);

    hx_inference_plan *plan = NULL;
    EXPECT_STATUS(hx_model_plan_create(ctx, model, 2, (hx_precision)7, &plan), HX_ERR_INVALID_ARGUMENT);
    float x[30], expected[60], y[60];
    snprintf(path, sizeof path, "%s/tiny_input.f32", dir);
    CHECK(read_file(path, x, sizeof x) == sizeof x, "tiny input read");
    snprintf(path, sizeof path, "%s/tiny_expected.f32", dir);
    CHECK(read_file(path, expected, sizeof expected) == sizeof expected, "tiny expected output read");
    const int64_t shape[4] = {1, 1, 5, 6};
    /* The model's only convolution is a first layer (one input channel), which every precision computes in
     * float32; bf16 is HX_ERR_UNSUPPORTED on a CPU without AVX512_BF16. */
    const hx_precision precisions[3] = {HX_PRECISION_FP32, HX_PRECISION_FP32_WINOGRAD, HX_PRECISION_BF16};
    for (int p = 0; p < 3; p++) {
        hx_status status = hx_model_plan_create(ctx, model, 2, precisions[p], &plan);
        if (precisions[p] == HX_PRECISION_BF16 && status == HX_ERR_UNSUPPORTED) continue;
        EXPECT_STATUS(status, HX_OK);
        if (status != HX_OK) continue;
        size_t count = 0, out_rank = 0;
        int64_t out_dims[8];
        EXPECT_STATUS(hx_inference_plan_run(ctx, plan, x, shape, 4, y, 10, &count, out_dims, &out_rank), HX_ERR_SIZE_MISMATCH);
        CHECK(count == 60, "needed output count reported");
        EXPECT_STATUS(hx_inference_plan_run(ctx, plan, x, shape, 4, y, 60, &count, out_dims, &out_rank), HX_OK);
        CHECK(out_rank == 4 && out_dims[1] == 2 && out_dims[3] == 6, "output 1x2x5x6");
        double worst = 0;
        for (int i = 0; i < 60; i++) worst = fmax(worst, fabs((double)y[i] - expected[i]));
        /* 9 products in float32 against float64: 1e-5 is ~100x the rounding error of values of order 1. */
        CHECK(worst < 1e-5, "output equals numpy's");
        float bad[30];
        memcpy(bad, x, sizeof bad);
        bad[3] = NAN;
        EXPECT_STATUS(hx_inference_plan_run(ctx, plan, bad, shape, 4, y, 60, &count, out_dims, &out_rank), HX_ERR_NON_FINITE_DATA);
        EXPECT_STATUS(hx_inference_plan_run(ctx, plan, NULL, shape, 4, y, 60, &count, out_dims, &out_rank), HX_ERR_NULL_ARGUMENT);
        hx_inference_plan_destroy(plan);
    }
    hx_inference_plan_destroy(NULL);
    hx_model_destroy(again);
    hx_model_destroy(model);
    hx_model_destroy(NULL);
}

static int32_t cancel_after_two(double fraction, void *user) {
    (void)fraction;
    int *calls = (int *)user;
    return ++*calls >= 2;
}

static int32_t count_windows(double fraction, void *user) {
    (void)fraction;
    ++*(int *)user;
    return 0;
}

void window_checks(hx_context *ctx, const char *dir) {
    if (dir == NULL) return;
    char path[4096];
    snprintf(path, sizeof path, "%s/tiny_conv.onnx", dir);
    hx_model *model = NULL;
    hx_inference_plan *plan = NULL;
    EXPECT_STATUS(hx_model_load_file(ctx, path, &model), HX_OK);
    EXPECT_STATUS(hx_model_plan_create(ctx, model, 1, HX_PRECISION_FP32, &plan), HX_OK);
    float x[30], y[60];
    for (int i = 0; i < 30; i++) x[i] = (float)(i % 7) / 7.0f;
    const int64_t shape[4] = {1, 1, 5, 6}, patch[2] = {4, 4}, too_big[2] = {6, 6};
    size_t count = 0, rank = 0;
    int64_t dims[8];
    int calls = 0;
    EXPECT_STATUS(hx_inference_plan_run_windows(ctx, plan, x, shape, 4, patch, 0.5, count_windows, &calls, y, 60, &count, dims, &rank), HX_OK);
    CHECK(calls == 4 && count == 60 && rank == 4 && dims[1] == 2, "4 windows (2 x 2) cover 5 x 6, output 1 x 2 x 5 x 6");
    calls = 0;
    EXPECT_STATUS(hx_inference_plan_run_windows(ctx, plan, x, shape, 4, patch, 0.5, cancel_after_two, &calls, y, 60, &count, dims, &rank),
                  HX_ERR_CANCELLED);
    EXPECT_STATUS(hx_inference_plan_run_windows(ctx, plan, x, shape, 4, too_big, 0.5, NULL, NULL, y, 60, &count, dims, &rank),
                  HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_inference_plan_run_windows(ctx, plan, x, shape, 4, patch, 1.0, NULL, NULL, y, 60, &count, dims, &rank),
                  HX_ERR_INVALID_ARGUMENT);
    hx_inference_plan_destroy(plan);
    hx_model_destroy(model);
}
