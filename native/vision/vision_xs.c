/* vision_xs.c: the "native/vision" module's binding. SPDX-License-Identifier: Apache-2.0
 *
 * Argument conversion only: every check of the data itself (cascade, ROI,
 * sizes) is the C library's, which reports a status that is turned into an
 * exception here. Frames are malloc'd C memory exposed as XS host buffers;
 * the scan's scratch is malloc'd for the call and freed before returning,
 * so nothing of a frame or of the integral images lives in the XS heap.
 */
#include "vision.h"
#include "vision_xs.h"
#include "xs_binding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MAX_SIDE 4096
#define FRAME_MAGIC    0x4652414du /* "FRAM" */

/* Pixels follow this header in one allocation, so the host data pointer
 * (the pixels, which typed arrays view) leads back to the sizes. */
typedef struct {
	uint32_t magic;
	int32_t width, height, stride;
} frame_header_t;

static frame_header_t *frame_header(void *pixels)
{
	return (frame_header_t *)((uint8_t *)pixels - sizeof(frame_header_t));
}

void xs_vision_frame_destructor(void *data)
{
	if (data)
		free(frame_header(data));
}

static int32_t int_arg(xsMachine *the, int i, int32_t min, int32_t max, const char *what)
{
	double v = xsmcToNumber(xsArg(i));
	if (!(v >= min && v <= max) || v != floor(v))
		xsRangeError("%s: expected an integer in %d..%d", what, (int)min, (int)max);
	return (int32_t)v;
}

/* C memory for a host object's bytes. Unreachable Frames and cascades give theirs back only when the
   GC runs their destructors, which a failed malloc does not trigger: collect once and try again.
   A collection moves the XS heap: pointers into ArrayBuffers taken before must be taken again when
   *collected (when given) says one ran. */
static void *malloc_collecting(xsMachine *the, size_t size, int *collected)
{
	void *p = malloc(size);
	if (collected)
		*collected = !p;
	if (!p) {
		xsCollectGarbage();
		p = malloc(size);
	}
	return p;
}

void xs_vision_frame(xsMachine *the)
{
	int32_t width = int_arg(the, 0, 1, FRAME_MAX_SIDE, "Frame width");
	int32_t height = int_arg(the, 1, 1, FRAME_MAX_SIDE, "Frame height");
	int32_t stride = width;
	if (xsmcArgc > 2 && xsmcTypeOf(xsArg(2)) != xsUndefinedType)
		stride = int_arg(the, 2, width, FRAME_MAX_SIDE, "Frame stride (>= width)");
	size_t size = (size_t)stride * (size_t)height;
	frame_header_t *h = malloc_collecting(the, sizeof(frame_header_t) + size, NULL);
	if (!h)
		xsUnknownError("Frame: out of C memory for %d x %d", (int)stride, (int)height);
	memset(h, 0, sizeof(frame_header_t) + size);
	h->magic = FRAME_MAGIC;
	h->width = width;
	h->height = height;
	h->stride = stride;
	xsmcSetHostBuffer(xsThis, (uint8_t *)(h + 1), (xsIntegerValue)size);
}

/* The frame's pixels, or NULL once closed; throws for anything not a Frame. */
static uint8_t *frame_pixels(xsMachine *the, xsSlot *slot, const char *what)
{
	if (xsmcTypeOf(*slot) != xsReferenceType)
		xsTypeError("%s: expected a Frame", what);
	return xsmcGetHostDataValidate(*slot, (void *)xs_vision_frame_destructor);
}

int xsVisionFrameImage(xsMachine *the, xsSlot *slot, vision_image_u8_t *image)
{
	uint8_t *pixels = frame_pixels(the, slot, "frame");
	if (!pixels)
		return 0;
	frame_header_t *h = frame_header(pixels);
	image->data = pixels;
	image->width = h->width;
	image->height = h->height;
	image->stride = h->stride;
	return 1;
}

static void frame_image(xsMachine *the, xsSlot *slot, vision_image_u8_t *image, const char *what)
{
	if (!xsVisionFrameImage(the, slot, image))
		xsUnknownError("%s: the frame is closed", what);
}

static void frame_field(xsMachine *the, int which)
{
	uint8_t *pixels = frame_pixels(the, &xsThis, "Frame");
	if (!pixels) {
		xsmcSetInteger(xsResult, 0);
		return;
	}
	frame_header_t *h = frame_header(pixels);
	int32_t v = which == 0 ? h->width : which == 1 ? h->height : which == 2 ? h->stride : h->stride * h->height;
	xsmcSetInteger(xsResult, v);
}

void xs_vision_frame_get_width(xsMachine *the)
{
	frame_field(the, 0);
}
void xs_vision_frame_get_height(xsMachine *the)
{
	frame_field(the, 1);
}
void xs_vision_frame_get_stride(xsMachine *the)
{
	frame_field(the, 2);
}
void xs_vision_frame_get_byte_length(xsMachine *the)
{
	frame_field(the, 3);
}

void xs_vision_frame_write(xsMachine *the)
{
	xsmcVars(1);
	vision_image_u8_t image;
	frame_image(the, &xsThis, &image, "Frame write");
	size_t total = (size_t)image.stride * (size_t)image.height;
	double offset = xsmcToNumber(xsArg(0));
	size_t length;
	const uint8_t *bytes = xsBindingBytesIn(the, &xsArg(1), &xsVar(0), &length, 0, "Frame write bytes");
	if (!(offset >= 0 && offset <= (double)total) || offset != floor(offset) || length > total - (size_t)offset)
		xsRangeError("Frame write: %u bytes at offset %g do not fit in %u", (unsigned)length, offset, (unsigned)total);
	memmove((uint8_t *)image.data + (size_t)offset, bytes, length);
}

void xs_vision_frame_close(xsMachine *the)
{
	uint8_t *pixels = frame_pixels(the, &xsThis, "Frame close");
	if (!pixels)
		return;
	xsmcSetHostBuffer(xsThis, NULL, 0);
	free(frame_header(pixels));
}

static const char *status_text(vision_status_t st)
{
	switch (st) {
	case VISION_ERR_ARG: return "invalid argument";
	case VISION_ERR_BUFFER: return "scratch buffer too small";
	case VISION_ERR_FORMAT: return "malformed cascade";
	case VISION_ERR_TRUNCATED: return "truncated cascade";
	case VISION_ERR_ALIGN: return "cascade data not 4-byte aligned";
	case VISION_ERR_UNSUPPORTED: return "unsupported cascade";
	default: return "error";
	}
}

/*
 * A cascade checked once, at load: vision_cascade_check's result kept in C
 * beside bytes JS cannot write, so a scan trusts it without checking again.
 * The bytes are a read-only host buffer's (a Resource: flash, or C memory the
 * GC does not move), which the object keeps alive, or else a C copy.
 */
typedef struct {
	vision_cascade_t cascade;
	/* the copied bytes follow, unless the cascade points into a read-only host buffer */
} checked_t;

void xs_vision_checked_destructor(void *data)
{
	free(data);
}

/* Whether `slot` (an ArrayBuffer or a typed array of one) is a read-only host buffer: memory JS cannot write and the
   GC does not move. Neither an ArrayBuffer of the XS heap (it moves) nor a Frame (JS writes it) is. */
static int read_only_host(xsMachine *the, xsSlot *slot, xsSlot *temp)
{
	volatile int fixed = 0;
	*temp = *slot;
	if (xsmcIsInstanceOf(*slot, xsTypedArrayPrototype))
		xsmcGet(*temp, *slot, xsID("buffer"));
	xsTry
	{
		(void)xsmcGetHostData(*temp); /* throws for anything but a host object with host data */
		fixed = 1;
		void *data;
		xsUnsignedValue count;
		_xsmcGetBuffer(the, temp, &data, &count, 1); /* throws for a read-only buffer */
		fixed = 0;
	}
	xsCatch {}
	return fixed;
}

/* new CheckedCascade(data): throws a TypeError with vision_cascade_check's reason when the data is not a cascade */
void xs_vision_checked_cascade(xsMachine *the)
{
	xsmcVars(2);
	size_t length;
	const uint8_t *data = xsBindingBytesIn(the, &xsArg(0), &xsVar(0), &length, 0, "CheckedCascade data");
	const int shared = read_only_host(the, &xsArg(0), &xsVar(1)) && !((uintptr_t)data & 3u);
	int collected;
	checked_t *c = malloc_collecting(the, sizeof(checked_t) + (shared ? 0 : length), &collected);
	if (!c)
		xsUnknownError("CheckedCascade: out of C memory for %u bytes", (unsigned)length);
	if (collected)
		data = xsBindingBytesIn(the, &xsArg(0), &xsVar(0), &length, 0, "CheckedCascade data");
	if (!shared) {
		memcpy(c + 1, data, length);
		data = (const uint8_t *)(c + 1);
	}
	const char *reason = NULL;
	if (vision_cascade_check(data, length, &c->cascade, &reason) != VISION_OK) {
		free(c);
		xsTypeError("%s", reason);
	}
	xsmcSetHostData(xsThis, c);
	if (shared)
		xsmcDefine(xsThis, xsID("bytes"), xsArg(0), xsDontDelete | xsDontSet);
}

static void roi_arg(xsMachine *the, xsSlot *slot, vision_rect_t *roi, const char *what)
{
	size_t length;
	const int32_t *r = xsBindingBytesIn(the, slot, &xsVar(0), &length, 0, what);
	if (length != 4 * sizeof(int32_t) || ((uintptr_t)r & 3))
		xsTypeError("%s: expected an Int32Array of 4 (x, y, w, h)", what);
	roi->x = r[0];
	roi->y = r[1];
	roi->w = r[2];
	roi->h = r[3];
}

static int is_null(xsMachine *the, int i)
{
	return xsmcArgc <= i || xsmcTypeOf(xsArg(i)) == xsNullType || xsmcTypeOf(xsArg(i)) == xsUndefinedType;
}

/* haarScan's arrays: pointers into XS chunks, which a collection moves, so taken again after one. */
typedef struct {
	const float *thresholds;
	const float *scales;
	size_t n_scales;
	int32_t *rects;
	uint32_t capacity;
	float *scores;
	uint8_t *stats;
} scan_arrays_t;

static void scan_arrays(xsMachine *the, int32_t stage_count, scan_arrays_t *a)
{
	size_t scales_len, rects_len, scores_len = 0, thr_len = 0, stats_len = 0;
	a->thresholds = NULL;
	if (!is_null(the, 3)) {
		const float *thr = xsBindingBytesIn(the, &xsArg(3), &xsVar(0), &thr_len, 0, "haarScan stageThresholds");
		if (((uintptr_t)thr & 3) || thr_len < (size_t)stage_count * sizeof(float))
			xsTypeError("haarScan stageThresholds: expected a Float32Array of at least stageCount");
		for (int32_t s = 0; s < stage_count; s++)
			if (!(thr[s] >= -1.0e30f && thr[s] <= 1.0e30f))
				xsRangeError("haarScan stageThresholds[%d]: not finite", (int)s);
		a->thresholds = thr;
	}
	a->scales = xsBindingBytesIn(the, &xsArg(5), &xsVar(0), &scales_len, 0, "haarScan scales");
	if (scales_len % sizeof(float) || ((uintptr_t)a->scales & 3))
		xsTypeError("haarScan scales: expected a Float32Array");
	a->n_scales = scales_len / sizeof(float);
	a->rects = xsBindingBytesIn(the, &xsArg(8), &xsVar(0), &rects_len, 1, "haarScan rects");
	if (((uintptr_t)a->rects & 3) || rects_len % (4 * sizeof(int32_t)))
		xsTypeError("haarScan rects: expected an Int32Array of quads");
	a->capacity = (uint32_t)(rects_len / (4 * sizeof(int32_t)));
	a->scores = NULL;
	if (!is_null(the, 9)) {
		a->scores = xsBindingBytesIn(the, &xsArg(9), &xsVar(0), &scores_len, 1, "haarScan scores");
		if (((uintptr_t)a->scores & 3) || scores_len < a->capacity * sizeof(float))
			xsTypeError("haarScan scores: expected a Float32Array of at least one per rect");
	}
	/* Read and written through memcpy: on a 32-bit board XS keeps an
	   ArrayBuffer's bytes 4-byte aligned only, so a Float64Array may not be
	   8-byte aligned (the M7 met this on its second boot). */
	a->stats = NULL;
	if (!is_null(the, 10)) {
		a->stats = xsBindingBytesIn(the, &xsArg(10), &xsVar(0), &stats_len, 1, "haarScan stats");
		if (stats_len != 5 * sizeof(double))
			xsTypeError("haarScan stats: expected a Float64Array of 5");
	}
	for (size_t i = 0; i < a->n_scales; i++)
		if (!(a->scales[i] >= 1.0f && a->scales[i] < 1.0e6f))
			xsRangeError("haarScan scales[%u]: %g is not a scale >= 1", (unsigned)i, (double)a->scales[i]);
}

/* haarScan(frame, cascade, stageCount, stageThresholds|null, roi, scales, step, refine, rects, scores|null, stats|null):
 * count | -1
 * Any CheckedCascade (Haar or LBP: the C dispatch on its header; the name predates LBP), not checked again.
 * The frame and the cascade are C memory; the arrays are XS chunks, taken again if the scratch's malloc
 * had to collect. */
void xs_vision_haar_scan(xsMachine *the)
{
	xsmcVars(1);
	vision_image_u8_t image;
	vision_rect_t roi;
	int32_t stage_count = int_arg(the, 2, 1, 65535, "haarScan stageCount");
	int32_t step = int_arg(the, 6, 0, 255, "haarScan step");
	int32_t refine = int_arg(the, 7, 0, 65535, "haarScan refine");
	roi_arg(the, &xsArg(4), &roi, "haarScan roi");
	frame_image(the, &xsArg(0), &image, "haarScan frame");
	if (xsmcTypeOf(xsArg(1)) != xsReferenceType)
		xsTypeError("haarScan cascade: expected a CheckedCascade");
	vision_cascade_t cascade =
	        ((const checked_t *)xsmcGetHostDataValidate(xsArg(1), (void *)xs_vision_checked_destructor))->cascade;
	if (stage_count > cascade.stage_count)
		xsRangeError("haarScan stageCount: %d, the cascade has %d stages", (int)stage_count, (int)cascade.stage_count);
	cascade.stage_count = (uint16_t)stage_count;
	if (refine > 0 && (step == 0 || cascade.feature_type != VISION_FEATURE_HAAR))
		xsRangeError("haarScan refine: %d needs a step >= 1 and a Haar cascade", (int)refine);
	scan_arrays_t a;
	scan_arrays(the, stage_count, &a);
	const int32_t roi_w = roi.w > 0 ? roi.w : 1, roi_h = roi.h > 0 ? roi.h : 1;
	size_t need = vision_cascade_scan_levels_get_buffer_size(&cascade, roi_w, roi_h, a.scales, (uint32_t)a.n_scales,
	                                                         step, refine);
	int collected;
	void *scratch = malloc_collecting(the, need ? need : 1, &collected);
	/* The Haar feature table (up to 128 KB of the scratch) only speeds the scan up: short of memory, a
	   quarter of it, then none (the stages past it read the cascade's own records). */
	for (uint32_t table = cascade.scan_table / 4; !scratch && cascade.scan_table > 0; table /= 4) {
		cascade.scan_table = table >= 4096 ? table & ~7u : 0;
		need = vision_cascade_scan_levels_get_buffer_size(&cascade, roi_w, roi_h, a.scales, (uint32_t)a.n_scales, step,
		                                                  refine);
		scratch = malloc(need ? need : 1);
	}
	if (!scratch)
		xsUnknownError("haarScan: out of C memory for %u bytes of scratch", (unsigned)need);
	if (collected)
		scan_arrays(the, stage_count, &a);
	if (a.thresholds)
		cascade.stage_thresholds = a.thresholds;
	const float *scales = a.scales;
	const size_t n_scales = a.n_scales;
	int32_t *rects = a.rects;
	const uint32_t capacity = a.capacity;
	float *scores = a.scores;
	uint8_t *stats = a.stats;

	vision_rect_list_t list = {(vision_rect_t *)rects, capacity, 0, 0, scores};
	vision_haar_stats_t counted = {0};
	const vision_status_t st = vision_cascade_scan_levels(&cascade, &image, &roi, scales, (uint32_t)n_scales, step,
	                                                      refine, scratch, need, &list, stats ? &counted : NULL);
	free(scratch);
	if (st != VISION_OK)
		xsRangeError("haarScan: %s (roi %d,%d %dx%d in a %dx%d frame)", status_text(st), (int)roi.x, (int)roi.y,
		             (int)roi.w, (int)roi.h, (int)image.width, (int)image.height);
	if (stats) {
		double sums[5];
		memcpy(sums, stats, sizeof(sums));
		sums[0] += counted.windows;
		sums[1] += counted.low_variance;
		sums[2] += counted.stages;
		sums[3] += counted.weaks;
		sums[4] += counted.passed;
		memcpy(stats, sums, sizeof(sums));
	}
	xsmcSetInteger(xsResult, list.overflow ? -1 : (xsIntegerValue)list.count);
}

/* haarScales(width, height, windowW, windowH, scaleFactor, minW, minH, maxW, maxH, scales): count (may exceed
 * scales' length; a closed frame's size 0 has none) */
void xs_vision_haar_scales(xsMachine *the)
{
	xsmcVars(1);
	const int32_t width = int_arg(the, 0, 0, FRAME_MAX_SIDE, "haarScales width");
	const int32_t height = int_arg(the, 1, 0, FRAME_MAX_SIDE, "haarScales height");
	const int32_t ww = int_arg(the, 2, 1, 255, "haarScales windowW"),
	              wh = int_arg(the, 3, 1, 255, "haarScales windowH");
	const double factor = xsmcToNumber(xsArg(4));
	if (!(factor > 1.0 && factor <= 1e6))
		xsRangeError("haarScales scaleFactor: %g, expected a number > 1", factor);
	const int32_t min_w = int_arg(the, 5, 0, 1 << 20, "haarScales minW"),
	              min_h = int_arg(the, 6, 0, 1 << 20, "haarScales minH");
	const int32_t max_w = int_arg(the, 7, 0, 1 << 20, "haarScales maxW"),
	              max_h = int_arg(the, 8, 0, 1 << 20, "haarScales maxH");
	size_t length;
	float *scales = xsBindingBytesIn(the, &xsArg(9), &xsVar(0), &length, 1, "haarScales scales");
	if (((uintptr_t)scales & 3) || length % sizeof(float))
		xsTypeError("haarScales scales: expected a Float32Array");
	xsmcSetInteger(xsResult,
	               vision_haar_scales(width, height, ww, wh, factor, min_w, min_h, max_w, max_h, scales,
	                                  (int32_t)(length / sizeof(float))));
}

/* groupLabels(rects, count, mode, eps, labels): classes */
void xs_vision_group_labels(xsMachine *the)
{
	xsmcVars(1);
	size_t rects_len, labels_len;
	int32_t mode = int_arg(the, 2, VISION_GROUP_OPENCV, VISION_GROUP_OVERLAP, "groupLabels mode");
	double eps = xsmcToNumber(xsArg(3));
	if (!(eps >= 0 && eps <= 1e6))
		xsRangeError("groupLabels eps: %g, expected a number >= 0", eps);
	const int32_t *rects = xsBindingBytesIn(the, &xsArg(0), &xsVar(0), &rects_len, 0, "groupLabels rects");
	if (((uintptr_t)rects & 3) || rects_len % (4 * sizeof(int32_t)))
		xsTypeError("groupLabels rects: expected an Int32Array of quads");
	int32_t count = int_arg(the, 1, 0, (int32_t)(rects_len / (4 * sizeof(int32_t))), "groupLabels count");
	int32_t *labels = xsBindingBytesIn(the, &xsArg(4), &xsVar(0), &labels_len, 1, "groupLabels labels");
	if (((uintptr_t)labels & 3) || labels_len < (size_t)count * sizeof(int32_t))
		xsTypeError("groupLabels labels: expected an Int32Array of at least count");
	int32_t *work = malloc(2 * sizeof(int32_t) * (size_t)(count ? count : 1));
	if (!work)
		xsUnknownError("groupLabels: out of C memory for %d candidates", (int)count);
	int32_t classes = vision_group_labels(rects, count, (vision_group_t)mode, eps, labels, work);
	free(work);
	xsmcSetInteger(xsResult, classes);
}

/* groupTotals(rects, scores, count, labels, classes, sums, counts, best) */
void xs_vision_group_totals(xsMachine *the)
{
	xsmcVars(1);
	size_t rects_len, scores_len, labels_len, sums_len, counts_len, best_len;
	const int32_t *rects = xsBindingBytesIn(the, &xsArg(0), &xsVar(0), &rects_len, 0, "groupTotals rects");
	if (((uintptr_t)rects & 3) || rects_len % (4 * sizeof(int32_t)))
		xsTypeError("groupTotals rects: expected an Int32Array of quads");
	int32_t count = int_arg(the, 2, 0, (int32_t)(rects_len / (4 * sizeof(int32_t))), "groupTotals count");
	const float *scores = xsBindingBytesIn(the, &xsArg(1), &xsVar(0), &scores_len, 0, "groupTotals scores");
	const int32_t *labels = xsBindingBytesIn(the, &xsArg(3), &xsVar(0), &labels_len, 0, "groupTotals labels");
	int32_t classes = int_arg(the, 4, 0, count, "groupTotals classes");
	uint8_t *sums = xsBindingBytesIn(the, &xsArg(5), &xsVar(0), &sums_len, 1, "groupTotals sums");
	int32_t *counts = xsBindingBytesIn(the, &xsArg(6), &xsVar(0), &counts_len, 1, "groupTotals counts");
	uint8_t *best = xsBindingBytesIn(the, &xsArg(7), &xsVar(0), &best_len, 1, "groupTotals best");
	if (((uintptr_t)scores & 3) || scores_len < (size_t)count * sizeof(float) || ((uintptr_t)labels & 3) ||
	    labels_len < (size_t)count * sizeof(int32_t) || sums_len < (size_t)classes * 4 * sizeof(double) ||
	    ((uintptr_t)counts & 3) || counts_len < (size_t)classes * sizeof(int32_t) ||
	    best_len < (size_t)classes * sizeof(double))
		xsTypeError("groupTotals: expected count scores and labels, and classes' sums (x4), counts and best");
	/* XS's 32-bit builds align an ArrayBuffer's bytes to 4, not 8: the doubles go through C memory. */
	double *totals = malloc(5 * sizeof(double) * (size_t)(classes ? classes : 1));
	if (!totals)
		xsUnknownError("groupTotals: out of C memory for %d classes", (int)classes);
	const vision_status_t status =
	        vision_group_totals(rects, scores, count, labels, classes, totals, counts, totals + 4 * (size_t)classes);
	if (status == VISION_OK) {
		memcpy(sums, totals, (size_t)classes * 4 * sizeof(double));
		memcpy(best, totals + 4 * (size_t)classes, (size_t)classes * sizeof(double));
	}
	free(totals);
	if (status != VISION_OK)
		xsRangeError("groupTotals labels: a label outside 0..%d", (int)classes - 1);
}

/* cropQuantize(frame, roi, dst, width, height, interp, inScale, outScale, zeroPoint) */
void xs_vision_crop_quantize(xsMachine *the)
{
	xsmcVars(1);
	vision_image_u8_t image;
	vision_rect_t roi;
	int32_t width = int_arg(the, 3, 1, FRAME_MAX_SIDE, "cropQuantize width");
	int32_t height = int_arg(the, 4, 1, FRAME_MAX_SIDE, "cropQuantize height");
	int32_t interp = int_arg(the, 5, 0, 1, "cropQuantize interp");
	float in_scale = (float)xsmcToNumber(xsArg(6));
	float out_scale = (float)xsmcToNumber(xsArg(7));
	int32_t zero_point = int_arg(the, 8, -128, 127, "cropQuantize zeroPoint");
	roi_arg(the, &xsArg(1), &roi, "cropQuantize roi");
	size_t dst_len;
	frame_image(the, &xsArg(0), &image, "cropQuantize frame");
	int8_t *dst = xsBindingBytesIn(the, &xsArg(2), &xsVar(0), &dst_len, 1, "cropQuantize dst");
	if (dst_len != (size_t)width * (size_t)height)
		xsRangeError("cropQuantize dst: %u bytes, expected %d x %d", (unsigned)dst_len, (int)width, (int)height);
	size_t need = vision_crop_resize_quantize_s8_get_buffer_size(width, (vision_interp_t)interp);
	void *scratch = malloc(need ? need : 1);
	if (!scratch)
		xsUnknownError("cropQuantize: out of C memory");
	vision_status_t st = vision_crop_resize_quantize_s8(&image, &roi, dst, width, height, (vision_interp_t)interp,
	                                                    in_scale, out_scale, zero_point, scratch, need);
	free(scratch);
	if (st != VISION_OK)
		xsRangeError("cropQuantize: %s (roi %d,%d %dx%d in a %dx%d frame, scales %g/%g)", status_text(st), (int)roi.x,
		             (int)roi.y, (int)roi.w, (int)roi.h, (int)image.width, (int)image.height, (double)in_scale,
		             (double)out_scale);
}
