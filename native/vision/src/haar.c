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
#include <stddef.h>

#include "vision_internal.h"

#define STAGE_SIZE   8u
#define WEAK_SIZE    16u
#define RECT_SIZE    5u
#define LOW_VARIANCE (-1)

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

/*
 * The scan's feature table, per level: the stages' weak classifiers, from
 * the first, with their rects' corners as byte offsets from the window's
 * top-left integral entry for this level's row length (OpenCV's calcOffsets),
 * their thresholds and their leaves' difference as a double (a stage's sum
 * starts at its left leaves' total), in flat records of one shape
 * each. Within a stage the records are grouped by shape, so each group's
 * loop has no branch on the feature's kind: the shapes of almost every
 * OpenCV Haar feature, a rect and its half (HALF: 6 corners, not 8), the 2x2
 * checkerboard of two diagonal quadrants (CHECKER, CHECKER_NEG: 9, not 12),
 * a -1 rect and one or two weighted ones (MINUS2, MINUS3), and any other
 * one to three weighted rects (ANY).
 *
 * Grouping reorders a stage's sum, and OpenCV adds the leaves in order in
 * double; a stage goes into the table only when that sum is exact in any
 * order (every leaf and the threshold a multiple of 2^e, and their magnitudes
 * adding up to under 2^(51+e)), so the sums are OpenCV's to the bit.
 *
 * A stage is prepared when a window first reaches it; the table holds the
 * cascade's first stages up to TABLE_BYTES (frontalface's first 21 stages,
 * 2122 of its 2913 weak classifiers, in at most 125,816 bytes), which covers most of the
 * windows' work; the rare windows that get further, tree cascades and stages
 * that are not exact read the cascade's own records in order. The offsets hold
 * for one integral row length, which all the levels of a scan share (the
 * largest's), so a stage is prepared once a scan, not once a level.
 */
/* 128 KB, not 32 (frontalface's first 9 stages): a face's windows pass the later stages often enough that
   the cascade's own records, at about twice the instructions a feature, cost the field app's search
   1.5 M more a frame with a face on the M7 (0.6 M of it past 64 KB; a frame without one gains about
   none: preparing the later stages costs what it saves). The STM32H743 has the room since XS's blocks
   left its malloc heap (docs/boards/stm32h743.md). A window reaching a stage first prepares it: waiting
   for a few would leave those windows on the records for every later stage, a million more a face. */
#define TABLE_BYTES (128u * 1024u)

enum { KIND_HALF, KIND_CHECKER, KIND_CHECKER_NEG, KIND_MINUS2, KIND_MINUS3, KIND_ANY, KINDS };

/* Each record: its leaves' difference (right - left, added when the feature is not below thr: a stage's sum
   starts at its left leaves' total, table_stage_t.base), the threshold, the corners (and weights). */
typedef struct {
	double diff;
	float thr;
	int32_t o[6];
} half_t;
typedef struct {
	double diff;
	float thr;
	int32_t o[9];
} checker_t;
/* MINUS2, MINUS3: a -1 rect and one or two weighted ones (w[0] unused); ANY: one to three weighted rects. */
typedef struct {
	double diff;
	float thr;
	int32_t w[2], o[8];
} rects2_t;
typedef struct {
	double diff;
	float thr;
	int32_t w[3], o[12];
} rects3_t;

/*
 * The three commonest groups (frontalface: HALF, MINUS2 and CHECKER, most of a search's features) as
 * Cortex-M7 assembly, where GCC loads a record's corner offsets one LDR at a time between the uses
 * and keeps the loop's bounds on the stack: one LDM takes a record's offsets (and MINUS2's weight),
 * the sum is the C macros' wrapping uint32 arithmetic, then the same single-precision convert,
 * multiply and compare, and the leaves' difference added when the feature is not below the threshold
 * (PL: not v < thr, C's `!(v < thr)`). 24, 28 and 30 instructions a feature against the C loops'
 * 29, 36 and 37 on mps2-an500.
 */
#if defined(__thumb2__) && defined(__ARM_ARCH_7EM__) && defined(__ARM_FP) && (__ARM_FP & 8) && !defined(__SOFTFP__)
#define VISION_HAAR_ASM 1
#else
#define VISION_HAAR_ASM 0
#endif

static const uint16_t kind_size[KINDS] = {sizeof(half_t),   sizeof(checker_t), sizeof(checker_t),
                                          sizeof(rects2_t), sizeof(rects3_t),  sizeof(rects3_t)};

#if VISION_HAAR_ASM
_Static_assert(offsetof(half_t, diff) == 0 && offsetof(half_t, thr) == 8 && offsetof(half_t, o) == 12 &&
                       sizeof(half_t) == 40,
               "half_group's offsets");
_Static_assert(offsetof(rects2_t, diff) == 0 && offsetof(rects2_t, thr) == 8 && offsetof(rects2_t, w) == 12 &&
                       offsetof(rects2_t, o) == 20 && sizeof(rects2_t) == 56,
               "minus2_group's offsets");
_Static_assert(offsetof(checker_t, diff) == 0 && offsetof(checker_t, thr) == 8 && offsetof(checker_t, o) == 12 &&
                       sizeof(checker_t) == 48,
               "checker_group's offsets");

/*
 * The three group loops' end: a feature's integer sum in r0 converted, scaled by the window's inv and
 * compared with the threshold at q + THR, the leaves' difference at q + DIFF added when it is not below;
 * then q steps a record (STRIDE bytes), and the loop goes on to qe. Their operands, the same in each.
 */
#define HAAR_DECIDE(THR, DIFF, STRIDE)                                                                                 \
	"vmov s12, r0\n\t"                                                                                                 \
	"vcvt.f32.s32 s12, s12\n\t"                                                                                        \
	"vldr s13, [%[q], #" THR "]\n\t"                                                                                   \
	"vmul.f32 s12, s12, %[inv]\n\t"                                                                                    \
	"vcmp.f32 s12, s13\n\t"                                                                                            \
	"vldr d7, [%[q], #" DIFF "]\n\t"                                                                                   \
	"vmrs APSR_nzcv, fpscr\n\t"                                                                                        \
	"it pl\n\t"                                                                                                        \
	"vaddpl.f64 %P[sum], %P[sum], d7\n\t"                                                                              \
	"adds %[q], %[q], #" STRIDE "\n\t"                                                                                 \
	"cmp %[q], %[qe]\n\t"                                                                                              \
	"bne 1b"
#define HAAR_OPERANDS : [q] "+r"(q), [sum] "+w"(sum) : [qe] "r"(qe), [win] "r"(win), [inv] "t"(inv)

/* sum + the leaves of the HALF records p..e for the window at win: (o0 + o1 - o2 - o3) + 2 (o4 - o5). */
static inline double half_group(const half_t *p, const half_t *e, const uint8_t *win, float inv, double sum)
{
	if (p == e)
		return sum;
	const int32_t *q = p->o, *const qe = e->o;
	__asm__("1:\n\t"
	        "ldmia %[q], {r0, r1, r2, r3, r4, r5}\n\t"
	        "ldr r0, [%[win], r0]\n\t"
	        "ldr r1, [%[win], r1]\n\t"
	        "ldr r2, [%[win], r2]\n\t"
	        "ldr r3, [%[win], r3]\n\t"
	        "ldr r4, [%[win], r4]\n\t"
	        "ldr r5, [%[win], r5]\n\t"
	        "add r0, r0, r1\n\t"
	        "sub r0, r0, r2\n\t"
	        "sub r0, r0, r3\n\t"
	        "sub r4, r4, r5\n\t"
	        "add r0, r0, r4, lsl #1\n\t" HAAR_DECIDE("-4", "-12", "40") HAAR_OPERANDS
	        : "r0", "r1", "r2", "r3", "r4", "r5", "s12", "s13", "s14", "s15", "cc", "memory");
	return sum;
}

/*
 * sum + the leaves of the CHECKER records p..e: 2 (o1 + o2 + o3 + o4) - (o5 + o6 + o7 + o8) - 4 o0, or
 * with NEG (CHECKER_NEG) its negation; `combine` is the two instructions that make it from r1 = the
 * +2 corners' sum, r5 = the -1 corners' and r0 = the centre.
 */
#define CHECKER_GROUP(name, combine)                                                                                   \
	static inline double name(const checker_t *p, const checker_t *e, const uint8_t *win, float inv, double sum)       \
	{                                                                                                                  \
		if (p == e)                                                                                                    \
			return sum;                                                                                                \
		const int32_t *q = p->o, *const qe = e->o;                                                                     \
		__asm__("1:\n\t"                                                                                               \
		        "ldmia %[q], {r0, r1, r2, r3, r4, r5, r6, r8, r9}\n\t"                                                 \
		        "ldr r0, [%[win], r0]\n\t"                                                                             \
		        "ldr r1, [%[win], r1]\n\t"                                                                             \
		        "ldr r2, [%[win], r2]\n\t"                                                                             \
		        "ldr r3, [%[win], r3]\n\t"                                                                             \
		        "ldr r4, [%[win], r4]\n\t"                                                                             \
		        "ldr r5, [%[win], r5]\n\t"                                                                             \
		        "ldr r6, [%[win], r6]\n\t"                                                                             \
		        "ldr r8, [%[win], r8]\n\t"                                                                             \
		        "ldr r9, [%[win], r9]\n\t"                                                                             \
		        "add r1, r1, r2\n\t"                                                                                   \
		        "add r1, r1, r3\n\t"                                                                                   \
		        "add r1, r1, r4\n\t"                                                                                   \
		        "add r5, r5, r6\n\t"                                                                                   \
		        "add r5, r5, r8\n\t"                                                                                   \
		        "add r5, r5, r9\n\t" combine HAAR_DECIDE("-4", "-12", "48") HAAR_OPERANDS                              \
		        : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r8", "r9", "s12", "s13", "s14", "s15", "cc", "memory");   \
		return sum;                                                                                                    \
	}
/* 2 r1 - r5 - 4 r0, and r5 + 4 r0 - 2 r1. */
CHECKER_GROUP(checker_group, "rsb r5, r5, r1, lsl #1\n\tsub r0, r5, r0, lsl #2\n\t")
CHECKER_GROUP(checker_neg_group, "add r5, r5, r0, lsl #2\n\tsub r0, r5, r1, lsl #1\n\t")
#undef CHECKER_GROUP

/* sum + the leaves of the MINUS2 records p..e: w1 (o7 - o6 - o5 + o4) - (o3 - o2 - o1 + o0). */
static inline double minus2_group(const rects2_t *p, const rects2_t *e, const uint8_t *win, float inv, double sum)
{
	if (p == e)
		return sum;
	const int32_t *q = &p->w[1], *const qe = &e->w[1];
	__asm__("1:\n\t"
	        "ldmia %[q], {r0, r1, r2, r3, r4, r5, r6, r8, r9}\n\t"
	        "ldr r1, [%[win], r1]\n\t"
	        "ldr r2, [%[win], r2]\n\t"
	        "ldr r3, [%[win], r3]\n\t"
	        "ldr r4, [%[win], r4]\n\t"
	        "ldr r5, [%[win], r5]\n\t"
	        "ldr r6, [%[win], r6]\n\t"
	        "ldr r8, [%[win], r8]\n\t"
	        "ldr r9, [%[win], r9]\n\t"
	        "add r2, r2, r3\n\t"
	        "sub r2, r2, r4\n\t"
	        "sub r2, r2, r1\n\t"
	        "sub r9, r9, r8\n\t"
	        "sub r9, r9, r6\n\t"
	        "add r9, r9, r5\n\t"
	        "mla r0, r0, r9, r2\n\t" HAAR_DECIDE("-8", "-16", "56") HAAR_OPERANDS
	        : "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r8", "r9", "s12", "s13", "s14", "s15", "cc", "memory");
	return sum;
}
#undef HAAR_DECIDE
#undef HAAR_OPERANDS
#endif

/* A stage in the table, followed by its records, each group's from at[kind] (bytes from the stage) to at[kind + 1]. */
typedef struct {
	uint32_t at[KINDS + 1];
	uint32_t records; /* its weak classifiers, for the count of features evaluated */
	double base;      /* its left leaves' total, where its sum starts */
} table_stage_t;

/* What a stage of `n` weak classifiers from `weak` takes in the table at most (a record's size by its rects). */
static uint32_t stage_bytes(const vision_cascade_t *c, const uint8_t *weak, uint32_t n)
{
	uint32_t bytes = sizeof(table_stage_t);
	for (uint32_t k = 0; k < n; k++, weak += WEAK_SIZE) {
		const uint32_t ref = vision__ld_u32(weak + 12), cnt = (ref >> 24) & 3u;
		const int minus = (int8_t)c->rects[(size_t)(ref & 0xffffffu) * RECT_SIZE + 4] == -1;
		bytes += cnt == 2 && minus ? sizeof(rects2_t) : sizeof(rects3_t);
	}
	return bytes;
}

uint32_t vision__haar_table_bytes(const vision_cascade_t *c)
{
	if (c->trees)
		return 0;
	uint32_t bytes = 0;
	const uint8_t *weak = c->weaks;
	for (uint32_t s = 0; s < c->stage_count; s++) {
		const uint32_t n = vision__ld_u16(c->stages + (size_t)s * STAGE_SIZE);
		const uint32_t more = stage_bytes(c, weak, n);
		if (more > TABLE_BYTES - bytes)
			break;
		bytes += more;
		weak += (size_t)n * WEAK_SIZE;
	}
	return bytes;
}

/* The exponent of a float's last mantissa bit: any float is a multiple of 2^that (0 is of any). */
static inline int32_t low_exponent(float v)
{
	uint32_t b;
	memcpy(&b, &v, sizeof b);
	const int32_t e = (int32_t)((b >> 23) & 0xffu);
	return (e != 0 ? e : 1) - 150;
}

/*
 * The shape of a weak classifier's `cnt` rects `r`, and with `rec` its
 * record's corners (offsets from the window's top-left entry, rows `row`
 * bytes apart) and weights: HALF when a -1 rect is followed by a +2 half of
 * it, as (o0 + o1 - o2 - o3) + 2 (o4 - o5); CHECKER when a -1 rect is
 * followed by two +2 diagonal quadrants of it, as 2 (o1 + o2 + o3 + o4) -
 * (o5 + o6 + o7 + o8) - 4 o0 (CHECKER_NEG the other diagonal, its negation);
 * else each rect's corners top-left, top-right, bottom-left, bottom-right.
 */
static uint32_t shape(const uint8_t *r, uint32_t cnt, uint32_t row, uint8_t *rec)
{
#define OFF(cx, cy) ((int32_t)((uint32_t)(cy)*row + (uint32_t)(cx)*4u))
	const uint32_t x = r[0], y = r[1], rw = r[2], rh = r[3];
	const uint8_t *q = r + RECT_SIZE, *b = r + 2 * RECT_SIZE;
	if (cnt == 2 && (int8_t)r[4] == -1 && (int8_t)q[4] == 2) {
		/* -S(rect) + 2 S(half) by corner: +1 at two of the rect's corners and -1 at the other two
		   (which two depends on the half's side), +2 and -2 where the split meets the rect's edges. */
		int32_t *o = rec != NULL ? ((half_t *)(void *)rec)->o : NULL;
		if (q[1] == y && q[3] == rh && 2u * q[2] == rw && (q[0] == x || q[0] + q[2] == x + rw)) {
			const uint32_t mid = x + q[2], plus = q[0] == x ? y : y + rh, minus = q[0] == x ? y + rh : y;
			if (o != NULL) {
				o[0] = OFF(x, plus);
				o[1] = OFF(x + rw, plus);
				o[2] = OFF(x, minus);
				o[3] = OFF(x + rw, minus);
				o[4] = OFF(mid, minus);
				o[5] = OFF(mid, plus);
			}
			return KIND_HALF;
		}
		if (q[0] == x && q[2] == rw && 2u * q[3] == rh && (q[1] == y || q[1] + q[3] == y + rh)) {
			const uint32_t mid = y + q[3], plus = q[1] == y ? x : x + rw, minus = q[1] == y ? x + rw : x;
			if (o != NULL) {
				o[0] = OFF(plus, y);
				o[1] = OFF(plus, y + rh);
				o[2] = OFF(minus, y);
				o[3] = OFF(minus, y + rh);
				o[4] = OFF(minus, mid);
				o[5] = OFF(plus, mid);
			}
			return KIND_HALF;
		}
	}
	if (cnt == 3 && (int8_t)r[4] == -1 && (int8_t)q[4] == 2 && (int8_t)b[4] == 2 && !(rw & 1) && !(rh & 1)) {
		const uint32_t hw = rw / 2, hh = rh / 2;
		/* Quadrant positions 0..3 (left/right, top/bottom); diagonal when they differ in both. */
		const uint32_t ax = q[0] == x ? 0 : q[0] == x + hw ? 1 : 2, ay = q[1] == y ? 0 : q[1] == y + hh ? 1 : 2;
		const uint32_t bx = b[0] == x ? 0 : b[0] == x + hw ? 1 : 2, by = b[1] == y ? 0 : b[1] == y + hh ? 1 : 2;
		if (q[2] == hw && q[3] == hh && b[2] == hw && b[3] == hh && ax <= 1 && ay <= 1 && bx <= 1 && by <= 1 &&
		    ax != bx && ay != by) {
			if (rec != NULL) {
				int32_t *o = ((checker_t *)(void *)rec)->o;
				o[0] = OFF(x + hw, y + hh);
				o[1] = OFF(x + hw, y);
				o[2] = OFF(x, y + hh);
				o[3] = OFF(x + rw, y + hh);
				o[4] = OFF(x + hw, y + rh);
				o[5] = OFF(x, y);
				o[6] = OFF(x + rw, y);
				o[7] = OFF(x, y + rh);
				o[8] = OFF(x + rw, y + rh);
			}
			/* Top-right and bottom-left: the centre -4, edges +2, corners -1; the other diagonal negates all. */
			return ax == ay ? KIND_CHECKER_NEG : KIND_CHECKER;
		}
	}
#undef OFF
	const uint32_t kind = (int8_t)r[4] != -1 || cnt < 2 ? KIND_ANY : cnt == 2 ? KIND_MINUS2 : KIND_MINUS3;
	if (rec == NULL)
		return kind;
	/* The rects as they are; ANY's missing ones are empty (weight 0, their corners the window's). */
	const uint32_t n = kind == KIND_MINUS2 ? 2 : 3;
	int32_t *w = ((rects3_t *)(void *)rec)->w, *o = w + n;
	for (uint32_t i = 0; i < n; i++, r += RECT_SIZE) {
		const uint32_t tl = (uint32_t)r[1] * row + (uint32_t)r[0] * 4u, dx = (uint32_t)r[2] * 4u,
		               dy = (uint32_t)r[3] * row;
		const int in = i < cnt;
		o[4 * i] = in ? (int32_t)tl : 0;
		o[4 * i + 1] = in ? (int32_t)(tl + dx) : 0;
		o[4 * i + 2] = in ? (int32_t)(tl + dy) : 0;
		o[4 * i + 3] = in ? (int32_t)(tl + dy + dx) : 0;
		w[i] = in ? (int8_t)r[4] : 0;
	}
	return kind;
}

/* The scan's state across its levels. */
typedef struct {
	uint8_t *table;       /* table_stages stages, each a table_stage_t and its records */
	uint32_t capacity;    /* bytes of the table */
	uint32_t used;        /* bytes of it filled */
	int32_t prepared;     /* stages looked at for the table */
	int32_t table_stages; /* the first stages, which are in the table */
	const uint8_t *rest;  /* the weak classifier records of stage table_stages on */
	double *stage_thr;    /* per stage: (float)threshold - 1e-5f */
	uint32_t row;         /* bytes per integral row, every level's */
} table_t;

/*
 * Stage `s` (its `n` weak classifiers from t->rest) into the table when it
 * is exact, fits, and the stages before it are there; done once, when a
 * window first reaches the stage. Returns the records it put in (0 or n).
 */
static uint32_t table_prepare(table_t *t, const vision_cascade_t *c, int32_t s, uint32_t n)
{
	t->prepared = s + 1;
	if (t->table_stages != s || c->trees)
		return 0;
	const uint8_t *weak = t->rest;
	/* Exact in any order: every partial sum a multiple of 2^e and under 2^(51+e); e from each value's
	   exponent less the mantissa's 23 bits (at most its lowest set bit, so the test is only stricter). */
	const float thr = (float)t->stage_thr[s];
	int32_t e = thr != 0.0f ? low_exponent(thr) : 0;
	double most = fabs((double)thr);
	for (uint32_t k = 0; k < n; k++) {
		const float l = vision__ld_f32(weak + (size_t)k * WEAK_SIZE + 4),
		            r = vision__ld_f32(weak + (size_t)k * WEAK_SIZE + 8);
		const int32_t el = low_exponent(l), er = low_exponent(r);
		if (l != 0.0f && el < e)
			e = el;
		if (r != 0.0f && er < e)
			e = er;
		most += fabs((double)l) > fabs((double)r) ? fabs((double)l) : fabs((double)r);
	}
	if (!(most < ldexp(1.0, 51 + e)))
		return 0;

	/* The records by shape: counted, then each put after the ones of its shape before it. A stage that fits
	   has fewer weak classifiers than the table has room for records of their size bound (rects2_t's). */
	if (n > TABLE_BYTES / sizeof(rects2_t))
		return 0;
	uint8_t kinds[TABLE_BYTES / sizeof(rects2_t)];
	uint32_t count[KINDS] = {0}, at[KINDS];
	for (uint32_t k = 0; k < n; k++) {
		const uint32_t ref = vision__ld_u32(weak + (size_t)k * WEAK_SIZE + 12);
		kinds[k] = (uint8_t)shape(c->rects + (size_t)(ref & 0xffffffu) * RECT_SIZE, (ref >> 24) & 3u, t->row, NULL);
		count[kinds[k]]++;
	}
	uint8_t *base = t->table + t->used;
	table_stage_t head = {{sizeof(table_stage_t)}, n, 0.0};
	for (uint32_t i = 0; i < KINDS; i++) {
		at[i] = head.at[i];
		head.at[i + 1] = head.at[i] + count[i] * kind_size[i];
	}
	if (head.at[KINDS] > t->capacity - t->used)
		return 0;
	/* The sum as base + the differences of the leaves on the right is exact like any order of the leaves:
	   every term a multiple of 2^e, the partial sums under twice `most`, 2^(52+e). */
	double lefts = 0.0;
	for (uint32_t k = 0; k < n; k++) {
		const uint8_t *p = weak + (size_t)k * WEAK_SIZE;
		const uint32_t ref = vision__ld_u32(p + 12);
		/* Every shape's record starts with the leaves' difference and the threshold. */
		half_t *rec = (half_t *)(void *)(base + at[kinds[k]]);
		const double left = (double)vision__ld_f32(p + 4);
		lefts += left;
		rec->diff = (double)vision__ld_f32(p + 8) - left;
		rec->thr = vision__ld_f32(p);
		shape(c->rects + (size_t)(ref & 0xffffffu) * RECT_SIZE, (ref >> 24) & 3u, t->row, (uint8_t *)rec);
		at[kinds[k]] += kind_size[kinds[k]];
	}
	head.base = lefts;
	memcpy(base, &head, sizeof head);
	t->used += head.at[KINDS];
	t->rest = weak + (size_t)n * WEAK_SIZE;
	t->table_stages = s + 1;
	return n;
}

/* One rect's weighted sum from a cascade record (past the table): the integral's uint32 differences wrap back
   to the exact sum. */
static inline int32_t slow_rect(const uint8_t *win, const uint8_t *r, uint32_t row)
{
	const uint32_t tl = (uint32_t)r[1] * row + (uint32_t)r[0] * 4u, w = (uint32_t)r[2] * 4u, h = (uint32_t)r[3] * row;
#define AT(o) (*(const uint32_t *)(const void *)(win + (o)))
	return (int32_t)(int8_t)r[4] * (int32_t)(AT(tl + h + w) - AT(tl + h) - AT(tl + w) + AT(tl));
#undef AT
}

/* A node's feature sum from the cascade's own rects (1..3: unrolled, no loop control per rect). */
static inline int32_t slow_sum(const uint8_t *win, const vision_cascade_t *c, uint32_t ref, uint32_t row)
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

/*
 * One weak classifier from its records: its tree walked from its first node
 * to a leaf, as OpenCV's predictOrdered (the left child when the feature <
 * the threshold), returning the leaf; *weak moves past the tree's nodes,
 * *nodes counts the features evaluated. A stump is a tree of one node.
 */
static inline float tree_leaf(const uint8_t **weak, float inv, const uint8_t *win, const vision_cascade_t *c,
                              uint32_t row, uint32_t *nodes)
{
	const uint8_t *node = *weak;
	uint32_t ref = vision__ld_u32(node + 12);
	*weak += (size_t)((ref >> VISION_NODE_TREE_SHIFT) + 1) * WEAK_SIZE;
	for (;;) {
		(*nodes)++;
		const float v = (float)slow_sum(win, c, ref, row) * inv;
		const uint32_t side = v < ld_f32_aligned(node) ? 0 : 1;
		if (!(ref & (VISION_NODE_LEFT << side)))
			return ld_f32_aligned(node + 4 + 4 * side);
		node += (size_t)vision__ld_u32(node + 4 + 4 * side) * WEAK_SIZE;
		ref = vision__ld_u32(node + 12);
	}
}

/*
 * Stages passed (0..stage_count) by the window at x of the level's band (or
 * LOW_VARIANCE), with OpenCV's arithmetic.
 */
static VISION_INLINE int32_t window(table_t *t, const vision_cascade_t *c, const vision__level_t *l,
                                    const uint32_t *band, const uint32_t *q1, const uint32_t *q2, int32_t x,
                                    double *last_sum, vision_haar_stats_t *st, const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h, w1 = l->stride;
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
	const uint8_t *tp = t->table;
	double sum = 0.0;
	int32_t s = 0;
	for (; s < c->stage_count; s++, stage += STAGE_SIZE) {
		if (s >= t->prepared) {
			const uint32_t tabled = table_prepare(t, c, s, vision__ld_u16(stage));
			if (counting)
				st->tabled += tabled;
		}
		if (s >= t->table_stages)
			break;
		const table_stage_t *h = (const table_stage_t *)(const void *)tp;
		sum = h->base;
#define AT(i)   (*(const uint32_t *)(const void *)(win + p->o[i]))
#define RECT(j) (AT(4 * (j) + 3) - AT(4 * (j) + 2) - AT(4 * (j) + 1) + AT(4 * (j)))
#define GROUP(kind, type, fsum)                                                                                        \
	{                                                                                                                  \
		const type *p = (const type *)(const void *)(tp + h->at[kind]);                                                \
		const type *const e = (const type *)(const void *)(tp + h->at[(kind) + 1]);                                    \
		for (; p != e; p++) {                                                                                          \
			const float v = (float)(int32_t)(fsum)*inv;                                                                \
			if (!(v < p->thr))                                                                                         \
				sum += p->diff;                                                                                        \
		}                                                                                                              \
	}
#if VISION_HAAR_ASM
#define ASM_GROUP(kind, type, fn)                                                                                      \
	sum = fn((const type *)(const void *)(tp + h->at[kind]), (const type *)(const void *)(tp + h->at[(kind) + 1]),     \
	         win, inv, sum);
		ASM_GROUP(KIND_HALF, half_t, half_group)
		ASM_GROUP(KIND_CHECKER, checker_t, checker_group)
		ASM_GROUP(KIND_CHECKER_NEG, checker_t, checker_neg_group)
		ASM_GROUP(KIND_MINUS2, rects2_t, minus2_group)
#undef ASM_GROUP
#else
		GROUP(KIND_HALF, half_t, AT(0) + AT(1) - AT(2) - AT(3) + 2u * (AT(4) - AT(5)))
		GROUP(KIND_CHECKER, checker_t,
		      2u * (AT(1) + AT(2) + AT(3) + AT(4)) - (AT(5) + AT(6) + AT(7) + AT(8)) - 4u * AT(0))
		GROUP(KIND_CHECKER_NEG, checker_t,
		      (AT(5) + AT(6) + AT(7) + AT(8)) + 4u * AT(0) - 2u * (AT(1) + AT(2) + AT(3) + AT(4)))
		GROUP(KIND_MINUS2, rects2_t, (uint32_t)p->w[1] * RECT(1) - RECT(0))
#endif
		GROUP(KIND_MINUS3, rects3_t, (uint32_t)p->w[1] * RECT(1) + (uint32_t)p->w[2] * RECT(2) - RECT(0))
		GROUP(KIND_ANY, rects3_t,
		      (uint32_t)p->w[0] * RECT(0) + (uint32_t)p->w[1] * RECT(1) + (uint32_t)p->w[2] * RECT(2))
#undef GROUP
#undef RECT
#undef AT
		if (counting) {
			st->stages++;
			st->weaks += h->records;
		}
		if (sum < t->stage_thr[s]) {
			*last_sum = sum;
			return s;
		}
		tp += h->at[KINDS];
	}
	/* Past the table: the cascade's records in order. */
	const uint8_t *weak = t->rest;
	for (; s < c->stage_count; s++, stage += STAGE_SIZE) {
		const int32_t n = vision__ld_u16(stage);
		uint32_t nodes = 0;
		sum = 0.0;
		for (int32_t k = 0; k < n; k++)
			sum += (double)tree_leaf(&weak, inv, win, c, t->row, &nodes);
		if (counting) {
			st->stages++;
			st->weaks += nodes;
		}
		if (sum < t->stage_thr[s]) {
			*last_sum = sum;
			return s;
		}
	}
	*last_sum = sum;
	if (counting)
		st->passed++;
	return c->stage_count;
}

static size_t table_size(const vision_cascade_t *c)
{
	return vision__need(c->scan_table) + vision__need((size_t)c->stage_count * sizeof(double));
}

/* The scan's table for integral rows `row` bytes apart, empty, from the scratch; 0 when the scratch is short. */
static int table_begin(table_t *t, const vision_cascade_t *c, uint32_t row, vision__arena_t *a)
{
	t->capacity = c->scan_table;
	t->table = (uint8_t *)vision__take(a, t->capacity);
	t->stage_thr = (double *)vision__take(a, (size_t)c->stage_count * sizeof(double));
	if (a->failed)
		return 0;
	for (int32_t s = 0; s < c->stage_count; s++) {
		const float thr = c->stage_thresholds != NULL ? c->stage_thresholds[s]
		                                              : vision__ld_f32(c->stages + (size_t)s * STAGE_SIZE + 4);
		t->stage_thr[s] = (double)(thr - 1e-5f);
	}
	t->used = 0;
	t->prepared = 0;
	t->table_stages = 0;
	t->rest = c->weaks;
	t->row = row;
	return 1;
}

/* The widest of the levels at `scales` that a window fits, 0 if none: the integral row all of them share. */
static int32_t levels_width(const vision_cascade_t *c, int32_t roi_w, int32_t roi_h, const float *scales, uint32_t n)
{
	int32_t widest = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (!(scales[i] > 0.0f && scales[i] < 1.0e6f))
			continue;
		int32_t sw, sh;
		vision_haar_scaled_size(roi_w, roi_h, scales[i], &sw, &sh);
		if (sw >= c->window_w && sh >= c->window_h && sw > widest)
			widest = sw;
	}
	return widest;
}

/* The rows the integral keeps beyond a window's, and the coarse rows' marks (two rows of bytes), when refining. */
static int32_t refine_lag(int32_t step, int32_t refine)
{
	return refine > 0 ? step : 0;
}

static size_t refine_marks_size(int32_t sw, int32_t refine)
{
	return refine > 0 ? vision__need(2 * (size_t)sw) : 0;
}

size_t vision__haar_levels_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, const float *scales,
                                uint32_t n, int32_t step, int32_t refine)
{
	if (cascade == NULL || roi_w <= 0 || roi_h <= 0 || step < 0 || step > 255 || refine < 0 ||
	    (refine > 0 && step == 0))
		return 0;
	for (uint32_t i = 0; i < n; i++)
		if (!(scales[i] > 0.0f && scales[i] < 1.0e6f))
			return 0;
	const int32_t sw = levels_width(cascade, roi_w, roi_h, scales, n);
	if (sw == 0)
		return 1; /* nothing to scan; any non-NULL buffer will do */
	return vision__level_size(cascade->window_h, sw, 1, refine_lag(step, refine)) + table_size(cascade) +
	        refine_marks_size(sw, refine);
}

size_t vision_haar_scan_get_buffer_size(const vision_cascade_t *cascade, int32_t roi_w, int32_t roi_h, float scale)
{
	return vision__haar_levels_size(cascade, roi_w, roi_h, &scale, 1, 0, 0);
}

/* A row of windows: its integral band (its top-left entries) and the squares' rows its variance reads. */
typedef struct {
	const uint32_t *band, *q1, *q2;
	int32_t y;
} level_row_t;

static VISION_INLINE level_row_t level_row(const vision__level_t *l, int32_t wh, int32_t y)
{
	const level_row_t r = {l->sum + (size_t)(y % l->k) * (size_t)l->stride,
	                       l->sq + (size_t)((y + 1) % l->k) * (size_t)l->stride,
	                       l->sq + (size_t)((y + wh - 1) % l->k) * (size_t)l->stride, y};
	return r;
}

/* The window at x of row r: stages passed (or LOW_VARIANCE), a candidate emitted when it passed them all. */
static VISION_INLINE int32_t level_window(table_t *t, const vision_cascade_t *c, const vision__level_t *l,
                                          const level_row_t *r, int32_t x, float scale, vision_rect_list_t *out,
                                          vision_haar_stats_t *st, const int counting)
{
	double last;
	const int32_t passed = window(t, c, l, r->band, r->q1, r->q2, x, &last, st, counting);
	if (passed == c->stage_count)
		vision__emit(out, &l->roi, x, r->y, scale, l->rw, l->rh, last);
	return passed;
}

/* One level of the scan, its windows against the scan's table. */
static VISION_INLINE void level_scan(table_t *t, const vision_cascade_t *c, vision__level_t *l, float scale,
                                     vision_rect_list_t *out, vision_haar_stats_t *st, const int counting)
{
	const int32_t wh = c->window_h;
	for (int32_t y = 0; y + wh <= l->sh; y += l->step) {
		vision__level_rows(l, y);
		const level_row_t row = level_row(l, wh, y);
		for (int32_t x = 0; x + c->window_w <= l->sw; x += l->step)
			if (level_window(t, c, l, &row, x, scale, out, st, counting) == 0 && l->skip)
				x += l->step;
	}
}

/*
 * One level coarse to fine (vision_cascade_scan_levels' refine): the windows
 * 2 * step apart first, a coarse row at a time, marking those that passed
 * `refine` stages; then the step's windows between them in that row, beside a
 * mark to their left or right, and the fine row a step above it, beside a
 * mark of the coarse row above or this one (straight up or down, or
 * diagonally). The fine row is a step behind the newest integral row: the
 * level keeps `step` more rows (its lag). A face passes most stages over a few
 * pixels around it, so its windows are still evaluated; the rest of the frame
 * costs about a quarter of its windows and the few around false starts.
 */
static VISION_INLINE void level_scan_refined(table_t *t, const vision_cascade_t *c, vision__level_t *l, float scale,
                                             int32_t refine, uint8_t *above, uint8_t *below, vision_rect_list_t *out,
                                             vision_haar_stats_t *st, const int counting)
{
	const int32_t ww = c->window_w, wh = c->window_h, s = l->step, s2 = 2 * s;
	const int32_t cols = (l->sw - ww) / s2 + 1; /* coarse windows a row: x = 0, 2s, 4s, ... */
	memset(above, 0, (size_t)cols);
	for (int32_t y = 0; y - s + wh <= l->sh; y += s2) {
		const int coarse = y + wh <= l->sh;
		/* Integral rows up to the last one this round's windows read (the fine row's when no coarse one fits). */
		vision__level_rows(l, (coarse ? y : y - s) + wh - (l->k - 1));
		memset(below, 0, (size_t)cols);
		if (coarse) {
			const level_row_t row = level_row(l, wh, y);
			for (int32_t i = 0; i < cols; i++)
				below[i] = level_window(t, c, l, &row, i * s2, scale, out, st, counting) >= refine;
			for (int32_t i = 0; i * s2 + s + ww <= l->sw; i++)
				if (below[i] || (i + 1 < cols && below[i + 1]))
					level_window(t, c, l, &row, i * s2 + s, scale, out, st, counting);
		}
		if (y >= s) {
			const level_row_t row = level_row(l, wh, y - s);
			for (int32_t i = 0; i * s2 + ww <= l->sw; i++) {
				const int32_t x = i * s2;
				if (above[i] || below[i])
					level_window(t, c, l, &row, x, scale, out, st, counting);
				if (x + s + ww <= l->sw && (above[i] || below[i] || (i + 1 < cols && (above[i + 1] || below[i + 1]))))
					level_window(t, c, l, &row, x + s, scale, out, st, counting);
			}
		}
		uint8_t *const swap = above;
		above = below;
		below = swap;
	}
}

/*
 * The levels at `scales`, in order: their integral rows all as long as the
 * widest's, so the table's offsets hold for each and a stage goes into it
 * once a scan. The table comes first in the scratch, each level after it.
 */
static VISION_INLINE vision_status_t scan(const vision_cascade_t *c, const vision_image_u8_t *image,
                                          const vision_rect_t *roi, const float *scales, uint32_t n, int32_t step,
                                          int32_t refine, void *buf, size_t buf_size, vision_rect_list_t *out,
                                          vision_haar_stats_t *st, const int counting)
{
	vision_rect_t r;
	vision_status_t status = vision__roi(image, roi, &r);
	if (status != VISION_OK)
		return status;
	if (c == NULL || c->feature_type != VISION_FEATURE_HAAR || buf == NULL || (n > 0 && scales == NULL) || refine < 0 ||
	    (refine > 0 && step <= 0))
		return VISION_ERR_ARG;
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	table_t t;
	const int32_t sw = levels_width(c, r.w, r.h, scales, n), lag = refine_lag(step, refine);
	uint8_t *marks = NULL;
	/* The whole size up front, as one level alone checks it: short scratch is refused, never scanned partly. */
	if (sw > 0) {
		if (buf_size < vision__level_size(c->window_h, sw, 1, lag) + table_size(c) + refine_marks_size(sw, refine) ||
		    !table_begin(&t, c, (uint32_t)(sw + 1) * 4u, &a))
			return VISION_ERR_BUFFER;
		if (refine > 0)
			marks = (uint8_t *)vision__take(&a, 2 * (size_t)sw);
	}
	for (uint32_t i = 0; i < n; i++) {
		vision__arena_t la = a;
		vision__level_t l;
		status = vision__level_begin(&l, c, VISION_FEATURE_HAAR, image, roi, scales[i], step, out,
		                             !counting || st != NULL, 1, sw + 1, lag, 0, &la);
		if (status != VISION_OK)
			return status;
		if (l.sw == 0)
			continue;
		if (marks != NULL)
			level_scan_refined(&t, c, &l, scales[i], refine, marks, marks + sw, out, st, counting);
		else
			level_scan(&t, c, &l, scales[i], out, st, counting);
	}
	return VISION_OK;
}

vision_status_t vision__haar_scan_levels(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, const float *scales, uint32_t n, int32_t step,
                                         int32_t refine, void *buf, size_t buf_size, vision_rect_list_t *out,
                                         vision_haar_stats_t *stats)
{
	return stats != NULL ? scan(cascade, image, roi, scales, n, step, refine, buf, buf_size, out, stats, 1)
	                     : scan(cascade, image, roi, scales, n, step, refine, buf, buf_size, out, NULL, 0);
}

vision_status_t vision_haar_scan(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                 const vision_rect_t *roi, float scale, int32_t step, void *buf, size_t buf_size,
                                 vision_rect_list_t *out)
{
	return scan(cascade, image, roi, &scale, 1, step, 0, buf, buf_size, out, NULL, 0);
}

vision_status_t vision_haar_scan_counted(const vision_cascade_t *cascade, const vision_image_u8_t *image,
                                         const vision_rect_t *roi, float scale, int32_t step, void *buf,
                                         size_t buf_size, vision_rect_list_t *out, vision_haar_stats_t *stats)
{
	return scan(cascade, image, roi, &scale, 1, step, 0, buf, buf_size, out, stats, 1);
}

vision_status_t vision_haar_eval_window(const vision_cascade_t *cascade, const vision_image_u8_t *image, int32_t x,
                                        int32_t y, void *buf, size_t buf_size, vision_haar_window_t *result)
{
	if (cascade == NULL || result == NULL)
		return VISION_ERR_ARG;
	const vision_rect_t roi = {x, y, cascade->window_w, cascade->window_h};
	const vision_rect_list_t none = {NULL, 0, 0, 0, NULL};
	vision__arena_t a = {(uint8_t *)buf, buf_size, 0};
	vision__level_t l;
	table_t t;
	const vision_status_t status = vision__level_begin(&l, cascade, VISION_FEATURE_HAAR, image, &roi, 1.0f, 1, &none, 1,
	                                                   1, 0, 0, table_size(cascade), &a);
	if (status != VISION_OK)
		return status;
	if (!table_begin(&t, cascade, (uint32_t)l.stride * 4u, &a))
		return VISION_ERR_BUFFER;
	vision__level_rows(&l, 0);
	double last;
	const int32_t res = window(&t, cascade, &l, l.sum, l.sq + l.stride,
	                           l.sq + (size_t)(cascade->window_h - 1) * l.stride, 0, &last, NULL, 0);
	result->low_variance = res == LOW_VARIANCE;
	result->stages_passed = res == LOW_VARIANCE ? 0 : res;
	result->last_stage_sum = last;
	return VISION_OK;
}
