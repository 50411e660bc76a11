/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vision.h: xsight's pure C vision library.
 *
 * No XS headers, no allocation, no global state: every function that needs
 * scratch memory has a *_get_buffer_size() and takes the memory from the
 * caller, and a cascade is a const view of flash data that is validated once
 * by vision_cascade_check() and never written.
 *
 * Images are 8-bit grayscale, row-major, with a stride in bytes (>= width).
 * Rectangles are in pixels of the image they were given for.
 *
 * The Haar detector reproduces OpenCV 4.x CascadeClassifier::detectMultiScale
 * (before grouping) bit for bit; docs/cascade-format.md says how and where the
 * arithmetic is the same.
 */
#ifndef XSIGHT_VISION_H
#define XSIGHT_VISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VISION_OK = 0,
	VISION_ERR_ARG = -1,         /* a NULL pointer, empty size, ROI outside the image... */
	VISION_ERR_BUFFER = -2,      /* the scratch buffer is smaller than *_get_buffer_size() */
	VISION_ERR_FORMAT = -3,      /* cascade data is malformed (bad magic, count, rect...) */
	VISION_ERR_TRUNCATED = -4,   /* cascade data is shorter than its header says */
	VISION_ERR_ALIGN = -5,       /* cascade data is not 4-byte aligned */
	VISION_ERR_UNSUPPORTED = -6, /* cascade version or flags this library does not know */
} vision_status_t;

typedef struct {
	const uint8_t *data;
	int32_t width;
	int32_t height;
	int32_t stride; /* bytes from one row to the next, >= width */
} vision_image_u8_t;

typedef struct {
	int32_t x, y, w, h;
} vision_rect_t;

/* ------------------------------------------------------------------------ */
/* Resizing                                                                  */
/*
 * vision_resize_bilinear_u8 is OpenCV's INTER_LINEAR_EXACT (the resize its
 * Haar detector uses): pixel centres aligned, coefficients rounded to 8
 * fractional bits, one rounding at the end, edges replicated. Results are
 * bit-identical to cv::resize(..., INTER_LINEAR_EXACT) for any sizes.
 * `roi` may be NULL (whole image); dst rows are dst_stride bytes apart.
 */
size_t vision_resize_bilinear_u8_get_buffer_size(int32_t dst_w);
vision_status_t vision_resize_bilinear_u8(const vision_image_u8_t *src, const vision_rect_t *roi, uint8_t *dst,
                                          int32_t dst_w, int32_t dst_h, int32_t dst_stride, void *buf, size_t buf_size);

/*
 * Area averaging: each destination pixel is the mean of the source area it
 * covers, with fractional coverage at its borders, computed exactly in
 * integers and rounded half up. For integer ratios this is the plain block
 * mean. Needs no scratch. Not bit-identical to OpenCV's INTER_AREA (which
 * uses float weights); use it where the exact definition matters more.
 */
vision_status_t vision_resize_area_u8(const vision_image_u8_t *src, const vision_rect_t *roi, uint8_t *dst,
                                      int32_t dst_w, int32_t dst_h, int32_t dst_stride);

typedef enum {
	VISION_INTERP_BILINEAR = 0,
	VISION_INTERP_AREA = 1,
} vision_interp_t;

/*
 * ROI -> resized to dst_w x dst_h -> int8 tensor (dst_w*dst_h bytes, row-major):
 *   real = pixel * in_scale           (in_scale 1/255.f: [0,1] inputs; 1.f: raw 0..255)
 *   q    = clamp(round(real / out_scale) + out_zero_point, -128, 127)
 * with round half away from zero and float32 arithmetic, as TFLite's
 * QUANTIZE does. out_scale > 0.
 */
size_t vision_crop_resize_quantize_s8_get_buffer_size(int32_t dst_w, vision_interp_t interp);
vision_status_t vision_crop_resize_quantize_s8(const vision_image_u8_t *src, const vision_rect_t *roi, int8_t *dst,
                                               int32_t dst_w, int32_t dst_h, vision_interp_t interp, float in_scale,
                                               float out_scale, int32_t out_zero_point, void *buf, size_t buf_size);

/* ------------------------------------------------------------------------ */
/* Haar and LBP cascades (binary format: docs/cascade-format.md)             */

/* The header's feature_type: which record layout and which scan. */
enum { VISION_FEATURE_HAAR = 0, VISION_FEATURE_LBP = 1 };

/*
 * A weak classifier record's bits above its rect count (bits 24-25): a node of
 * a tree (docs/cascade-format.md). LEFT/RIGHT: that child is a node, whose
 * distance in records is the u32 in place of the leaf value; bits 28-31 of a
 * tree's first node: its nodes - 1. All zero: a stump.
 */
#define VISION_NODE_LEFT       (1u << 26)
#define VISION_NODE_RIGHT      (1u << 27)
#define VISION_NODE_TREE_SHIFT 28

typedef struct {
	const uint8_t *stages; /* stage_count records of 8 bytes */
	const uint8_t *weaks;  /* weak_count records of 16 bytes: the nodes of the stages' trees (LBP: stumps of 44) */
	const uint8_t *rects;  /* rect_count records of 5 bytes (LBP: features of 4) */
	uint16_t window_w, window_h;
	uint16_t stage_count;
	uint32_t weak_count;
	uint32_t rect_count;
	/*
	 * NULL (what vision_cascade_check sets): the stage thresholds stored in
	 * the data. Otherwise stage_count finite floats used instead, so a caller
	 * can tune the thresholds of a cascade that stays in flash. A caller may
	 * also lower stage_count to evaluate only the first stages.
	 */
	const float *stage_thresholds;
	uint8_t feature_type; /* VISION_FEATURE_* */
	uint8_t trees;        /* some weak classifier has more than one node */
	uint32_t scan_table;  /* bytes of the Haar scan's feature table for its first stages (haar.c), set by the check */
} vision_cascade_t;

/*
 * Validates `len` bytes of cascade data: header, every count against the
 * buffer, every stage, weak classifier and rect against the window and the
 * float32 exactness bound. On VISION_OK fills *cascade (a view into data,
 * which must stay alive). *reason (may be NULL) gets a static string naming
 * the field at fault. Never reads outside [data, data+len).
 * The scan functions trust only cascades that passed this check.
 */
vision_status_t vision_cascade_check(const uint8_t *data, size_t len, vision_cascade_t *cascade, const char **reason);

/*
 * The scale list of OpenCV 4.x detectMultiScale: factor = 1, sf, sf^2...
 * (double), kept while the rounded window fits the image, stored as float and
 * filtered by min/max object size (0 = no limit). Writes at most `capacity`
 * scales and returns how many there are (may exceed capacity).
 */
int32_t vision_haar_scales(int32_t image_w, int32_t image_h, int32_t window_w, int32_t window_h, double scale_factor,
                           int32_t min_w, int32_t min_h, int32_t max_w, int32_t max_h, float *scales, int32_t capacity);

/* The size of the image OpenCV scans at `scale`: round(image / scale) per axis. */
void vision_haar_scaled_size(int32_t image_w, int32_t image_h, float scale, int32_t *w, int32_t *h);

typedef struct {
	vision_rect_t *rects;
	uint32_t capacity;
	uint32_t count;   /* rects written; calls append, so one list can gather all scales */
	uint8_t overflow; /* set when a candidate was dropped for lack of capacity */
	float *scores;    /* NULL, or capacity floats: each candidate's last stage sum (OpenCV's levelWeight) */
} vision_rect_list_t;

typedef struct {
	uint32_t windows;      /* window positions visited */
	uint32_t low_variance; /* of those, rejected as flat before any stage */
	uint32_t stages;       /* stages evaluated */
	uint32_t weaks;        /* weak classifiers (features) evaluated */
	uint32_t passed;       /* windows that passed every stage */
	uint32_t tabled;       /* weak classifiers put into the Haar scan's feature table (the work of building it) */
} vision_haar_stats_t;

/*
 * One scale of detectMultiScale: the ROI (NULL = whole image) is resized to
 * vision_haar_scaled_size(roi, scale) with vision_resize_bilinear_u8's
 * arithmetic, row by row while scanning, and every window position is
 * evaluated. step 0 is OpenCV's rule (1 pixel of the resized image when
 * scale >= 2, else 2, and one extra step after a window rejected at stage 0);
 * step > 0 visits every step-th position in both axes with no skipping.
 * Candidates are appended in image coordinates: (round(x*scale) + roi.x,
 * round(y*scale) + roi.y, round(window_w*scale), round(window_h*scale)).
 * A scaled image smaller than the window is not an error: nothing is found.
 */
size_t vision_haar_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale);
vision_status_t vision_haar_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                 const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                 vision_rect_list_t *out);
/* The same scan, also counting the work done (added to *stats). */
vision_status_t vision_haar_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, float scale, int32_t step, void *buf,
                                         size_t buf_size, vision_rect_list_t *out, vision_haar_stats_t *stats);

typedef struct {
	int32_t stages_passed; /* 0..stage_count; stage_count means a detection */
	uint8_t low_variance;  /* rejected as flat before stage 0 (stages_passed is 0) */
	double last_stage_sum; /* sum of the last stage evaluated (OpenCV's levelWeight) */
} vision_haar_window_t;

/*
 * Evaluates the single window at (x, y) of the image at scale 1, without
 * resizing. For tests and tools; scratch size is
 * vision_haar_scan_get_buffer_size(cascade, window_w, window_h, 1.0f).
 */
vision_status_t vision_haar_eval_window(const vision_cascade_t *cascade, const vision_image_u8_t *image, int32_t x,
                                        int32_t y, void *buf, size_t buf_size, vision_haar_window_t *result);

/* ------------------------------------------------------------------------ */
/* LBP cascades (native/vision/src/lbp.c)                                    */
/*
 * OpenCV 4.x detectMultiScale with an LBP cascade, before grouping: the same
 * levels, resize, stepping (step 0: 2 pixels below scale 2, else 1, and a
 * skip after a stage-0 reject), candidates and last stage sums as the Haar
 * scan above; no variance test. A feature is the 8-bit code comparing the
 * sums of its 8 outer blocks with the centre one of 3x3 blocks; a stump adds
 * its left leaf when the code's bit is set in its 256-bit subset. The
 * cascade must be an LBP one (feature_type), else VISION_ERR_ARG.
 */
size_t vision_lbp_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale);
vision_status_t vision_lbp_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                vision_rect_list_t *out);
vision_status_t vision_lbp_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                        const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                        vision_rect_list_t *out, vision_haar_stats_t *stats);

/*
 * The scans of `n` scales into one list by the cascade's feature type, each
 * as vision_haar_scan's or vision_lbp_scan's (in order, the same candidates);
 * stats NULL: not counted. A Haar scan's levels
 * share one feature table: their integral rows are all as long as the widest
 * level's, so each stage goes into it once, not once a level.
 *
 * refine > 0 (Haar, step > 0; else VISION_ERR_ARG) searches each level coarse
 * to fine: the windows of the grid twice the step apart first, and a window
 * of the step's grid between them only beside one of those (a step away in x,
 * in y or both) that passed `refine` stages. The candidates are a subset of
 * refine 0's, in another order: those of a face whose coarse neighbours all
 * fail before stage `refine` are lost (a policy, measured in docs/vision.md).
 */
size_t vision_cascade_scan_levels_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h,
                                                  const float *scales, uint32_t n, int32_t step, int32_t refine);
vision_status_t vision_cascade_scan_levels(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                           const vision_rect_t *roi, const float *scales, uint32_t n, int32_t step,
                                           int32_t refine, void *buf, size_t buf_size, vision_rect_list_t *out,
                                           vision_haar_stats_t *stats);

/* ------------------------------------------------------------------------ */
/* Grouping candidates                                                       */

typedef enum {
	VISION_GROUP_OPENCV = 0,  /* OpenCV's SimilarRects: every edge within eps * (min widths + min heights) / 2 */
	VISION_GROUP_OVERLAP = 1, /* the intersection covers at least half of the smaller (eps unused) */
} vision_group_t;

/*
 * Partitions `count` rects (x, y, w, h quads) into the classes of the
 * transitive closure of `mode`'s similarity, as OpenCV's cv::partition:
 * labels[i] is rect i's class, classes numbered in the order of their first
 * member. `work` holds 2 * count int32. Returns the number of classes, or
 * VISION_ERR_ARG.
 */
int32_t vision_group_labels(const int32_t *rects, int32_t count, vision_group_t mode, double eps, int32_t *labels,
                            int32_t *work);

/*
 * Each class's totals, for averaging it: sums[4k..4k+3] the sums of its
 * members' x, y, w, h (exact in double), counts[k] its members, best[k] their
 * largest score (-infinity for an empty class). labels as vision_group_labels
 * wrote them, each in 0..classes-1. Returns VISION_OK or VISION_ERR_ARG.
 */
vision_status_t vision_group_totals(const int32_t *rects, const float *scores, int32_t count, const int32_t *labels,
                                    int32_t classes, double *sums, int32_t *counts, double *best);

#ifdef __cplusplus
}
#endif

#endif
