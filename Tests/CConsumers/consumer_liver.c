/* The liver part of the C consumer: analyse the built-in phantom study (seed 1) with progress, read the
 * lesions, their categories and sentences and the written files; cancel from the progress callback; options
 * with the shipped denoiser; refuse bad requests (NULLs, dose out of range, missing portal venous phase, a
 * repeated phase, a missing model). */
#include <math.h>
#include "checks.h"

#include <stdlib.h>
#include <string.h>

typedef struct { int calls; int cancel_at; double last; } progress_state;

static int32_t on_progress(double fraction, void *user_data) {
    progress_state *state = (progress_state *)user_data;
    state->calls++;
    state->last = fraction;
    return state->cancel_at > 0 && state->calls >= state->cancel_at;
}

void liver_checks(hx_context *ctx, const char *out_dir) {
    CHECK(out_dir != NULL, "HEPATIX_LIVER_OUT is set");
    if (out_dir == NULL) return;
    hx_liver_result *result = NULL;
    progress_state state = {0, 0, 0};
    EXPECT_STATUS(hx_liver_analyze_phantom(ctx, 1, 1.0, out_dir, on_progress, &state, &result), HX_OK);
    CHECK(state.calls >= 5 && state.last == 1.0, "progress reported through to the end");
    double liver_ml = 0;
    size_t lesions = 0;
    EXPECT_STATUS(hx_liver_result_summary(ctx, result, &liver_ml, &lesions), HX_OK);
    /* The default phantom's liver is about 1.8 L and holds four lesions (two of them metastases). */
    CHECK(liver_ml > 1000 && liver_ml < 3000, "liver volume in mL");
    CHECK(lesions >= 3, "lesions found");
    double segments = 0;
    for (int32_t s = 1; s <= 8; s++) {
        double v = 0;
        EXPECT_STATUS(hx_liver_segment_volume(ctx, result, s, &v), HX_OK);
        segments += v;
    }
    CHECK(segments > 0.9 * liver_ml && segments <= liver_ml + 1e-6, "segments add up to the liver");
    EXPECT_STATUS(hx_liver_segment_volume(ctx, result, 9, &segments), HX_ERR_INVALID_ARGUMENT);
    for (size_t i = 0; i < lesions; i++) {
        int32_t segment = 0;
        double long_mm = 0, short_mm = 0, ml = 0, confidence = -1;
        const char *category = NULL, *sentence = NULL;
        EXPECT_STATUS(hx_liver_lesion_info(ctx, result, i, &segment, &long_mm, &short_mm, &ml, &confidence, &category, &sentence), HX_OK);
        CHECK(segment >= 1 && segment <= 8 && long_mm >= short_mm && short_mm > 0 && ml > 0, "lesion measurements");
        CHECK(confidence >= 0 && confidence <= 1, "confidence in [0, 1]");
        CHECK(category != NULL && strncmp(category, "LR-", 3) == 0, "LI-RADS category");
        CHECK(sentence != NULL && strstr(sentence, category) != NULL, "the sentence names the category");
        printf("  lesion %zu: %s\n", i + 1, sentence ? sentence : "(none)");
    }
    EXPECT_STATUS(hx_liver_lesion_info(ctx, result, lesions, NULL, NULL, NULL, NULL, NULL, NULL, NULL), HX_ERR_INVALID_ARGUMENT);
    /* Future liver remnants of the five standard resections, right hepatectomy first. */
    size_t remnants = hx_liver_remnant_count(result);
    CHECK(remnants == 5, "five standard resections");
    for (size_t i = 0; i < remnants; i++) {
        const char *name = NULL, *sentence = NULL;
        double remnant_ml = -1, fraction = -1;
        size_t left = 99;
        EXPECT_STATUS(hx_liver_remnant_info(ctx, result, i, &name, &remnant_ml, &fraction, &left, &sentence), HX_OK);
        CHECK(name != NULL && sentence != NULL && remnant_ml > 0 && remnant_ml < liver_ml && fraction > 0 && fraction < 1 && left <= lesions,
              "remnant volume, fraction and lesions left");
        if (i == 0) CHECK(name != NULL && strcmp(name, "right hepatectomy") == 0, "right hepatectomy first");
        printf("  remnant %zu: %s\n", i + 1, sentence ? sentence : "(none)");
    }
    EXPECT_STATUS(hx_liver_remnant_info(ctx, result, remnants, NULL, NULL, NULL, NULL, NULL), HX_ERR_INVALID_ARGUMENT);
    CHECK(hx_liver_remnant_count(NULL) == 0, "NULL result has no remnants");
    const char *json = NULL;
    EXPECT_STATUS(hx_liver_result_json(ctx, result, &json), HX_OK);
    CHECK(json != NULL && strstr(json, "\"lesions\"") != NULL, "JSON result");
    CHECK(hx_liver_output_count(result) >= 7, "report, JSON, timing and NIfTI files written");
    const char *path = NULL;
    EXPECT_STATUS(hx_liver_output_path(ctx, result, 0, &path), HX_OK);
    FILE *report = path ? fopen(path, "r") : NULL;
    CHECK(report != NULL && strstr(path, "report.html") != NULL, "the report exists");
    if (report) fclose(report);
    EXPECT_STATUS(hx_liver_output_path(ctx, result, 99, &path), HX_ERR_INVALID_ARGUMENT);
    hx_liver_result_destroy(result);

    /* Cancel at the second stage: no result, HX_ERR_CANCELLED. */
    hx_liver_result *cancelled = NULL;
    progress_state stop = {0, 2, 0};
    EXPECT_STATUS(hx_liver_analyze_phantom(ctx, 1, 1.0, NULL, on_progress, &stop, &cancelled), HX_ERR_CANCELLED);
    CHECK(cancelled == NULL && stop.calls == 2, "cancelled after the second stage");

    /* Options: the shipped denoiser loads (found beside the library or in the source tree); a denoised analysis
     * reports per-slice progress inside its first tenth and can be cancelled there. */
    hx_liver_options *options = NULL;
    EXPECT_STATUS(hx_liver_options_create(ctx, &options), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_denoise(ctx, options, 1, "/nonexistent/denoiser.onnx"), HX_ERR_IO);
    EXPECT_STATUS(hx_liver_options_set_denoise(ctx, NULL, 1, NULL), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_denoise_strength(ctx, options, 1.5), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_denoise_strength(ctx, options, NAN), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_denoise_strength(NULL, options, 0.5), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_denoise_strength(ctx, options, 0.5), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_denoise(ctx, options, 1, NULL), HX_OK);
    progress_state denoising = {0, 3, 0};
    EXPECT_STATUS(hx_liver_analyze_phantom_v2(ctx, 1, 0.33, options, NULL, on_progress, &denoising, &cancelled), HX_ERR_CANCELLED);
    CHECK(cancelled == NULL && denoising.calls == 3 && denoising.last > 0 && denoising.last < 0.1, "cancelled while denoising slices");
    EXPECT_STATUS(hx_liver_options_set_denoise(ctx, options, 0, NULL), HX_OK);

    /* The CNN liver path: a missing model is an I/O error; a model of another interface (the denoiser gives one
     * channel, not two) is refused; switching it off always works. */
    EXPECT_STATUS(hx_liver_options_set_liver_network(ctx, options, 1, "/nonexistent/liver.onnx"), HX_ERR_IO);
    EXPECT_STATUS(hx_liver_options_set_liver_network(ctx, NULL, 1, NULL), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_liver_network(ctx, options, 0, NULL), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_lesion_network(ctx, options, 1, "/nonexistent/lesions.onnx"), HX_ERR_IO);
    EXPECT_STATUS(hx_liver_options_set_lesion_network(ctx, NULL, 1, NULL), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_lesion_network(ctx, options, 0, NULL), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_acquired_seeds(ctx, NULL, 1), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_acquired_seeds(ctx, options, 1), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_lesions_on_acquired(ctx, NULL, 1), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_set_lesions_on_acquired(ctx, options, 1), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_lesions_on_acquired(ctx, options, 0), HX_OK);
    EXPECT_STATUS(hx_liver_options_set_lesions_on_acquired(ctx, options, -1), HX_OK); /* by the noise origin again */

    /* A planned resection of segments V and VI is reported after the standard ones; bad plans are refused. */
    const int32_t bisegment[3] = {5, 6, 6}, ninth[2] = {5, 9}, all[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_STATUS(hx_liver_options_add_resection(ctx, options, "bad", ninth, 2), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_add_resection(ctx, options, "bad", all, 8), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_add_resection(ctx, options, "bad", bisegment, 0), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_add_resection(ctx, options, "bad", NULL, 2), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_options_add_resection(ctx, options, "bisegmentectomy V-VI", bisegment, 3), HX_OK);
    hx_liver_result *planned = NULL;
    EXPECT_STATUS(hx_liver_analyze_phantom_v2(ctx, 1, 1.0, options, NULL, NULL, NULL, &planned), HX_OK);
    CHECK(hx_liver_remnant_count(planned) == 6, "the planned resection follows the five standard ones");
    const char *planned_name = NULL, *planned_sentence = NULL;
    double planned_fraction = 0;
    EXPECT_STATUS(hx_liver_remnant_info(ctx, planned, 5, &planned_name, NULL, &planned_fraction, NULL, &planned_sentence), HX_OK);
    CHECK(planned_name != NULL && strcmp(planned_name, "bisegmentectomy V-VI") == 0, "the planned resection's name");
    CHECK(planned_sentence != NULL && strstr(planned_sentence, "(segments V, VI)") != NULL && planned_fraction > 0.5,
          "a bisegmentectomy leaves most of the liver");
    hx_liver_result_destroy(planned);
    hx_liver_options_destroy(options);
    hx_liver_options_destroy(NULL);

    EXPECT_STATUS(hx_liver_analyze_phantom(ctx, 1, 0.0, NULL, NULL, NULL, &cancelled), HX_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(hx_liver_analyze_phantom(ctx, 1, 1.0, NULL, NULL, NULL, NULL), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_analyze_phantom(NULL, 1, 1.0, NULL, NULL, NULL, &cancelled), HX_ERR_NULL_ARGUMENT);
    const hx_volume *none[1] = {NULL};
    int32_t arterial[1] = {HX_PHASE_ARTERIAL};
    EXPECT_STATUS(hx_liver_analyze(ctx, none, arterial, 1, NULL, NULL, NULL, &cancelled), HX_ERR_NULL_ARGUMENT);
    EXPECT_STATUS(hx_liver_analyze(ctx, none, arterial, 0, NULL, NULL, NULL, &cancelled), HX_ERR_INVALID_ARGUMENT);
    int32_t unknown[1] = {7};
    EXPECT_STATUS(hx_liver_analyze(ctx, none, unknown, 1, NULL, NULL, NULL, &cancelled), HX_ERR_INVALID_ARGUMENT);
    CHECK(hx_liver_output_count(NULL) == 0, "NULL result has no outputs");
    hx_liver_result_destroy(NULL);
}

/* The portal-venous-only path on a loaded DICOM volume that is not an abdomen: a clear refusal, not a crash. */
void liver_refuses_non_abdomen(hx_context *ctx, const hx_volume *volume) {
    hx_liver_result *result = NULL;
    const hx_volume *phases[2] = {volume, volume};
    int32_t kinds[2] = {HX_PHASE_PORTAL_VENOUS, HX_PHASE_PORTAL_VENOUS};
    EXPECT_STATUS(hx_liver_analyze(ctx, phases, kinds, 2, NULL, NULL, NULL, &result), HX_ERR_INVALID_ARGUMENT);
    int32_t arterial_only[1] = {HX_PHASE_ARTERIAL};
    EXPECT_STATUS(hx_liver_analyze(ctx, phases, arterial_only, 1, NULL, NULL, NULL, &result), HX_ERR_INVALID_ARGUMENT);
    hx_status s = hx_liver_analyze(ctx, phases, kinds, 1, NULL, NULL, NULL, &result);
    CHECK(s == HX_OK || s == HX_ERR_INVALID_ARGUMENT, "a non-abdominal series is analysed or refused with a message");
    if (s != HX_OK) printf("  non-abdominal series refused: %s\n", hx_context_last_error(ctx));
    hx_liver_result_destroy(result);
}
