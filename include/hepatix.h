/*
 * hepatix.h — the C ABI of Hepatix, a CPU engine for CT reconstruction and liver analysis.
 *
 * This header is the API: what is not declared here is not API. It is C99 and C++ compatible.
 *
 * Conventions
 *  - Every function that can fail returns hx_status (HX_OK == 0). Codes are numbered and never reused.
 *    hx_status_string() names a code; hx_context_last_error() gives the detailed message of the last
 *    failed call made with that context.
 *  - Objects are opaque handles made by hx_X_create(..., hx_X **out) and freed by hx_X_destroy(),
 *    which accepts NULL. On failure *out is left untouched and nothing leaks.
 *  - Caller-owned buffers are passed as a pointer plus an explicit element count, which is checked.
 *  - Geometry, grids, options and plans are immutable once made and may be shared across threads;
 *    a plan serialises concurrent executions. A context is used by one thread at a time.
 *  - No input makes the library abort the host process: NULL, zero/negative/overflowing sizes,
 *    mismatched buffer lengths and NaN parameters are refused with a status and a message.
 *  - Units: millimetres and radians. Arrays are row-major: projections [view][row][column],
 *    volumes [z][y][x].
 */
#ifndef HEPATIX_H
#define HEPATIX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------------------------------------
 * Versions and status
 * -------------------------------------------------------------------------------------------- */

#define HX_VERSION_MAJOR 0
#define HX_VERSION_MINOR 1
#define HX_VERSION_PATCH 0
/** The version as one number: major * 10000 + minor * 100 + patch. */
#define HX_VERSION_NUMBER (HX_VERSION_MAJOR * 10000 + HX_VERSION_MINOR * 100 + HX_VERSION_PATCH)

/** Result of every fallible call. Numbers are frozen once released. */
typedef enum hx_status {
    HX_OK = 0,                   /**< success */
    HX_ERR_NULL_ARGUMENT = 1,    /**< a required pointer was NULL */
    HX_ERR_INVALID_ARGUMENT = 2, /**< a value is out of range (size, count, distance, NaN, unknown enum) */
    HX_ERR_SIZE_MISMATCH = 3,    /**< a buffer's element count does not match what the object needs */
    HX_ERR_NON_FINITE_DATA = 4,  /**< input data holds NaN or infinity */
    HX_ERR_UNSUPPORTED = 5,      /**< a valid request this version cannot serve (e.g. tilted detector) */
    HX_ERR_CANCELLED = 6,        /**< the progress callback asked to stop */
    HX_ERR_OUT_OF_MEMORY = 7,    /**< an allocation failed or would be too large */
    HX_ERR_IO = 8,               /**< a file could not be read or written */
    HX_ERR_INTERNAL = 9          /**< a bug in Hepatix; the message says where */
} hx_status;

/** A static, human-readable name for a status ("invalid argument"); never NULL. */
const char *hx_status_string(hx_status status);

/** The runtime library's version number (HX_VERSION_NUMBER it was built with). */
int32_t hx_version(void);

/** The runtime library's version as a static string, e.g. "0.1.0". */
const char *hx_version_string(void);

/**
 * Build and machine facts as a static, multi-line string: version, CPU, the SIMD kernel tier in use
 * (scalar or avx2; HEPATIX_TIER=scalar forces the reference kernels), FFTW and OpenBLAS versions.
 */
const char *hx_build_info(void);

/* ----------------------------------------------------------------------------------------------
 * Context: thread count and error messages. One per calling thread.
 * -------------------------------------------------------------------------------------------- */

/** A per-thread session: worker-thread count and the last error message. */
typedef struct hx_context hx_context;

/** Creates a context with the default thread count (one worker per core). */
hx_status hx_context_create(hx_context **out);

/** Destroys a context; accepts NULL. */
void hx_context_destroy(hx_context *ctx);

/** Sets the worker threads used by plans created afterwards with ctx: 1..1024, or 0 for one per core. */
hx_status hx_context_set_threads(hx_context *ctx, int32_t threads);

/** The worker threads plans created with ctx will use; 0 if ctx is NULL. */
int32_t hx_context_threads(const hx_context *ctx);

/**
 * The message of the last failed call made with ctx ("" if none). Owned by ctx, valid until the next
 * call with ctx. Returns a static message if ctx is NULL.
 */
const char *hx_context_last_error(const hx_context *ctx);

/* ----------------------------------------------------------------------------------------------
 * Geometry: where the source and the detector are for every view.
 * -------------------------------------------------------------------------------------------- */

/** A scan geometry: detector size plus one source/detector pose per view. Immutable. */
typedef struct hx_geometry hx_geometry;

/** Beam shapes for hx_geometry_create_vectors. */
typedef enum hx_beam {
    HX_BEAM_PARALLEL = 0,  /**< parallel rays; the source vector is ignored */
    HX_BEAM_DIVERGENT = 1  /**< point source: fan (1 row) or cone beam */
} hx_beam;

/**
 * 2D parallel beam: view k at angle t_k = start + k * range / views measures the line integrals over
 * x cos t + y sin t = s, bin m at s = (m - (bins-1)/2) * bin_pitch.
 * Typical: range = pi, start = 0.
 */
hx_status hx_geometry_create_parallel2d(hx_context *ctx, int64_t views, int64_t bins, double bin_pitch,
                                        double angular_range, double start_angle, hx_geometry **out);

/**
 * 2D fan beam on a circle: at angle b the source is (R sin b, -R cos b), the central ray runs along
 * (-sin b, cos b), columns increase along (cos b, sin b). equiangular = 0: flat detector at distance
 * source_detector (column_pitch in mm); equiangular = 1: arc centred on the source (column_pitch is
 * the arc length at source_detector). range = 2 pi for a full scan; shorter scans (at least pi plus
 * the fan angle) get Parker weights.
 */
hx_status hx_geometry_create_fan2d(hx_context *ctx, int64_t views, int64_t columns, double column_pitch,
                                   double source_isocentre, double source_detector, int32_t equiangular,
                                   double angular_range, double start_angle, hx_geometry **out);

/** 3D circular cone beam with a flat panel: as the flat fan beam, detector rows along +z. */
hx_status hx_geometry_create_cone_circular(hx_context *ctx, int64_t views, int64_t columns, int64_t rows,
                                           double column_pitch, double row_pitch, double source_isocentre,
                                           double source_detector, double angular_range, double start_angle,
                                           hx_geometry **out);

/**
 * A general geometry from vectors, 16 doubles per view:
 * source[3], ray_direction[3] (unit), detector_centre[3], detector_u[3] (one column step),
 * detector_v[3] (one row step, orthogonal to u), angle (radians, monotone over views).
 * value_count must equal 16 * views.
 */
hx_status hx_geometry_create_vectors(hx_context *ctx, hx_beam beam, int64_t views, int64_t columns, int64_t rows,
                                     const double *values, size_t value_count, hx_geometry **out);

/** Number of views, detector columns and detector rows; 0 if g is NULL. */
int64_t hx_geometry_views(const hx_geometry *g);
int64_t hx_geometry_columns(const hx_geometry *g);
int64_t hx_geometry_rows(const hx_geometry *g);

/** Destroys a geometry; accepts NULL. */
void hx_geometry_destroy(hx_geometry *g);

/* ----------------------------------------------------------------------------------------------
 * Volume grid: where the reconstructed voxels are.
 * -------------------------------------------------------------------------------------------- */

/** A regular voxel grid: voxel (x=j, y=i, z=k) centred at centre + ((j-(nx-1)/2) sx, (i-(ny-1)/2) sy, (k-(nz-1)/2) sz). */
typedef struct hx_grid hx_grid;

/** Creates a grid of nx * ny * nz voxels (nz = 1 for 2D images) with spacing (mm) and centre (mm). */
hx_status hx_grid_create(hx_context *ctx, int64_t nx, int64_t ny, int64_t nz, double spacing_x, double spacing_y,
                         double spacing_z, double centre_x, double centre_y, double centre_z, hx_grid **out);

/** Number of voxels, 0 if grid is NULL. */
int64_t hx_grid_voxels(const hx_grid *grid);

/** Destroys a grid; accepts NULL. */
void hx_grid_destroy(hx_grid *grid);

/* ----------------------------------------------------------------------------------------------
 * Filtered backprojection options (FBP, fan-beam FBP, FDK).
 * -------------------------------------------------------------------------------------------- */

/** Settings of a filtered backprojection, set by key. */
typedef struct hx_fbp_options hx_fbp_options;

/** Option keys (numbered by area: 200s are reconstruction). */
typedef enum hx_fbp_option {
    HX_FBP_WINDOW = 201,  /**< int, an hx_window; default HX_WINDOW_RAM_LAK */
    HX_FBP_CUTOFF = 202   /**< double in (0, 1], fraction of Nyquist where the window ends; default 1 */
} hx_fbp_option;

/** Ramp-filter windows. */
typedef enum hx_window {
    HX_WINDOW_RAM_LAK = 0,     /**< pure ramp */
    HX_WINDOW_SHEPP_LOGAN = 1, /**< sinc */
    HX_WINDOW_COSINE = 2,
    HX_WINDOW_HAMMING = 3,
    HX_WINDOW_HANN = 4
} hx_window;

/** Creates options holding the defaults. */
hx_status hx_fbp_options_create(hx_context *ctx, hx_fbp_options **out);

/** Sets an integer option (HX_FBP_WINDOW). */
hx_status hx_fbp_options_set_int(hx_context *ctx, hx_fbp_options *options, hx_fbp_option key, int64_t value);

/** Sets a floating-point option (HX_FBP_CUTOFF). */
hx_status hx_fbp_options_set_double(hx_context *ctx, hx_fbp_options *options, hx_fbp_option key, double value);

/** Destroys options; accepts NULL. */
void hx_fbp_options_destroy(hx_fbp_options *options);

/* ----------------------------------------------------------------------------------------------
 * Reconstruction plans: plan once (FFT plans, weights, tables, workspaces), execute many times.
 * -------------------------------------------------------------------------------------------- */

/** A prepared reconstruction. Executing it allocates nothing. */
typedef struct hx_recon_plan hx_recon_plan;

/**
 * Progress callback: called on the executing thread with the fraction done in [0, 1].
 * Return 0 to continue, non-zero to cancel (the call then returns HX_ERR_CANCELLED).
 */
typedef int32_t (*hx_progress_fn)(double fraction, void *user_data);

/**
 * Plans a filtered backprojection of geometry onto grid: 2D parallel FBP, 2D fan-beam FBP (flat or
 * equiangular, full or Parker short scan) or FDK for cone beams. options may be NULL (defaults).
 * The plan uses hx_context_threads(ctx) workers and keeps no reference to ctx, geometry, grid or options.
 */
hx_status hx_fbp_plan_create(hx_context *ctx, const hx_geometry *geometry, const hx_grid *grid,
                             const hx_fbp_options *options, hx_recon_plan **out);

/** Iterative algorithms for hx_iterative_plan_create and hx_iterative_plan_create_v2. */
typedef enum hx_algorithm {
    HX_ALGORITHM_SIRT = 1,     /**< SIRT, x <- x + C A^T R (b - A x), on a matched projector pair */
    HX_ALGORITHM_CGLS = 2,     /**< conjugate gradients on the normal equations (ignores non_negative) */
    HX_ALGORITHM_OS_SART = 3,  /**< SIRT over ordered subsets of views (HX_ITER_SUBSETS, default 10) */
    HX_ALGORITHM_PWLS_TV = 4,  /**< penalised weighted least squares with a Huber (smoothed-TV) prior,
                                    separable quadratic surrogates (monotone), x >= 0 */
    HX_ALGORITHM_HYBRID = 5    /**< "hybrid IR": FBP (Hann) start, PWLS iterations, blend with the FBP image */
} hx_algorithm;

/**
 * Plans an iterative reconstruction of geometry onto grid with default settings except
 * iterations (0..100000) and non_negative (0 or 1: clamp the image at zero after each update).
 * Executed with hx_recon_plan_execute (starting from a zero image). The progress callback is called
 * after every iteration.
 */
hx_status hx_iterative_plan_create(hx_context *ctx, const hx_geometry *geometry, const hx_grid *grid,
                                   hx_algorithm algorithm, int32_t iterations, int32_t non_negative,
                                   hx_recon_plan **out);

/** Settings of an iterative reconstruction, set by key. */
typedef struct hx_iterative_options hx_iterative_options;

/** Option keys (300s: iterative reconstruction; 301-320 integers, 321-340 doubles). */
typedef enum hx_iterative_option {
    HX_ITER_ITERATIONS = 301,          /**< int 0..100000; default 50 */
    HX_ITER_NON_NEGATIVE = 302,        /**< int 0/1, clamp at zero after each update; default 1 */
    HX_ITER_SUBSETS = 303,             /**< int 1..views, ordered subsets: OS-SART, and for PWLS OS-SQS with Nesterov
                                            momentum (faster from zero, not monotone); default 1 (10 for OS-SART) */
    HX_ITER_FBP_WARM_START = 304,      /**< int 0/1, start from an FBP (Hann) image; default 0 */
    HX_ITER_STATISTICAL_WEIGHTS = 305, /**< int 0/1, PWLS weights exp(-b) (1) or uniform (0); default 1 */
    HX_ITER_PROJECTOR = 306,           /**< int, an hx_projector; default HX_PROJECTOR_JOSEPH */
    HX_ITER_RELAXATION = 321,          /**< double in (0, 2), SIRT/OS-SART step; default 1 */
    HX_ITER_BETA = 322,                /**< double >= 0, prior strength (PWLS, hybrid); default 60 */
    HX_ITER_DELTA = 323,               /**< double > 0, Huber threshold in 1/mm (PWLS, hybrid); default 5e-4 */
    HX_ITER_BLEND = 324,               /**< double in [0, 1], hybrid share of the iterative image; default 0.7 */
    HX_ITER_TOLERANCE = 325            /**< double >= 0: stop once the objective falls by less than this fraction
                                            in one iteration; default 0 (run every iteration) */
} hx_iterative_option;

/** Matched projector pairs. */
typedef enum hx_projector {
    HX_PROJECTOR_JOSEPH = 0,           /**< ray-driven Joseph, the fastest kernels this CPU runs */
    HX_PROJECTOR_JOSEPH_REFERENCE = 1, /**< the scalar Joseph reference (slow; for checks) */
    HX_PROJECTOR_JOSEPH_STRIP = 2      /**< Joseph averaged over sub-rays spread across each detector pixel
                                            (strip/area integral: models the detector aperture) */
} hx_projector;

/** Creates iterative options holding the defaults. */
hx_status hx_iterative_options_create(hx_context *ctx, hx_iterative_options **out);

/** Sets an integer option (HX_ITER_ITERATIONS ... HX_ITER_PROJECTOR). */
hx_status hx_iterative_options_set_int(hx_context *ctx, hx_iterative_options *options, hx_iterative_option key,
                                       int64_t value);

/** Sets a floating-point option (HX_ITER_RELAXATION ... HX_ITER_TOLERANCE). */
hx_status hx_iterative_options_set_double(hx_context *ctx, hx_iterative_options *options, hx_iterative_option key,
                                          double value);

/** Destroys options; accepts NULL. */
void hx_iterative_options_destroy(hx_iterative_options *options);

/**
 * Plans an iterative reconstruction with explicit settings (options may be NULL for the defaults).
 * The plan uses hx_context_threads(ctx) workers and keeps no reference to its arguments.
 */
hx_status hx_iterative_plan_create_v2(hx_context *ctx, const hx_geometry *geometry, const hx_grid *grid,
                                      hx_algorithm algorithm, const hx_iterative_options *options,
                                      hx_recon_plan **out);

/** Number of input floats (views * rows * columns) the plan expects; 0 if plan is NULL. */
size_t hx_recon_plan_input_count(const hx_recon_plan *plan);

/** Number of output floats (voxels) the plan writes; 0 if plan is NULL. */
size_t hx_recon_plan_output_count(const hx_recon_plan *plan);

/**
 * Reconstructs projections (line integrals, [view][row][column], input_count floats) into volume
 * ([z][y][x], output_count floats). progress may be NULL.
 * On HX_ERR_SIZE_MISMATCH or HX_ERR_NON_FINITE_DATA the volume is untouched; on HX_ERR_CANCELLED it
 * is zeroed.
 */
hx_status hx_recon_plan_execute(hx_context *ctx, hx_recon_plan *plan, const float *projections,
                                size_t projection_count, float *volume, size_t volume_count,
                                hx_progress_fn progress, void *user_data);

/** Destroys a plan; accepts NULL. */
void hx_recon_plan_destroy(hx_recon_plan *plan);

/* ----------------------------------------------------------------------------------------------
 * Low-dose simulation
 * -------------------------------------------------------------------------------------------- */

/**
 * Simulates a lower-dose scan from clean line integrals: counts ~ Poisson(i0 * dose * exp(-p)) plus
 * Gaussian electronic noise (sigma photons), back to -ln(max(counts, 0.5) / (i0 * dose)).
 * i0 > 0 photons per ray at full dose, sigma >= 0, dose in (0, 1]. The same seed gives the same bits
 * whatever the thread count. out_count must equal count; clean and out may not overlap.
 */
hx_status hx_simulate_low_dose(hx_context *ctx, const float *clean, size_t count, double i0, double sigma,
                               double dose, uint64_t seed, float *out, size_t out_count);

/* ----------------------------------------------------------------------------------------------
 * Radiomics (IBSI 1 features of an image region)
 * -------------------------------------------------------------------------------------------- */

/** Radiomics processing settings, set by key. */
typedef struct hx_radiomics_settings hx_radiomics_settings;

/** Option keys (400s: radiomics; 401-420 integers, 421-440 doubles). */
typedef enum hx_radiomics_option {
    HX_RAD_DISCRETISATION = 401, /**< int: 0 none (intensities are integer grey levels from 1), 1 fixed bin
                                      number, 2 fixed bin size; default 0 */
    HX_RAD_BIN_COUNT = 402,      /**< int 1..65536, bins for fixed bin number; default 32 */
    HX_RAD_BIN_WIDTH = 421,      /**< double > 0, bin width for fixed bin size; default 25 */
    HX_RAD_BIN_LOWER = 422,      /**< double, lower bound of the first fixed-size bin; default: the
                                      re-segmentation minimum if set, else the ROI minimum */
    HX_RAD_RANGE_MIN = 423,      /**< double, re-segmentation range minimum; default none */
    HX_RAD_RANGE_MAX = 424,      /**< double, re-segmentation range maximum; default none */
    HX_RAD_OUTLIER_SIGMA = 425,  /**< double > 0: drop ROI voxels beyond this many standard deviations
                                      (intersected with the range); 0 = off (default) */
    HX_RAD_IVH_STEP = 426        /**< double > 0: intensity-volume histogram on the intensities in this step
                                      (e.g. 1 for integer HU); 0 = on the grey levels (default) */
} hx_radiomics_option;

/** Creates settings holding the defaults. */
hx_status hx_radiomics_settings_create(hx_context *ctx, hx_radiomics_settings **out);

/** Sets an integer option (HX_RAD_DISCRETISATION, HX_RAD_BIN_COUNT). */
hx_status hx_radiomics_settings_set_int(hx_context *ctx, hx_radiomics_settings *settings, hx_radiomics_option key,
                                        int64_t value);

/** Sets a floating-point option (HX_RAD_BIN_WIDTH ... HX_RAD_IVH_STEP). */
hx_status hx_radiomics_settings_set_double(hx_context *ctx, hx_radiomics_settings *settings, hx_radiomics_option key,
                                           double value);

/** Destroys settings; accepts NULL. */
void hx_radiomics_settings_destroy(hx_radiomics_settings *settings);

/** Computed features: rows of (IBSI tag, IBSI code, aggregation, value). */
typedef struct hx_feature_table hx_feature_table;

/**
 * Computes the IBSI features of image (nx * ny * nz floats, x fastest) inside mask (same size, non-zero
 * = ROI) with voxel spacing in mm. settings may be NULL (defaults). Uses hx_context_threads(ctx) workers;
 * the result is bit-identical for every thread count. Values IBSI leaves undefined are NaN.
 * Errors: HX_ERR_INVALID_ARGUMENT (sizes, empty ROI, bad settings), HX_ERR_NON_FINITE_DATA (NaN in the ROI),
 * HX_ERR_OUT_OF_MEMORY (more than 268435456 voxels).
 */
hx_status hx_radiomics_compute(hx_context *ctx, const float *image, const uint8_t *mask, int64_t nx, int64_t ny,
                               int64_t nz, double spacing_x, double spacing_y, double spacing_z,
                               const hx_radiomics_settings *settings, hx_feature_table **out);

/** Number of rows; 0 if table is NULL. */
size_t hx_feature_table_count(const hx_feature_table *table);

/**
 * Row index of table: tag ("cm.joint.max"), code ("GYBY"), aggregation ("3D, merged"; "" for families
 * without) and value. The strings belong to the table. Any output pointer may be NULL.
 */
hx_status hx_feature_table_row(hx_context *ctx, const hx_feature_table *table, size_t index, const char **tag,
                               const char **code, const char **aggregation, double *value);

/** The value of the row with this IBSI code or tag and aggregation ("" for none); HX_ERR_INVALID_ARGUMENT
 *  if there is no such row. */
hx_status hx_feature_table_find(hx_context *ctx, const hx_feature_table *table, const char *code_or_tag,
                                const char *aggregation, double *value);

/** Destroys a table; accepts NULL. */
void hx_feature_table_destroy(hx_feature_table *table);

/* ----------------------------------------------------------------------------------------------
 * DICOM: find series in folders, load one as a volume, write Segmentation and TID 1500 SR objects
 * -------------------------------------------------------------------------------------------- */

/** What a folder scan found: series (grouped by study, contrast phases assigned) and refused files. Immutable. */
typedef struct hx_dicom_scan hx_dicom_scan;

/**
 * Scans path (a folder, searched recursively, a single file or a DICOMDIR) with hx_context_threads(ctx)
 * workers. Files that are not DICOM or cannot be parsed are counted in hx_dicom_scan_refused_count(), not
 * errors. Errors: HX_ERR_IO when path does not exist; HX_ERR_INVALID_ARGUMENT when it holds no DICOM at all.
 */
hx_status hx_dicom_scan_path(hx_context *ctx, const char *path, hx_dicom_scan **out);

/** Number of series found (all studies, in study then Series Number order); 0 if scan is NULL. */
size_t hx_dicom_scan_series_count(const hx_dicom_scan *scan);

/** Number of files refused; 0 if scan is NULL. */
size_t hx_dicom_scan_refused_count(const hx_dicom_scan *scan);

/**
 * Facts about series index: Study and Series Instance UIDs, Modality, Series Description, contrast phase
 * ("unenhanced", "arterial", "portal venous", "delayed", "unknown") and image count. Strings belong to the
 * scan. Any output pointer may be NULL.
 */
hx_status hx_dicom_series_info(hx_context *ctx, const hx_dicom_scan *scan, size_t index, const char **study_uid,
                               const char **series_uid, const char **modality, const char **description,
                               const char **phase, int64_t *images);

/** Destroys a scan; accepts NULL. */
void hx_dicom_scan_destroy(hx_dicom_scan *scan);

/** A scalar volume in patient space (LPS, mm), e.g. a CT series in HU. Immutable. */
typedef struct hx_volume hx_volume;

/**
 * Loads series index of scan into a volume: slices sorted along the normal, rescaled to HU, decoded with
 * hx_context_threads(ctx) workers. An unevenly spaced or gapped series is resampled onto its median
 * spacing (then hx_dicom_write_segmentation refuses it). Errors: HX_ERR_UNSUPPORTED (not an image series,
 * multi-frame), HX_ERR_IO (a slice cannot be decoded).
 */
hx_status hx_dicom_load_series(hx_context *ctx, const hx_dicom_scan *scan, size_t index, hx_volume **out);

/** Voxels along x (image rows), y (image columns) and z (slices). Any output pointer may be NULL. */
hx_status hx_volume_size(hx_context *ctx, const hx_volume *volume, int64_t *nx, int64_t *ny, int64_t *nz);

/**
 * Geometry in LPS mm: spacing[3] (x, y, z), origin[3] (centre of the first voxel) and direction[9] (the
 * unit x, y and z axes, three values each; z may be oblique for a gantry-tilted series). NULL arrays are skipped.
 */
hx_status hx_volume_geometry(hx_context *ctx, const hx_volume *volume, double *spacing, double *origin, double *direction);

/** Copies the voxels ([z][y][x] floats) into out, which must hold exactly nx * ny * nz values. */
hx_status hx_volume_copy_voxels(hx_context *ctx, const hx_volume *volume, float *out, size_t count);

/** Destroys a volume; accepts NULL. */
void hx_volume_destroy(hx_volume *volume);

/** What a segment of a DICOM SEG is (its coded category and type). */
typedef enum hx_segment_kind {
    HX_SEGMENT_LIVER = 1,          /**< SCT 10200004 Liver */
    HX_SEGMENT_LESION = 2,         /**< SCT 52988006 Lesion (a tracked liver observation) */
    HX_SEGMENT_COUINAUD_I = 11     /**< 11 ... 18: Couinaud segments I ... VIII (99HEPATIX codes) */
} hx_segment_kind;

/**
 * Writes a binary DICOM Segmentation of series index of scan to path. labels holds one byte per voxel of
 * the loaded series ([z][y][x], count = nx * ny * nz): 0 background, k in 1..segment_count the segment
 * described by kinds[k-1] and names[k-1]. Frames reference the source slices with their positions; patient
 * and study come from the source. Errors: HX_ERR_SIZE_MISMATCH, HX_ERR_INVALID_ARGUMENT (label beyond
 * segment_count, unknown kind), HX_ERR_UNSUPPORTED (resampled series), HX_ERR_IO.
 */
hx_status hx_dicom_write_segmentation(hx_context *ctx, const hx_dicom_scan *scan, size_t index, const uint8_t *labels,
                                      size_t count, const int32_t *kinds, const char *const *names,
                                      size_t segment_count, const char *path);

/** Findings and measurements to report in a TID 1500 measurement report, built up call by call. */
typedef struct hx_report hx_report;

/** What a reported measurement is. */
typedef enum hx_measurement {
    HX_MEASURE_VOLUME_ML = 1,      /**< volume, mL */
    HX_MEASURE_LONG_AXIS_MM = 2,   /**< long axis, mm */
    HX_MEASURE_SHORT_AXIS_MM = 3,  /**< short axis, mm */
    HX_MEASURE_MEAN_HU = 4         /**< mean attenuation in HU, in the phase given */
} hx_measurement;

/** Creates an empty report. */
hx_status hx_report_create(hx_context *ctx, hx_report **out);

/**
 * Adds a finding tied to segment segment_number (1-based) of the SEG the report will reference, with a
 * tracking identifier (e.g. "L1"); kind is HX_SEGMENT_LIVER or HX_SEGMENT_LESION. Its index (0-based,
 * in call order) is written to *index when index is not NULL.
 */
hx_status hx_report_add_finding(hx_context *ctx, hx_report *report, const char *tracking_id, int32_t segment_number,
                                int32_t kind, size_t *index);

/** Adds a measurement to finding index; phase ("arterial", "portal venous", ...) only for HX_MEASURE_MEAN_HU. */
hx_status hx_report_add_measurement(hx_context *ctx, hx_report *report, size_t finding, hx_measurement what, double value,
                                    const char *phase);

/** Sets the LI-RADS v2018 category of finding index: "LR-1" ... "LR-5", "LR-M", "LR-TIV" or "LR-NC". */
hx_status hx_report_set_lirads(hx_context *ctx, hx_report *report, size_t finding, const char *category);

/** Destroys a report; accepts NULL. */
void hx_report_destroy(hx_report *report);

/**
 * Writes report as a TID 1500 Enhanced SR to path, referencing the SEG at segmentation_path written for
 * series index of scan; evidence lists every image of that series's study in scan plus the SEG.
 */
hx_status hx_dicom_write_report(hx_context *ctx, const hx_report *report, const hx_dicom_scan *scan, size_t index,
                                const char *segmentation_path, const char *path);

/* ----------------------------------------------------------------------------------------------
 * CNN inference: load an ONNX model, plan it once, run it on caller buffers
 * -------------------------------------------------------------------------------------------- */

/** A loaded ONNX model (weights, graph, input/output descriptions). Immutable; may be shared across threads. */
typedef struct hx_model hx_model;

/**
 * Loads an ONNX file (external-data tensors are read from its folder). Unsupported operators, element
 * types or opsets are refused at load time: HX_ERR_UNSUPPORTED, with their names in the message.
 * Errors: HX_ERR_IO (unreadable file), HX_ERR_INVALID_ARGUMENT (not a valid ONNX protobuf, malformed graph).
 */
hx_status hx_model_load_file(hx_context *ctx, const char *path, hx_model **out);

/** Loads an ONNX model from size bytes at data (no external data). Errors as hx_model_load_file. */
hx_status hx_model_load_memory(hx_context *ctx, const void *data, size_t size, hx_model **out);

/** Number of graph inputs (initializers excluded) and outputs; 0 if model is NULL. */
size_t hx_model_input_count(const hx_model *model);
size_t hx_model_output_count(const hx_model *model);

/**
 * Name and declared shape of input (is_output 0) or output (is_output 1) number index. dims receives up to
 * dims_capacity dimensions (-1 where symbolic or unknown); *rank the full rank (0 and no dims when the model
 * declares no shape). The name belongs to the model. Any output pointer may be NULL.
 */
hx_status hx_model_value_info(hx_context *ctx, const hx_model *model, int32_t is_output, size_t index, const char **name,
                              int64_t *dims, size_t dims_capacity, size_t *rank);

/** Destroys a model; accepts NULL. */
void hx_model_destroy(hx_model *model);

/** Arithmetic precision of an inference plan. */
typedef enum hx_precision {
    HX_PRECISION_FP32 = 1,          /**< float32 throughout (the exact path) */
    HX_PRECISION_BF16 = 2,          /**< bfloat16 inputs and weights of the convolutions after the first, float32
                                         accumulation and everything else float32 (AVX512_BF16 CPUs; else
                                         HX_ERR_UNSUPPORTED). About 1e-2 relative error on the reference models. */
    HX_PRECISION_FP32_WINOGRAD = 3  /**< float32 with 3x3 stride-1 2D convolutions as Winograd F(4x4, 3x3) on AVX-512
                                         CPUs (the exact path elsewhere): faster, ~1e-5 relative error */
} hx_precision;

/** A model compiled for execution (weights packed, kernels chosen, buffers recycled). One caller at a time. */
typedef struct hx_inference_plan hx_inference_plan;

/** Plans model with threads workers (0: hx_context_threads(ctx)) at precision. */
hx_status hx_model_plan_create(hx_context *ctx, const hx_model *model, int32_t threads, hx_precision precision,
                               hx_inference_plan **out);

/**
 * Runs a single-input, single-output model: input holds the product of dims[0..rank) floats (row-major,
 * N,C,(D,)H,W); the output is written to output when output_capacity is large enough, with its dimensions in
 * output_dims (up to 8) and *output_rank. *output_count receives the element count needed (also on
 * HX_ERR_SIZE_MISMATCH, so a caller can size the buffer). Errors: HX_ERR_UNSUPPORTED (several inputs or
 * outputs), HX_ERR_INVALID_ARGUMENT (shape the model refuses), HX_ERR_NON_FINITE_DATA (NaN in the input).
 */
hx_status hx_inference_plan_run(hx_context *ctx, hx_inference_plan *plan, const float *input, const int64_t *dims, size_t rank,
                                float *output, size_t output_capacity, size_t *output_count, int64_t *output_dims,
                                size_t *output_rank);

/**
 * As hx_inference_plan_run, for a volume larger than the network's input: windows of patch[0..rank-2)
 * (spatial sizes) overlapping by overlap (0 <= overlap < 1) along every spatial axis, outputs blended with a
 * Gaussian importance map (nnU-Net's scheme); memory holds one patch plus the output. progress (may be NULL)
 * is called after each window with the fraction done; non-zero from it stops with HX_ERR_CANCELLED.
 * Errors as hx_inference_plan_run, plus HX_ERR_INVALID_ARGUMENT for a patch larger than the volume.
 */
hx_status hx_inference_plan_run_windows(hx_context *ctx, hx_inference_plan *plan, const float *input, const int64_t *dims,
                                        size_t rank, const int64_t *patch, double overlap, hx_progress_fn progress,
                                        void *user_data, float *output, size_t output_capacity, size_t *output_count,
                                        int64_t *output_dims, size_t *output_rank);

/** Destroys a plan; accepts NULL. */
void hx_inference_plan_destroy(hx_inference_plan *plan);

/* ---------------------------------------------------------------------------------------------------------
 * Liver analysis: registration of the phases to the portal venous phase, liver and Couinaud segmentation,
 * lesion detection, measurement and LI-RADS v2018 categories with plain-language explanations, report.
 * ------------------------------------------------------------------------------------------------------- */

/** The contrast phases of a multiphase liver CT study. */
typedef enum hx_phase {
    HX_PHASE_UNENHANCED = 0,
    HX_PHASE_ARTERIAL = 1,      /**< late arterial */
    HX_PHASE_PORTAL_VENOUS = 2, /**< the reference frame of every measurement; required */
    HX_PHASE_DELAYED = 3
} hx_phase;

/** What a liver analysis found, and where it wrote its outputs. Immutable. */
typedef struct hx_liver_result hx_liver_result;

/**
 * Analyses a multiphase study: volumes[i] is the phase phases[i] (count in 1..4, each phase at most once, the
 * portal venous phase required; volumes in HU, e.g. from hx_dicom_load_series). Uses hx_context_threads(ctx)
 * workers; the result does not depend on them. If output_dir is not NULL, writes report.html, analysis.json
 * (every number), timing.json and NIfTI volumes there (created if missing). progress (may be NULL) is called
 * between stages; non-zero from it stops with HX_ERR_CANCELLED. Errors: HX_ERR_INVALID_ARGUMENT (unknown or
 * repeated phase, no portal venous phase, no liver found), HX_ERR_NON_FINITE_DATA, HX_ERR_IO (output_dir).
 */
hx_status hx_liver_analyze(hx_context *ctx, const hx_volume *const *volumes, const int32_t *phases, size_t count,
                           const char *output_dir, hx_progress_fn progress, void *user_data, hx_liver_result **out);

/**
 * Renders the built-in synthetic multiphase abdomen study for seed (the default of hepatix demo is 1) at dose
 * (fraction of full dose in (0, 1]) and analyses it as hx_liver_analyze does.
 */
hx_status hx_liver_analyze_phantom(hx_context *ctx, uint64_t seed, double dose, const char *output_dir,
                                   hx_progress_fn progress, void *user_data, hx_liver_result **out);

/** Options of a liver analysis (hx_liver_analyze_v2): typed setters, documented defaults. */
typedef struct hx_liver_options hx_liver_options;

/** Creates liver analysis options with their defaults: no denoising. */
hx_status hx_liver_options_create(hx_context *ctx, hx_liver_options **out);

/**
 * Deep-learning denoising of every phase before the analysis (default off): enable non-zero turns it on with the
 * ONNX network at model_path, or with the shipped low-dose denoiser (ct-denoise-2.5d.onnx, found in the folder named by
 * the HEPATIX_MODELS environment variable, in models/ beside the installed library, or in the source tree's Models/)
 * when model_path is NULL. The network takes [1, 3, H, W] (an axial slice and its two neighbours, HU) and gives
 * [1, 1, H, W]. It is loaded and checked here: HX_ERR_IO when the file cannot be found or read,
 * HX_ERR_INVALID_ARGUMENT when it is malformed or has another interface, HX_ERR_UNSUPPORTED for operators this
 * version cannot run. enable 0 turns denoising off (model_path ignored). On error the options are unchanged.
 */
hx_status hx_liver_options_set_denoise(hx_context *ctx, hx_liver_options *options, int32_t enable, const char *model_path);

/**
 * Fraction of the denoiser's correction applied, in [0, 1]: each voxel becomes input + strength * (network - input),
 * so 1 is the network's own output and 0 leaves the images unchanged. The default is the strength the shipped
 * model was validated at (Models/README.md). It holds for the current denoiser and any set later.
 * HX_ERR_INVALID_ARGUMENT outside [0, 1] or NaN (the options are then unchanged).
 */
hx_status hx_liver_options_set_denoise_strength(hx_context *ctx, hx_liver_options *options, double strength);

/**
 * The CNN path of liver segmentation (default off: the classical segmenter): enable non-zero segments the liver with
 * the ONNX network at model_path, or with the shipped one (ct-liver-seg-2.5d.onnx, found as for
 * hx_liver_options_set_denoise) when model_path is NULL. The network takes [1, 3, H, W] (an axial slice of the portal
 * venous phase and its two neighbours, HU, resampled to 1.5 x 1.5 x 2.5 mm along the patient's axes; H and W
 * multiples of 8) and gives [1, 2, H, W] (background and liver logits). Errors and their statuses as for
 * hx_liver_options_set_denoise; on error the options are unchanged. enable 0 returns to the classical segmenter.
 */
hx_status hx_liver_options_set_liver_network(hx_context *ctx, hx_liver_options *options, int32_t enable, const char *model_path);

/**
 * The multiphase lesion network (default off: the detector's rules alone): enable non-zero adds the proposals of the
 * ONNX network at model_path, or of the shipped one (ct-lesion-seg-2.5d.onnx, found as for
 * hx_liver_options_set_denoise) when model_path is NULL, to the lesion detector's seeds. The network takes
 * [1, 12, H, W] (an axial slice and its two neighbours of the unenhanced, late arterial, portal venous and delayed
 * phases, in that order; the shipped one) or [1, 9, H, W] (the last three phases), registered onto the portal venous
 * grid, acquired HU before any denoising, resampled to 1.5 x 1.5 x 2.5 mm along the patient's axes (H and W multiples
 * of 8), and gives [1, 2, H, W] (background and lesion logits). Studies without the phases it reads then fail to
 * analyse with HX_ERR_INVALID_ARGUMENT. Errors and their statuses as for
 * hx_liver_options_set_denoise; on error the options are unchanged. enable 0 returns to the rules alone.
 */
hx_status hx_liver_options_set_lesion_network(hx_context *ctx, hx_liver_options *options, int32_t enable, const char *model_path);

/**
 * With a denoiser (hx_liver_options_set_denoise), enable non-zero also runs the lesion detector's rules on the
 * acquired phases (registered, before denoising): their seeds join the proposals, and the long-axis floor for denoised
 * images does not apply to the candidates they seed. Default off: at a third of the dose it finds more lesions in
 * fan-beam FBP images but adds false positives under white noise (BENCHMARKS.md). Without a denoiser it changes nothing.
 */
hx_status hx_liver_options_set_acquired_seeds(hx_context *ctx, hx_liver_options *options, int32_t enable);

/**
 * With a denoiser (hx_liver_options_set_denoise), chooses the images lesions are found, grown, measured and categorised
 * in: enable positive, the acquired phases (registered by the maps found on the denoised ones; the lesions' HU are
 * not the network's); 0, the denoised phases; negative (the default), decided by where the images' noise comes from:
 * the acquired phases for reconstructed images (every study given through hx_liver_analyze, and phantoms scanned
 * through the simulated scanner), the denoised ones for the phantom's image-domain noise, on which the shipped
 * denoiser mainly trained. The denoised phases always serve the liver segmentation, the registration and the vessel
 * landmarks. At a third of the dose through the simulated scanner the acquired phases hold every lesion figure of plain
 * FBP (LI-RADS 90.2 % against 80.8 % in the denoised ones); under the image-domain noise they size and categorise
 * worse (85.4 % against 90.1 %; BENCHMARKS.md). It supersedes hx_liver_options_set_acquired_seeds when the acquired
 * phases are chosen. Without a denoiser it changes nothing.
 */
hx_status hx_liver_options_set_lesions_on_acquired(hx_context *ctx, hx_liver_options *options, int32_t enable);

/**
 * Adds a planned resection whose future liver remnant the result reports, besides the standard anatomical ones
 * (right and left hepatectomy, right and left trisectionectomy, left lateral sectionectomy). segments lists the
 * Couinaud segments removed (1..8, I..VIII; repeats ignored); name (may be NULL: "planned resection") labels it.
 * HX_ERR_INVALID_ARGUMENT when segments is NULL, count is 0, a segment lies outside 1..8 or all eight are removed
 * (the options are then unchanged).
 */
hx_status hx_liver_options_add_resection(hx_context *ctx, hx_liver_options *options, const char *name,
                                         const int32_t *segments, size_t count);

/** Destroys options; accepts NULL. Results made with them stay valid. */
void hx_liver_options_destroy(hx_liver_options *options);

/** hx_liver_analyze with options (NULL: the defaults). */
hx_status hx_liver_analyze_v2(hx_context *ctx, const hx_volume *const *volumes, const int32_t *phases, size_t count,
                              const hx_liver_options *options, const char *output_dir, hx_progress_fn progress,
                              void *user_data, hx_liver_result **out);

/** hx_liver_analyze_phantom with options (NULL: the defaults). */
hx_status hx_liver_analyze_phantom_v2(hx_context *ctx, uint64_t seed, double dose, const hx_liver_options *options,
                                      const char *output_dir, hx_progress_fn progress, void *user_data,
                                      hx_liver_result **out);

/** Liver volume (mL, IVC excluded) and the number of lesions found. Any output pointer may be NULL. */
hx_status hx_liver_result_summary(hx_context *ctx, const hx_liver_result *result, double *liver_ml, size_t *lesion_count);

/** Volume (mL) of Couinaud segment 1..8 (I..VIII). */
hx_status hx_liver_segment_volume(hx_context *ctx, const hx_liver_result *result, int32_t segment, double *volume_ml);

/**
 * Lesion index (0-based, largest first): Couinaud segment (1..8), axial long and short axis (mm, outer edge to outer
 * edge, an enhancing capsule included as LI-RADS measures; the volume is the lesion's mask without it), volume (mL),
 * detection confidence in [0, 1], LI-RADS category ("LR-1" ... "LR-5", "LR-M", "LR-TIV", "LR-NC") and the explanation
 * sentence. Strings belong to the result. Any output pointer may be NULL.
 */
hx_status hx_liver_lesion_info(hx_context *ctx, const hx_liver_result *result, size_t index, int32_t *segment,
                               double *long_axis_mm, double *short_axis_mm, double *volume_ml, double *confidence,
                               const char **category, const char **sentence);

/**
 * Number of future liver remnants in the result: one per resection (standard ones, then those added with
 * hx_liver_options_add_resection); 0 when the Couinaud segments could not be found or result is NULL.
 */
size_t hx_liver_remnant_count(const hx_liver_result *result);

/**
 * Future liver remnant index (0-based): the resection's name, the functional volume left (mL, lesions excluded),
 * that volume as a fraction of the whole liver's functional volume (0..1, not standardised to body surface area),
 * the number of lesions left with at least 10 % of their volume in the remnant, and a plain-language sentence
 * judging it against the usual minimums (20 % normal liver, 30 % after chemotherapy or with steatosis, 40 %
 * cirrhosis). Strings belong to the result. Any output pointer may be NULL.
 */
hx_status hx_liver_remnant_info(hx_context *ctx, const hx_liver_result *result, size_t index, const char **name,
                                double *remnant_ml, double *remnant_fraction, size_t *lesions_left, const char **sentence);

/** The whole result as JSON (the content of analysis.json); the string belongs to the result. */
hx_status hx_liver_result_json(hx_context *ctx, const hx_liver_result *result, const char **json);

/** Number of files written (0 without an output_dir); 0 if result is NULL. */
size_t hx_liver_output_count(const hx_liver_result *result);

/** Path of written file index (report.html first); the string belongs to the result. */
hx_status hx_liver_output_path(hx_context *ctx, const hx_liver_result *result, size_t index, const char **path);

/** Destroys a result; accepts NULL. */
void hx_liver_result_destroy(hx_liver_result *result);

#ifdef __cplusplus
}
#endif
#endif /* HEPATIX_H */
