/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers shared by the vision sources: little-endian loads from
 * cascade data, OpenCV-compatible rounding, scratch carving and the
 * row-by-row INTER_LINEAR_EXACT resizer the Haar scan streams from.
 */
#ifndef XSIGHT_VISION_INTERNAL_H
#define XSIGHT_VISION_INTERNAL_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "vision.h"

/*
 * Matching OpenCV bit for bit needs every float/double operation rounded on
 * its own: a fused multiply-add (VFMA on Cortex-M7, FMA on x86 with -mfma)
 * rounds once and can change a coefficient or a comparison. GCC contracts
 * by default in gnu modes, so switch it off for every function after this.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vision: cascade loads assume a little-endian target"
#endif

/* A scan loop's helper that must be inlined into each of its specialisations (counting or not). */
#if defined(__GNUC__)
#define VISION_INLINE inline __attribute__((always_inline))
#else
#define VISION_INLINE inline
#endif

/* memcpy keeps strict aliasing happy and compiles to one load on LE targets. */
static inline uint16_t vision__ld_u16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint32_t vision__ld_u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline float vision__ld_f32(const uint8_t *p)
{
	float v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* A float32 in cascade data that is not NaN or infinite. */
static inline int vision__finite_f32(const uint8_t *p)
{
	return ((vision__ld_u32(p) >> 23) & 0xffu) != 0xffu;
}

/* cvRound: round half to even, for values an int32 holds: rint in the default rounding mode (nearest,
   ties to even), which the boards never change. One VRINTX.F64 and one VCVT on the Cortex-M7; a
   truncation through int64 was two libgcc calls (no 64-bit conversion in the FPU), about 150
   instructions, for each of the pyramid's resize coefficients (0.09 M a field wake). */
static inline int32_t vision__round_even_d(double v)
{
	return (int32_t)rint(v);
}

static inline int32_t vision__round_even_f(float v)
{
	/* A float converts exactly to double, and the tie test is the same. */
	return vision__round_even_d((double)v);
}

/* A per-pixel loop unrolled four times where GCC takes the hint: the pyramid's resize and integral
   rows (10-15 instructions a pixel on the Cortex-M7, two or three of them the loop's own) cost about
   0.06 M less a field frame. Not for the Haar scan's groups of records: too short, they got slower. */
#if defined(__GNUC__) && !defined(__clang__)
#define VISION_UNROLL4 _Pragma("GCC unroll 4")
#else
#define VISION_UNROLL4
#endif

/* Carves 8-byte aligned pieces from a caller buffer. */
typedef struct {
	uint8_t *p;
	size_t left;
	int failed;
} vision__arena_t;

static inline void *vision__take(vision__arena_t *a, size_t size)
{
	uintptr_t addr = (uintptr_t)a->p;
	size_t pad = (size_t)((8u - (addr & 7u)) & 7u);
	if (a->failed || pad + size > a->left) {
		a->failed = 1;
		return NULL;
	}
	void *r = a->p + pad;
	a->p += pad + size;
	a->left -= pad + size;
	return r;
}

/* Bytes vision__take needs for `size`, including worst-case alignment padding. */
static inline size_t vision__need(size_t size)
{
	return size + 7u;
}

/*
 * INTER_LINEAR_EXACT, one destination row at a time. Per column: source
 * offset and the 8-bit weight of the right neighbour; columns outside
 * [x_min, x_max) replicate the first / last source pixel. Two horizontally
 * filtered source rows (8 fractional bits) are cached because consecutive
 * destination rows share them.
 */
typedef struct {
	int32_t ofs;
	uint16_t c1; /* weight of src[ofs+1], 0..256; src[ofs] gets 256 - c1 */
	uint16_t pad;
} vision__lin_x_t;

typedef struct {
	const uint8_t *src;
	int32_t src_w, src_h, src_stride;
	int32_t dst_w, dst_h;
	int32_t x_min, x_max, y_min, y_max;
	double scale_y;
	vision__lin_x_t *xtab;
	uint16_t *hrow[2];
	int32_t hsrc[2]; /* source row held in hrow[i], -1 if none */
} vision__lin_t;

size_t vision__lin_buffer_size(int32_t dst_w);
void vision__lin_init(vision__lin_t *r, const uint8_t *src, int32_t src_w, int32_t src_h, int32_t src_stride,
                      int32_t dst_w, int32_t dst_h, vision__arena_t *arena);
void vision__lin_row(vision__lin_t *r, int32_t dy, uint8_t *out);

/* Area-mean destination row dy (resize.c); no scratch. */
void vision__area_row(const uint8_t *src, int32_t src_w, int32_t src_h, int32_t stride, int32_t dst_w, int32_t dst_h,
                      int32_t dy, uint8_t *out);

/* Appends a candidate found at (x, y) of the level at `scale`, in image coordinates (rw x rh: the scaled window). */
static inline void vision__emit(vision_rect_list_t *out, const vision_rect_t *roi, int32_t x, int32_t y, float scale,
                                int32_t rw, int32_t rh, double last)
{
	if (out->count < out->capacity) {
		vision_rect_t *o = &out->rects[out->count++];
		o->x = vision__round_even_f((float)x * scale) + roi->x;
		o->y = vision__round_even_f((float)y * scale) + roi->y;
		o->w = rw;
		o->h = rh;
		if (out->scores != NULL)
			out->scores[out->count - 1] = (float)last;
	} else {
		out->overflow = 1;
	}
}

/*
 * One pyramid level as the Haar and LBP scans stream it (level.c): the ROI
 * resized row by row to round(roi / scale) (INTER_LINEAR_EXACT; the image's
 * own rows when that is the ROI's size), and the integral rows a window
 * needs kept contiguous: integral row r is stored in slot r % K and again in
 * slot r % K + K (K = window_h + 1 + lag, 2K - 1 slots), so rows y..y+window_h
 * are the slots from y % K on and every corner is one offset from the window's
 * top-left entry; `lag` more rows let a scan still evaluate windows that many
 * rows above the newest. With squares (Haar's variance), the squared integral too,
 * a plain ring of K slots: a window reads it twice.
 *
 * Values are uint32 and wrap: a rectangle's sum (a difference of four
 * entries) is still exact while it fits in 32 bits, which holds for any
 * window up to 255x255 (sum of squares <= 253*253*65025 < 2^32). That is the
 * same modular arithmetic OpenCV's int32 squared sum relies on.
 */
typedef struct {
	uint32_t *sum;     /* 2K - 1 slots of `stride` words */
	uint32_t *sq;      /* K slots, or NULL */
	int32_t stride;    /* words per integral row: sw + 1 */
	int32_t k;         /* window_h + 1 + lag */
	int32_t rows_done; /* integral rows computed (row 0 is zeros) */
	int32_t sw, sh;    /* the level's size; sw 0: no window fits, nothing to scan */
	int32_t step;      /* window step in both axes */
	int skip;          /* OpenCV's stepping: one more step after a stage-0 reject */
	int32_t rw, rh;    /* the window's size in image pixels */
	vision_rect_t roi;
	const uint8_t *base; /* the ROI's first pixel */
	int32_t src_stride;
	int identity; /* the level is the ROI itself */
	vision__lin_t lin;
	uint8_t *row; /* the resized row being pushed */
} vision__level_t;

/* Bytes a level sw wide takes from the scan's scratch, with `lag` rows more than a window needs. */
size_t vision__level_size(int32_t window_h, int32_t sw, int squares, int32_t lag);

/*
 * The scans' common prologue: checks the arguments (the cascade of `type`,
 * the image, ROI, scale, step, output and stats), sizes the level and carves
 * its tables from `a`, which must also hold `extra` bytes for the scan's own
 * (VISION_ERR_BUFFER). The integral rows are `stride` words apart when that
 * is more than the level's width (so levels can share corner offsets), else
 * width + 1; the ring keeps `lag` rows more than a window's. VISION_OK with
 * level->sw == 0 when no window fits.
 */
vision_status_t vision__level_begin(vision__level_t *l, const vision_cascade_t *c, uint8_t type,
                                    const vision_image_u8_t *image, const vision_rect_t *roi, float scale, int32_t step,
                                    const vision_rect_list_t *out, int stats_ok, int squares, int32_t stride,
                                    int32_t lag, size_t extra, vision__arena_t *a);

/* Computes the integral rows up to row y + window_h + lag, the last a window at row y + lag reads. */
void vision__level_rows(vision__level_t *l, int32_t y);

/* The bytes of the Haar scan's feature table for a checked cascade (haar.c): its first stages' records, capped. */
uint32_t vision__haar_table_bytes(const vision_cascade_t *c);

/* The Haar scan of every level at `scales` sharing one feature table (haar.c), and its scratch; stats NULL: not
   counted. */
size_t vision__haar_levels_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, const float *scales,
                                uint32_t n, int32_t step, int32_t refine);
vision_status_t vision__haar_scan_levels(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, const float *scales, uint32_t n, int32_t step,
                                         int32_t refine, void *buf, size_t buf_size, vision_rect_list_t *out,
                                         vision_haar_stats_t *stats);

/* The LBP part of vision_cascade_check (lbp.c): its weak classifiers and features, once the header and stages passed. */
vision_status_t vision__lbp_check_records(const uint8_t *weaks, uint32_t n_weaks, const uint8_t *features,
                                          uint32_t n_features, uint32_t win_w, uint32_t win_h, const char **reason);

/* Checks an image and optional ROI; fills the effective ROI. */
static inline vision_status_t vision__roi(const vision_image_u8_t *img, const vision_rect_t *roi, vision_rect_t *out)
{
	if (img == NULL || img->data == NULL || img->width <= 0 || img->height <= 0 || img->stride < img->width)
		return VISION_ERR_ARG;
	if (roi == NULL) {
		out->x = 0;
		out->y = 0;
		out->w = img->width;
		out->h = img->height;
		return VISION_OK;
	}
	if (roi->x < 0 || roi->y < 0 || roi->w <= 0 || roi->h <= 0 || roi->w > img->width - roi->x ||
	    roi->h > img->height - roi->y)
		return VISION_ERR_ARG;
	*out = *roi;
	return VISION_OK;
}

#endif
