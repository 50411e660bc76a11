/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Haar cascade evaluation, one pyramid level at a time, reproducing OpenCV
 * 4.x CascadeClassifier (HAAR, stumps and trees) before grouping. The facts mirrored,
 * restated from its documented behaviour and checked against opencv-js:
 *
 *  - each level is the image resized to round(size / scale) with
 *    INTER_LINEAR_EXACT; the window keeps the cascade's size;
 *  - positions step by 1 resized pixel when scale >= 2, else by 2, and after
 *    a window rejected by stage 0 the next position in the row is skipped;
 *  - variance is taken over the window shrunk by one pixel on each side:
 *    nf = area * sqsum - sum^2 (exact), and the window is rejected before
 *    any stage when nf <= 0 or area / sqrt(nf) >= 0.1 (std dev <= 10);
 *    otherwise inv = (float)(1 / sqrt(nf));
 *  - a feature is the integer weighted rect sum (exact in float32) times
 *    inv, rounded to float, compared with the float threshold (< goes left);
 *  - stage sums accumulate the float leaves in double and fail when
 *    sum < (float)stage_threshold - 1e-5f.
 * Every float operation is a single IEEE operation in the same precision
 * as OpenCV's, so results are identical, not just close.
 */
#include <math.h>

#include "vision_internal.h"

#define STAGE_SIZE   8u
#define WEAK_SIZE    16u
#define RECT_SIZE    5u
#define LOW_VARIANCE (-1)

typedef struct {
	const uint32_t **srow; /* window_h + 1 integral rows of the current window row band */
	const uint32_t **qrow;
} rows_t;

/* One rect's weighted sum: x, y, w, h, weight bytes; the integral's uint32
   differences wrap back to the exact sum. */
static inline int32_t rect_sum(const uint32_t *const *srow, int32_t x, const uint8_t *r)
{
	const uint32_t *r0 = srow[r[1]] + x + r[0];
	const uint32_t *r1 = srow[r[1] + r[3]] + x + r[0];
	return (int8_t)r[4] * (int32_t)(r1[r[2]] - r1[0] - r0[r[2]] + r0[0]);
}

/*
 * An int64 of magnitude under 2^53 as a double, exactly (both halves convert exactly and so
 * does their sum): two VCVTs of the FPU where a cast calls libgcc's __aeabi_l2d on the
 * Cortex-M7, twice a window. nf is under area^2 * 255^2 < 2^48 for any window under 256 px.
 */
static inline double exact_f64(int64_t v)
{
	return (double)(int32_t)(v >> 32) * 4294967296.0 + (double)(uint32_t)v;
}

/*
 * The window's variance normalisation, as OpenCV's: counts the window, and
 * refuses a flat one (LOW_VARIANCE); else *inv = 1 / sqrt(area * sum(q) - sum^2).
 */
static inline int32_t window_norm(int64_t area, uint32_t vs, uint32_t vq, float *inv, double *last_sum,
                                  vision_haar_stats_t *st, const int counting)
{
	const int64_t nf = area * (int64_t)vq - (int64_t)vs * (int64_t)vs;

	if (counting)
		st->windows++;
	*last_sum = 0.0;
	if (nf <= 0) {
		if (counting)
			st->low_variance++;
		return LOW_VARIANCE;
	}
	*inv = (float)(1.0 / sqrt(exact_f64(nf)));
	if (!(exact_f64(area) * (double)*inv < 0.1)) {
		if (counting)
			st->low_variance++;
		return LOW_VARIANCE;
	}
	return 0;
}

/* A float of the weak classifier table, which vision_cascade_check proved 4-byte aligned: one VLDR, not LDR + VMOV. */
static inline float ld_f32_aligned(const uint8_t *p)
{
#if defined(__GNUC__)
	p = (const uint8_t *)__builtin_assume_aligned(p, 4);
#endif
	return vision__ld_f32(p);
}

/* A node's feature sum (its rects' weighted sums), from `ctx`: the scan's view of the window. */
typedef int32_t (*node_sum_t)(const void *ctx, const uint8_t *node, uint32_t ref);

/*
 * One weak classifier: its tree walked from its first node to a leaf, as
 * OpenCV's predictOrdered (the left child when the feature < the threshold),
 * returning the leaf; *weak moves past the tree's nodes, *nodes counts the
 * features evaluated. A stump is a tree of one node.
 */
static inline float tree_leaf(const uint8_t **weak, float inv, node_sum_t sum_of, const void *ctx, uint32_t *nodes)
{
	const uint8_t *node = *weak;
	uint32_t ref = vision__ld_u32(node + 12);
	*weak += (size_t)((ref >> VISION_NODE_TREE_SHIFT) + 1) * WEAK_SIZE;
	for (;;) {
		(*nodes)++;
		const float v = (float)sum_of(ctx, node, ref) * inv;
		const uint32_t side = v < ld_f32_aligned(node) ? 0 : 1;
		if (!(ref & (VISION_NODE_LEFT << side)))
			return ld_f32_aligned(node + 4 + 4 * side);
		node += (size_t)vision__ld_u32(node + 4 + 4 * side) * WEAK_SIZE;
		ref = vision__ld_u32(node + 12);
	}
}

typedef struct {
	const vision_cascade_t *c;
	const uint32_t *const *srow;
	int32_t x;
} ring_window_t;

static int32_t ring_sum(const void *ctx, const uint8_t *node, uint32_t ref)
{
	(void)node;
	const ring_window_t *w = (const ring_window_t *)ctx;
	const uint8_t *r = w->c->rects + (size_t)(ref & 0xffffffu) * RECT_SIZE;
	const uint32_t cnt = (ref >> 24) & 3u;
	/* Two or three rects (cascade_check allows 1..3): unrolled, no loop control per rect. */
	int32_t fsum = rect_sum(w->srow, w->x, r);
	if (cnt >= 2) {
		fsum += rect_sum(w->srow, w->x, r + RECT_SIZE);
		if (cnt == 3)
			fsum += rect_sum(w->srow, w->x, r + 2 * RECT_SIZE);
	}
	return fsum;
}

/* Returns stages passed (0..stage_count) or LOW_VARIANCE. */
static inline int32_t eval_window(const vision_cascade_t *c, const rows_t *rows, int32_t x, double *last_sum,
                                  vision_haar_stats_t *st, const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h;
	const int64_t area = (int64_t)(ww - 2) * (wh - 2);
	const uint32_t *a = rows->srow[1] + x + 1, *b = rows->srow[wh - 1] + x + 1;
	const uint32_t *qa = rows->qrow[1] + x + 1, *qb = rows->qrow[wh - 1] + x + 1;
	const uint32_t vs = b[ww - 2] - b[0] - a[ww - 2] + a[0];
	const uint32_t vq = qb[ww - 2] - qb[0] - qa[ww - 2] + qa[0];
	float inv;
	if (window_norm(area, vs, vq, &inv, last_sum, st, counting) == LOW_VARIANCE)
		return LOW_VARIANCE;

	const uint8_t *stage = c->stages;
	const uint8_t *weak = c->weaks;
	const ring_window_t win = {c, rows->srow, x};
	double sum = 0.0;
	for (int32_t s = 0; s < c->stage_count; s++, stage += STAGE_SIZE) {
		const int32_t n = vision__ld_u16(stage);
		const float stage_thr =
		        (c->stage_thresholds != NULL ? c->stage_thresholds[s] : vision__ld_f32(stage + 4)) - 1e-5f;
		uint32_t nodes = 0;
		sum = 0.0;
		for (int32_t k = 0; k < n; k++)
			sum += (double)tree_leaf(&weak, inv, ring_sum, &win, &nodes);
		if (counting) {
			st->stages++;
			st->weaks += nodes;
		}
		if (sum < (double)stage_thr) {
			*last_sum = sum;
			return s;
		}
	}
	*last_sum = sum;
	if (counting)
		st->passed++;
	return c->stage_count;
}

void vision_haar_scaled_size(int32_t image_w, int32_t image_h, float scale, int32_t *w, int32_t *h)
{
	*w = vision__round_even_f((float)image_w / scale);
	*h = vision__round_even_f((float)image_h / scale);
}

int32_t vision_haar_scales(int32_t image_w, int32_t image_h, int32_t window_w, int32_t window_h, double scale_factor,
                           int32_t min_w, int32_t min_h, int32_t max_w, int32_t max_h, float *scales, int32_t capacity)
{
	if (image_w < window_w || image_h < window_h || window_w <= 0 || window_h <= 0 || !(scale_factor > 1.0))
		return 0;
	if (max_w == 0 || max_h == 0) {
		max_w = image_w;
		max_h = image_h;
	}
	int32_t n = 0;
	for (double factor = 1.0;; factor *= scale_factor) {
		/* OpenCV sizes the pyramid with the double factor... */
		if (vision__round_even_d(window_w * factor) > image_w || vision__round_even_d(window_h * factor) > image_h)
			break;
		/* ...but keeps and filters it as float. */
		const float sc = (float)factor;
		const int32_t fw = vision__round_even_f((float)window_w * sc), fh = vision__round_even_f((float)window_h * sc);
		if (fw > max_w || fh > max_h)
			break;
		if (fw < min_w || fh < min_h)
			continue;
		if (scales != NULL && n < capacity)
			scales[n] = sc;
		n++;
	}
	return n;
}

static size_t rows_size(int32_t window_h)
{
	return 2 * vision__need((size_t)(window_h + 1) * sizeof(uint32_t *));
}

static int rows_take(rows_t *rows, int32_t window_h, vision__arena_t *a)
{
	rows->srow = (const uint32_t **)vision__take(a, (size_t)(window_h + 1) * sizeof(uint32_t *));
	rows->qrow = (const uint32_t **)vision__take(a, (size_t)(window_h + 1) * sizeof(uint32_t *));
	return !a->failed;
}

static void rows_point(rows_t *rows, const vision_integral_mw_t *mw, int32_t y, int32_t window_h)
{
	for (int32_t i = 0; i <= window_h; i++) {
		rows->srow[i] = vision_integral_mw_sum_row(mw, y + i);
		rows->qrow[i] = vision_integral_mw_sqsum_row(mw, y + i);
	}
}

/* Bytes the ring scan (the fallback) needs for a scaled image sw wide. */
static size_t ring_size(const vision_cascade_t *c, int32_t sw)
{
	return vision_integral_mw_get_buffer_size(sw, c->window_h + 1) + vision__need((size_t)sw) +
	        vision__lin_buffer_size(sw) + rows_size(c->window_h);
}

/*
 * The fast scan keeps the integral rows a window needs contiguous, so a
 * rect corner is one offset from the window's top-left entry: each integral
 * row r is stored in slot r % K and again in slot r % K + K (K = window_h + 1,
 * 2K - 1 slots), so rows y..y+window_h are slots y % K onwards. The squared
 * integral, read twice per window, stays a plain ring of K rows. The rects
 * of the first stages get their four corners' byte offsets from the window's
 * top-left entry (uint16, so the window's rows must span under 64 KB) and
 * their weights, in weak classifier order, prepared when a window first
 * reaches the stage; the table holds FAST_TABLE_RECTS rects (16 KB), which
 * covers the stages where almost all the work is (96% of frontalface's
 * features on a QQVGA search are in its first 10 stages, 1,100 rects); the
 * rare windows that get further read the rest from the cascade's rects.
 */
#define FAST_TABLE_RECTS 2048u

/*
 * The shapes of almost every OpenCV Haar feature (frontalface: all 2913):
 * a rect of weight -1 and one or two of weight 2 or 3. Their sums take
 * shifts and adds instead of a multiply per rect; anything else is GENERIC.
 * Two of them share corners, and read each integral entry once: a rect and
 * its half (HALF: 6 corners, not 8) and the 2x2 checkerboard of two diagonal
 * quadrants (CHECKER, CHECKER_NEG: 9, not 12). In frontalface's first six
 * stages 76 of 189 features are HALF and 20 a checkerboard.
 */
enum { FEATURE_GENERIC, FEATURE_1_2, FEATURE_1_3, FEATURE_1_2_2, FEATURE_HALF, FEATURE_CHECKER, FEATURE_CHECKER_NEG };

/*
 * A 1_2 feature whose weight-2 rect is half of the other, or a 1_2_2 whose two are
 * diagonal quadrants of it, rewritten over its rects' corner slots `o`: HALF as
 * (o0 + o1 - o2 - o3) + 2 (o4 - o5); CHECKER as 2 (o1 + o2 + o3 + o4) - (o5 + o6 + o7 + o8) - 4 o0,
 * CHECKER_NEG its negation (the other diagonal). Else `o` is left and `kind` returned.
 */
static uint8_t shared_corners(uint16_t *o, const uint8_t *r, uint8_t kind, uint32_t row)
{
	const uint32_t x = r[0], y = r[1], w = r[2], h = r[3];
#define OFF(cx, cy) ((uint16_t)((uint32_t)(cy)*row + (uint32_t)(cx)*4u))
	if (kind == FEATURE_1_2) {
		const uint8_t *q = r + RECT_SIZE;
		/* -S(rect) + 2 S(half) by corner: +1 at two of the rect's corners and -1 at the other two
		   (which two depends on the half's side), +2 and -2 where the split meets the rect's edges. */
		if (q[1] == y && q[3] == h && 2u * q[2] == w && (q[0] == x || q[0] + q[2] == x + w)) {
			const uint32_t mid = x + q[2], plus = q[0] == x ? y : y + h, minus = q[0] == x ? y + h : y;
			o[0] = OFF(x, plus);
			o[1] = OFF(x + w, plus);
			o[2] = OFF(x, minus);
			o[3] = OFF(x + w, minus);
			o[4] = OFF(mid, minus);
			o[5] = OFF(mid, plus);
			return FEATURE_HALF;
		}
		if (q[0] == x && q[2] == w && 2u * q[3] == h && (q[1] == y || q[1] + q[3] == y + h)) {
			const uint32_t mid = y + q[3], plus = q[1] == y ? x : x + w, minus = q[1] == y ? x + w : x;
			o[0] = OFF(plus, y);
			o[1] = OFF(plus, y + h);
			o[2] = OFF(minus, y);
			o[3] = OFF(minus, y + h);
			o[4] = OFF(minus, mid);
			o[5] = OFF(plus, mid);
			return FEATURE_HALF;
		}
		return kind;
	}
	const uint8_t *a = r + RECT_SIZE, *b = r + 2 * RECT_SIZE;
	const uint32_t hw = w / 2, hh = h / 2;
	if ((w & 1) || (h & 1) || a[2] != hw || a[3] != hh || b[2] != hw || b[3] != hh)
		return kind;
	/* Quadrant positions 0..3 (left/right, top/bottom); diagonal when they differ in both. */
	const uint32_t ax = a[0] == x ? 0 : a[0] == x + hw ? 1 : 2, ay = a[1] == y ? 0 : a[1] == y + hh ? 1 : 2;
	const uint32_t bx = b[0] == x ? 0 : b[0] == x + hw ? 1 : 2, by = b[1] == y ? 0 : b[1] == y + hh ? 1 : 2;
	if (ax > 1 || ay > 1 || bx > 1 || by > 1 || ax == bx || ay == by)
		return kind;
	o[0] = OFF(x + hw, y + hh);
	o[1] = OFF(x + hw, y);
	o[2] = OFF(x, y + hh);
	o[3] = OFF(x + w, y + hh);
	o[4] = OFF(x + hw, y + h);
	o[5] = OFF(x, y);
	o[6] = OFF(x + w, y);
	o[7] = OFF(x, y + h);
	o[8] = OFF(x + w, y + h);
#undef OFF
	/* Top-right and bottom-left: the centre -4, edges +2, corners -1; the other diagonal negates all. */
	return ax == ay ? FEATURE_CHECKER_NEG : FEATURE_CHECKER;
}

static uint32_t table_rects(const vision_cascade_t *c)
{
	return c->rect_count < FAST_TABLE_RECTS ? c->rect_count : FAST_TABLE_RECTS;
}

static int fast_fits(const vision_cascade_t *c, int32_t sw)
{
	return ((uint32_t)c->window_h * (uint32_t)(sw + 1) + c->window_w) * 4u <= 0xffffu;
}

static size_t fast_size(const vision_cascade_t *c, int32_t sw)
{
	const size_t k = (size_t)c->window_h + 1, row = (size_t)(sw + 1) * sizeof(uint32_t);
	return vision__need((2 * k - 1) * row) + vision__need(k * row) + vision__need((size_t)sw) +
	        vision__lin_buffer_size(sw) + vision__need((size_t)table_rects(c) * 4 * sizeof(uint16_t)) +
	        2 * vision__need((size_t)table_rects(c)) +
	        (c->trees ? vision__need((size_t)table_rects(c) * sizeof(uint16_t)) : 0) +
	        vision__need((size_t)c->stage_count * sizeof(uint32_t)) +
	        vision__need((size_t)c->stage_count * sizeof(double));
}

size_t vision_haar_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale)
{
	if (cascade == NULL || roi_w <= 0 || roi_h <= 0 || !(scale > 0.0f && scale < 1.0e6f))
		return 0;
	int32_t sw, sh;
	vision_haar_scaled_size(roi_w, roi_h, scale, &sw, &sh);
	if (sw < cascade->window_w || sh < cascade->window_h)
		return 1; /* nothing to scan; any non-NULL buffer will do */
	size_t ring = ring_size(cascade, sw);
	if (!fast_fits(cascade, sw))
		return ring;
	size_t fast = fast_size(cascade, sw);
	return fast > ring ? fast : ring;
}

/* The fast scan's state for one scale. */
typedef struct {
	uint32_t *sum;        /* 2K - 1 slots of `stride` words */
	uint32_t *sq;         /* K slots */
	uint16_t *corner;     /* per rect in weak classifier order: its 4 corners' byte offsets from the window's */
	int8_t *weight;       /* per rect in the same order: |weight| (a negative one swaps the corners) */
	uint8_t *kind;        /* per weak classifier of the table's stages: its FEATURE_* shape */
	uint16_t *slot;       /* with trees, per weak classifier record of the table: index of its first rect */
	uint32_t table_end;   /* weak classifier records in the table */
	uint32_t *stage_at;   /* per prepared stage: index of its first rect in corner/weight */
	double *stage_thr;    /* per stage: (float)threshold - 1e-5f */
	int32_t stride;       /* words per integral row: sw + 1 */
	int32_t k;            /* window_h + 1 */
	int32_t rows_done;    /* integral rows computed (row 0 is zeros) */
	int32_t prepared;     /* stages looked at for the table */
	int32_t table_stages; /* the first stages, whose rects are in the table */
	uint32_t capacity;    /* rects the table holds */
} fast_t;

/* Integral row r = rows_done from image row r - 1, written to both of its slots. */
static void fast_push(fast_t *f, const uint8_t *row, int32_t width)
{
	const int32_t r = f->rows_done, k = f->k, w1 = f->stride;
	const int32_t slot = r % k, prev = (r - 1) % k;
	const uint32_t *ps = f->sum + (size_t)prev * (size_t)w1, *pq = f->sq + (size_t)prev * (size_t)w1;
	uint32_t *s = f->sum + (size_t)slot * (size_t)w1, *q = f->sq + (size_t)slot * (size_t)w1;
	/* The last slot has no twin: windows starting at slot K - 1 read it and slots K.. (the twins of 0..). */
	uint32_t *s2 = slot + 1 < k ? s + (size_t)k * (size_t)w1 : s;
	uint32_t acc = 0, accq = 0;
	s[0] = 0;
	s2[0] = 0;
	q[0] = 0;
	for (int32_t x = 0; x < width; x++) {
		const uint32_t v = row[x];
		acc += v;
		accq += v * v; /* wraps; differences stay exact (vision.h) */
		const uint32_t t = ps[x + 1] + acc;
		s[x + 1] = t;
		s2[x + 1] = t;
		q[x + 1] = pq[x + 1] + accq;
	}
	f->rows_done = r + 1;
}

/* The weak classifier records (tree nodes) of a stage of `n` weak classifiers from `weak`. */
static uint32_t stage_records(const uint8_t *weak, int32_t n)
{
	uint32_t records = 0;
	for (int32_t k = 0; k < n; k++) {
		const uint32_t nodes = (vision__ld_u32(weak + 12) >> VISION_NODE_TREE_SHIFT) + 1;
		records += nodes;
		weak += (size_t)nodes * WEAK_SIZE;
	}
	return records;
}

/* Corner offsets and weights of the rects of stage `s` (weak classifiers from `weak`), in weak classifier
   order after the stages before it, when they fit; done once a window first reaches the stage. */
static void fast_prepare_stage(fast_t *f, const vision_cascade_t *c, int32_t s, const uint8_t *weak, int32_t n)
{
	f->prepared = s + 1;
	if (f->table_stages != s)
		return;
	const uint32_t records = stage_records(weak, n);
	uint32_t at = f->stage_at[s], count = 0;
	for (uint32_t k = 0; k < records; k++)
		count += (vision__ld_u32(weak + (size_t)k * WEAK_SIZE + 12) >> 24) & 3u;
	if (count > f->capacity - at)
		return;
	const uint32_t row = (uint32_t)f->stride * 4u;
	/* The table's weak classifiers are the cascade's first ones, so one index serves both. */
	uint32_t k_at = (uint32_t)((weak - c->weaks) / WEAK_SIZE);
	for (uint32_t k = 0; k < records; k++, weak += WEAK_SIZE, k_at++) {
		const uint32_t ref = vision__ld_u32(weak + 12);
		const uint32_t first = ref & 0xffffffu, cnt = (ref >> 24) & 3u;
		int32_t wts[3] = {0, 0, 0};
		if (f->slot != NULL)
			f->slot[k_at] = (uint16_t)at;
		for (uint32_t i = first; i < first + cnt; i++, at++) {
			const uint8_t *r = c->rects + (size_t)i * RECT_SIZE;
			const uint32_t tl = (uint32_t)r[1] * row + (uint32_t)r[0] * 4u, w = (uint32_t)r[2] * 4u,
			               h = (uint32_t)r[3] * row;
			const int32_t wt = (int8_t)r[4];
			uint16_t *o = f->corner + (size_t)at * 4;
			/* A negative weight: the corners swapped left for right negate the sum, so |weight| multiplies. */
			const uint32_t l = wt < 0 ? tl + w : tl, rr = wt < 0 ? tl : tl + w;
			o[0] = (uint16_t)l;
			o[1] = (uint16_t)rr;
			o[2] = (uint16_t)(l + h);
			o[3] = (uint16_t)(rr + h);
			f->weight[at] = (int8_t)(wt < 0 ? -wt : wt);
			wts[i - first] = wt;
		}
		f->kind[k_at] = cnt == 2 && wts[0] == -1 && wts[1] == 2          ? FEATURE_1_2
		        : cnt == 2 && wts[0] == -1 && wts[1] == 3                ? FEATURE_1_3
		        : cnt == 3 && wts[0] == -1 && wts[1] == 2 && wts[2] == 2 ? FEATURE_1_2_2
		                                                                 : FEATURE_GENERIC;
		if (f->kind[k_at] == FEATURE_1_2 || f->kind[k_at] == FEATURE_1_2_2)
			f->kind[k_at] = shared_corners(f->corner + (size_t)(at - cnt) * 4, c->rects + (size_t)first * RECT_SIZE,
			                               f->kind[k_at], row);
	}
	f->table_end = k_at;
	f->table_stages = s + 1;
	if (s + 1 < c->stage_count)
		f->stage_at[s + 1] = at;
}

/* One rect's sum from the window's top-left integral entry, negated when its weight is (the corners' order). */
static inline int32_t fast_sum(const uint8_t *win, const uint16_t *o)
{
#define AT(i) (*(const uint32_t *)(const void *)(win + o[i]))
	return (int32_t)(AT(3) - AT(2) - AT(1) + AT(0));
#undef AT
}

/* The same sum for a rect outside the table, from the cascade's own record. */
static inline int32_t slow_rect(const uint8_t *win, const uint8_t *r, uint32_t row)
{
	const uint32_t tl = (uint32_t)r[1] * row + (uint32_t)r[0] * 4u, w = (uint32_t)r[2] * 4u, h = (uint32_t)r[3] * row;
#define AT(o) (*(const uint32_t *)(const void *)(win + (o)))
	return (int32_t)(int8_t)r[4] * (int32_t)(AT(tl + h + w) - AT(tl + h) - AT(tl + w) + AT(tl));
#undef AT
}

/* Both scan loops must have the feature sums inlined (GCC would call table_sum: 17% more instructions). */
#if defined(__GNUC__)
#define HAAR_INLINE inline __attribute__((always_inline))
#else
#define HAAR_INLINE inline
#endif

/* A record's feature sum from the table: its kind's corners from *op, which moves past them. */
static HAAR_INLINE int32_t table_sum(const fast_t *f, const uint8_t *win, uint32_t kind, const uint16_t **op,
                                     uint32_t ref)
{
	const uint16_t *o = *op;
	int32_t fsum;
#define AT(i) ((int32_t)(*(const uint32_t *)(const void *)(win + o[i])))
	switch (kind) {
	case FEATURE_HALF:
		fsum = AT(0) + AT(1) - AT(2) - AT(3) + 2 * (AT(4) - AT(5));
		o += 8;
		break;
	case FEATURE_CHECKER:
		fsum = 2 * (AT(1) + AT(2) + AT(3) + AT(4)) - (AT(5) + AT(6) + AT(7) + AT(8)) - 4 * AT(0);
		o += 12;
		break;
	case FEATURE_CHECKER_NEG:
		fsum = (AT(5) + AT(6) + AT(7) + AT(8)) + 4 * AT(0) - 2 * (AT(1) + AT(2) + AT(3) + AT(4));
		o += 12;
		break;
	case FEATURE_1_2:
		fsum = fast_sum(win, o) + 2 * fast_sum(win, o + 4);
		o += 8;
		break;
	case FEATURE_1_3: {
		const int32_t d = fast_sum(win, o + 4);
		fsum = fast_sum(win, o) + d + 2 * d;
		o += 8;
		break;
	}
	case FEATURE_1_2_2:
		fsum = fast_sum(win, o) + 2 * (fast_sum(win, o + 4) + fast_sum(win, o + 8));
		o += 12;
		break;
	default: {
		const uint32_t cnt = (ref >> 24) & 3u;
		const int8_t *wt = f->weight + (o - f->corner) / 4;
		fsum = 0;
		for (uint32_t i = 0; i < cnt; i++, o += 4)
			fsum += (int32_t)wt[i] * fast_sum(win, o);
		break;
	}
	}
#undef AT
	*op = o;
	return fsum;
}

/* A record's feature sum from the cascade's own rects (past the table). */
static HAAR_INLINE int32_t slow_sum(const uint8_t *win, const vision_cascade_t *c, uint32_t ref, uint32_t row)
{
	const uint8_t *r = c->rects + (size_t)(ref & 0xffffffu) * RECT_SIZE;
	const uint32_t cnt = (ref >> 24) & 3u;
	int32_t fsum = slow_rect(win, r, row);
	if (cnt >= 2) {
		fsum += slow_rect(win, r + RECT_SIZE, row);
		if (cnt == 3)
			fsum += slow_rect(win, r + 2 * RECT_SIZE, row);
	}
	return fsum;
}

typedef struct {
	const fast_t *f;
	const vision_cascade_t *c;
	const uint8_t *win;
	uint32_t row;
} fast_window_t;

/* A tree node's feature sum: the table's when it holds the node, else the cascade's rects. */
static int32_t fast_node_sum(const void *ctx, const uint8_t *node, uint32_t ref)
{
	const fast_window_t *w = (const fast_window_t *)ctx;
	const uint32_t k = (uint32_t)((node - w->c->weaks) / WEAK_SIZE);
	if (k >= w->f->table_end)
		return slow_sum(w->win, w->c, ref, w->row);
	const uint16_t *o = w->f->corner + (size_t)w->f->slot[k] * 4;
	return table_sum(w->f, w->win, w->f->kind[k], &o, ref);
}

/* eval_window's arithmetic on the contiguous rows: the same operations in the same order. */
static inline int32_t fast_window(fast_t *f, const vision_cascade_t *c, const uint32_t *band, const uint32_t *q1,
                                  const uint32_t *q2, int32_t x, double *last_sum, vision_haar_stats_t *st,
                                  const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h, w1 = f->stride;
	const int64_t area = (int64_t)(ww - 2) * (wh - 2);
	const uint32_t *a = band + w1 + x + 1, *b = band + (size_t)(wh - 1) * (size_t)w1 + x + 1;
	const uint32_t *qa = q1 + x + 1, *qb = q2 + x + 1;
	const uint32_t vs = b[ww - 2] - b[0] - a[ww - 2] + a[0];
	const uint32_t vq = qb[ww - 2] - qb[0] - qa[ww - 2] + qa[0];
	float inv;
	if (window_norm(area, vs, vq, &inv, last_sum, st, counting) == LOW_VARIANCE)
		return LOW_VARIANCE;

	const uint8_t *win = (const uint8_t *)(band + x);
	const uint8_t *stage = c->stages;
	const uint8_t *weak = c->weaks;
	const uint32_t row = (uint32_t)f->stride * 4u;
	double sum = 0.0;
	for (int32_t s = 0; s < c->stage_count; s++, stage += STAGE_SIZE) {
		const int32_t n = vision__ld_u16(stage);
		if (s >= f->prepared)
			fast_prepare_stage(f, c, s, weak, n);
		sum = 0.0;
		if (c->trees) {
			const fast_window_t w = {f, c, win, row};
			uint32_t nodes = 0;
			for (int32_t k = 0; k < n; k++)
				sum += (double)tree_leaf(&weak, inv, fast_node_sum, &w, &nodes);
			if (counting) {
				st->stages++;
				st->weaks += nodes;
			}
		} else {
			if (counting) {
				st->stages++;
				st->weaks += (uint32_t)n;
			}
			const uint8_t *end = weak + (size_t)n * WEAK_SIZE;
			if (s >= f->table_stages) {
				for (; weak != end; weak += WEAK_SIZE) {
					const float v = (float)slow_sum(win, c, vision__ld_u32(weak + 12), row) * inv;
					sum += v < ld_f32_aligned(weak) ? (double)ld_f32_aligned(weak + 4)
					                                : (double)ld_f32_aligned(weak + 8);
				}
			} else {
				const uint16_t *o = f->corner + (size_t)f->stage_at[s] * 4;
				const uint8_t *kind = f->kind + (weak - c->weaks) / WEAK_SIZE;
				for (; weak != end; weak += WEAK_SIZE, kind++) {
					const float v = (float)table_sum(f, win, *kind, &o, vision__ld_u32(weak + 12)) * inv;
					sum += v < ld_f32_aligned(weak) ? (double)ld_f32_aligned(weak + 4)
					                                : (double)ld_f32_aligned(weak + 8);
				}
			}
		}
		if (sum < f->stage_thr[s]) {
			*last_sum = sum;
			return s;
		}
	}
	*last_sum = sum;
	if (counting)
		st->passed++;
	return c->stage_count;
}

static inline vision_status_t scan_fast(const vision_cascade_t *c, const vision_image_u8_t *image,
                                        const vision_rect_t *roi, int32_t sw, int32_t sh, float scale, int32_t step,
                                        void *buf, size_t buf_size, vision_rect_list_t *out, vision_haar_stats_t *st,
                                        const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h;
	fast_t f;
	f.stride = sw + 1;
	f.k = wh + 1;
	const size_t row_bytes = (size_t)f.stride * sizeof(uint32_t);
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	f.sum = (uint32_t *)vision__take(&a, (size_t)(2 * f.k - 1) * row_bytes);
	f.sq = (uint32_t *)vision__take(&a, (size_t)f.k * row_bytes);
	f.capacity = table_rects(c);
	f.corner = (uint16_t *)vision__take(&a, (size_t)f.capacity * 4 * sizeof(uint16_t));
	f.weight = (int8_t *)vision__take(&a, (size_t)f.capacity);
	f.kind = (uint8_t *)vision__take(&a, (size_t)f.capacity);
	f.slot = c->trees ? (uint16_t *)vision__take(&a, (size_t)f.capacity * sizeof(uint16_t)) : NULL;
	f.stage_at = (uint32_t *)vision__take(&a, (size_t)c->stage_count * sizeof(uint32_t));
	f.stage_thr = (double *)vision__take(&a, (size_t)c->stage_count * sizeof(double));
	uint8_t *row = (uint8_t *)vision__take(&a, (size_t)sw);
	const uint8_t *base = image->data + (size_t)roi->y * (size_t)image->stride + (size_t)roi->x;
	const int identity = sw == roi->w && sh == roi->h;
	vision__lin_t lin;
	if (!identity)
		vision__lin_init(&lin, base, roi->w, roi->h, image->stride, sw, sh, &a);
	if (a.failed)
		return VISION_ERR_BUFFER;
	for (int32_t s = 0; s < c->stage_count; s++) {
		const float thr = c->stage_thresholds != NULL ? c->stage_thresholds[s]
		                                              : vision__ld_f32(c->stages + (size_t)s * STAGE_SIZE + 4);
		f.stage_thr[s] = (double)(thr - 1e-5f);
	}
	f.prepared = 0;
	f.table_stages = 0;
	f.table_end = 0;
	f.stage_at[0] = 0;
	f.rows_done = 1;
	memset(f.sum, 0, row_bytes);
	memset(f.sq, 0, row_bytes);

	const int32_t ystep = step > 0 ? step : (scale >= 2.0f ? 1 : 2);
	const int skip = step == 0;
	const int32_t rw = vision__round_even_f((float)ww * scale), rh = vision__round_even_f((float)wh * scale);

	for (int32_t y = 0; y + wh <= sh; y += ystep) {
		while (f.rows_done <= y + wh) {
			const int32_t sy = f.rows_done - 1;
			if (identity) {
				fast_push(&f, base + (size_t)sy * (size_t)image->stride, sw);
			} else {
				vision__lin_row(&lin, sy, row);
				fast_push(&f, row, sw);
			}
		}
		const uint32_t *band = f.sum + (size_t)(y % f.k) * (size_t)f.stride;
		const uint32_t *q1 = f.sq + (size_t)((y + 1) % f.k) * (size_t)f.stride;
		const uint32_t *q2 = f.sq + (size_t)((y + wh - 1) % f.k) * (size_t)f.stride;
		for (int32_t x = 0; x + ww <= sw; x += ystep) {
			double last;
			const int32_t r = fast_window(&f, c, band, q1, q2, x, &last, st, counting);
			if (r == c->stage_count) {
				vision__emit(out, roi, x, y, scale, rw, rh, last);
			} else if (r == 0 && skip) {
				x += ystep;
			}
		}
	}
	return VISION_OK;
}

static inline vision_status_t scan(const vision_cascade_t *c, const vision_image_u8_t *image,
                                   const vision_rect_t *roi_in, float scale, int32_t step, void *buf, size_t buf_size,
                                   vision_rect_list_t *out, vision_haar_stats_t *st, const int counting)
{
	vision_rect_t roi;
	vision_status_t status = vision__roi(image, roi_in, &roi);
	if (status != VISION_OK)
		return status;
	if (c == NULL || c->feature_type != VISION_FEATURE_HAAR || out == NULL ||
	    (out->rects == NULL && out->capacity > 0) || buf == NULL || step < 0 || !(scale > 0.0f && scale < 1.0e6f) ||
	    (counting && st == NULL))
		return VISION_ERR_ARG;
	const int32_t ww = c->window_w, wh = c->window_h;
	int32_t sw, sh;
	vision_haar_scaled_size(roi.w, roi.h, scale, &sw, &sh);
	if (sw < ww || sh < wh)
		return VISION_OK;

	if (fast_fits(c, sw) && buf_size >= fast_size(c, sw))
		return scan_fast(c, image, &roi, sw, sh, scale, step, buf, buf_size, out, st, counting);

	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	vision_integral_mw_t mw;
	size_t mw_size = vision_integral_mw_get_buffer_size(sw, wh + 1);
	void *mw_buf = vision__take(&a, mw_size);
	uint8_t *row = (uint8_t *)vision__take(&a, (size_t)sw);
	rows_t rows;
	if (!rows_take(&rows, wh, &a))
		return VISION_ERR_BUFFER;
	const uint8_t *base = image->data + (size_t)roi.y * (size_t)image->stride + (size_t)roi.x;
	const int identity = sw == roi.w && sh == roi.h;
	vision__lin_t lin;
	if (!identity)
		vision__lin_init(&lin, base, roi.w, roi.h, image->stride, sw, sh, &a);
	if (a.failed || vision_integral_mw_init(&mw, sw, wh + 1, mw_buf, mw_size) != VISION_OK)
		return VISION_ERR_BUFFER;

	const int32_t ystep = step > 0 ? step : (scale >= 2.0f ? 1 : 2);
	const int skip = step == 0;
	const int32_t rw = vision__round_even_f((float)ww * scale), rh = vision__round_even_f((float)wh * scale);

	for (int32_t y = 0; y + wh <= sh; y += ystep) {
		/* Integral row r needs resized row r-1; the ring keeps rows y..y+wh. */
		while (mw.rows_done <= y + wh) {
			const int32_t sy = mw.rows_done - 1;
			if (identity) {
				vision_integral_mw_push_row(&mw, base + (size_t)sy * (size_t)image->stride);
			} else {
				vision__lin_row(&lin, sy, row);
				vision_integral_mw_push_row(&mw, row);
			}
		}
		rows_point(&rows, &mw, y, wh);
		for (int32_t x = 0; x + ww <= sw; x += ystep) {
			double last;
			const int32_t r = eval_window(c, &rows, x, &last, st, counting);
			if (r == c->stage_count) {
				vision__emit(out, &roi, x, y, scale, rw, rh, last);
			} else if (r == 0 && skip) {
				x += ystep;
			}
		}
	}
	return VISION_OK;
}

vision_status_t vision_haar_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                 const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                 vision_rect_list_t *out)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, NULL, 0);
}

vision_status_t vision_haar_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, float scale, int32_t step, void *buf,
                                         size_t buf_size, vision_rect_list_t *out, vision_haar_stats_t *stats)
{
	return scan(cascade, image, roi, scale, step, buf, buf_size, out, stats, 1);
}

vision_status_t vision_haar_eval_window(const vision_cascade_t *cascade, const vision_image_u8_t *image, int32_t x,
                                        int32_t y, void *buf, size_t buf_size, vision_haar_window_t *result)
{
	if (cascade == NULL || cascade->feature_type != VISION_FEATURE_HAAR || result == NULL || buf == NULL)
		return VISION_ERR_ARG;
	const int32_t ww = cascade->window_w, wh = cascade->window_h;
	vision_rect_t roi = {x, y, ww, wh};
	vision_rect_t r;
	vision_status_t status = vision__roi(image, &roi, &r);
	if (status != VISION_OK)
		return status;
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	size_t mw_size = vision_integral_mw_get_buffer_size(ww, wh + 1);
	void *mw_buf = vision__take(&a, mw_size);
	rows_t rows;
	vision_integral_mw_t mw;
	if (!rows_take(&rows, wh, &a) || vision_integral_mw_init(&mw, ww, wh + 1, mw_buf, mw_size) != VISION_OK)
		return VISION_ERR_BUFFER;
	for (int32_t i = 0; i < wh; i++)
		vision_integral_mw_push_row(&mw, image->data + (size_t)(y + i) * (size_t)image->stride + (size_t)x);
	rows_point(&rows, &mw, 0, wh);
	double last;
	int32_t res = eval_window(cascade, &rows, 0, &last, NULL, 0);
	result->low_variance = res == LOW_VARIANCE;
	result->stages_passed = res == LOW_VARIANCE ? 0 : res;
	result->last_stage_sum = last;
	return VISION_OK;
}
