/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binary cascade validation (every truncation, targeted corruptions, byte
 * fuzzing) and the Haar scan's consistency with single-window evaluation of
 * an explicitly resized image, following OpenCV's stepping rules.
 * The committed frontalface cascade is read from XSIGHT_CASCADE or
 * resources/cascades/frontalface.cascade (relative to the project root).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "vision.h"

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffffu);
	put16(p + 2, v >> 16);
}
static void putf(uint8_t *p, float f)
{
	uint32_t v;
	memcpy(&v, &f, 4);
	put32(p, v);
}

/*
 * A 6x6 cascade of 2 stages. Stage 0: "bottom half brighter than top"
 * (whole * -1 + bottom * 2). Stage 1: "left half brighter than right".
 */
static _Alignas(8) uint8_t tiny[32 + 2 * 8 + 2 * 16 + 4 * 5 + 4];
static size_t tiny_len;

static void build_tiny(void)
{
	memset(tiny, 0, sizeof tiny);
	memcpy(tiny, "XSHC", 4);
	put16(tiny + 4, 1);
	put16(tiny + 8, 6);
	put16(tiny + 10, 6);
	put16(tiny + 12, 2);
	put32(tiny + 16, 2);
	put32(tiny + 20, 4);
	size_t end = 32 + 16 + 32 + 20;
	tiny_len = (end + 3) & ~(size_t)3;
	put32(tiny + 24, (uint32_t)tiny_len);
	uint8_t *st = tiny + 32, *wk = st + 16, *rc = wk + 32;
	put16(st, 1);
	putf(st + 4, 0.0f);
	put16(st + 8, 1);
	putf(st + 12, 0.0f);
	putf(wk, 0.0f), putf(wk + 4, -1.0f), putf(wk + 8, 1.0f), put32(wk + 12, 0u | (2u << 24));
	putf(wk + 16, 0.0f), putf(wk + 20, -1.0f), putf(wk + 24, 1.0f), put32(wk + 28, 2u | (2u << 24));
	static const uint8_t rects[4][5] = {
	        {0, 0, 6, 6, (uint8_t)-1}, {0, 3, 6, 3, 2}, {0, 0, 6, 6, 1}, {3, 0, 3, 6, (uint8_t)-2}};
	memcpy(rc, rects, sizeof rects);
}

static uint8_t *load_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *p = malloc((size_t)n);
	if (p != NULL && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

/* Every shorter length must fail, checked on an exactly-sized heap copy (ASan/valgrind catch over-reads). */
static int every_truncation_fails(const uint8_t *data, size_t len)
{
	for (size_t l = 0; l < len; l++) {
		uint8_t *copy = malloc(l ? l : 1);
		memcpy(copy, data, l);
		vision_cascade_t c;
		const char *why = NULL;
		vision_status_t st = vision_cascade_check(copy, l, &c, &why);
		free(copy);
		if (st != VISION_ERR_TRUNCATED) {
			UNIT_FAIL("length %zu of %zu: status %d (%s)", l, len, st, why ? why : "?");
			return 0;
		}
	}
	return 1;
}

UNIT_TEST(tiny_cascade_checks)
{
	build_tiny();
	vision_cascade_t c;
	const char *why = NULL;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, &why), VISION_OK);
	UNIT_EQ_INT(c.window_w, 6);
	UNIT_EQ_INT(c.stage_count, 2);
	UNIT_EQ_INT(c.weak_count, 2);
	UNIT_EQ_INT(c.rect_count, 4);
	UNIT_ASSERT(every_truncation_fails(tiny, tiny_len));
	static _Alignas(8) uint8_t shifted[sizeof tiny + 8];
	memcpy(shifted + 1, tiny, tiny_len);
	UNIT_EQ_INT(vision_cascade_check(shifted + 1, tiny_len, &c, &why), VISION_ERR_ALIGN);
	UNIT_EQ_INT(vision_cascade_check(NULL, tiny_len, &c, &why), VISION_ERR_ARG);
}

typedef struct {
	size_t at;
	uint8_t value;
	uint8_t below; /* also written at at-1 when non-zero: float exponents span two bytes */
	vision_status_t expect;
	const char *what;
} corruption_t;

UNIT_TEST(targeted_corruptions)
{
	const size_t wk = 32 + 16, rc = wk + 32;
	const corruption_t cases[] = {
	        {0, 'Y', 0, VISION_ERR_FORMAT, "magic"},
	        {4, 2, 0, VISION_ERR_UNSUPPORTED, "version"},
	        {6, 1, 0, VISION_ERR_UNSUPPORTED, "flags (tilted)"},
	        {14, 2, 0, VISION_ERR_UNSUPPORTED, "feature type 2"},
	        {14, 1, 0, VISION_ERR_FORMAT, "feature type LBP on Haar records"},
	        {8, 2, 0, VISION_ERR_FORMAT, "window width 2"},
	        {12, 3, 0, VISION_ERR_FORMAT, "stage count vs total size"},
	        {16, 3, 0, VISION_ERR_FORMAT, "weak count vs total size"},
	        {24, 99, 0, VISION_ERR_FORMAT, "total size"},
	        {32, 2, 0, VISION_ERR_FORMAT, "stage weak counts"},
	        {32, 0, 0, VISION_ERR_FORMAT, "empty stage"},
	        {32 + 7, 0x7f, 0x80, VISION_ERR_FORMAT, "stage threshold NaN"},
	        {wk + 3, 0xff, 0x80, VISION_ERR_FORMAT, "weak threshold NaN"},
	        {wk + 11, 0x7f, 0x80, VISION_ERR_FORMAT, "leaf infinite"},
	        {wk + 15, 4, 0, VISION_ERR_FORMAT, "rect count 4"},
	        {wk + 15, 0, 0, VISION_ERR_FORMAT, "rect count 0"},
	        {wk + 12 + 16, 3, 0, VISION_ERR_FORMAT, "rect offset past the table"},
	        {rc + 0, 1, 0, VISION_ERR_FORMAT, "rect leaves the window in x"},
	        {rc + 5 + 3, 4, 0, VISION_ERR_FORMAT, "rect leaves the window in y"},
	        {rc + 2, 0, 0, VISION_ERR_FORMAT, "empty rect"},
	        {rc + 4, 0, 0, VISION_ERR_FORMAT, "zero weight"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		build_tiny();
		tiny[cases[i].at] = cases[i].value;
		if (cases[i].below != 0)
			tiny[cases[i].at - 1] = cases[i].below;
		vision_cascade_t c;
		const char *why = NULL;
		vision_status_t st = vision_cascade_check(tiny, tiny_len, &c, &why);
		if (st != cases[i].expect) {
			UNIT_FAIL("%s: status %d (%s), expected %d", cases[i].what, st, why ? why : "?", cases[i].expect);
			return;
		}
	}
	/* The float32 exactness bound: sum of |weight| * area * 255 <= 2^24 per feature. */
	vision_cascade_t c;
	build_tiny();
	put16(tiny + 8, 200);
	put16(tiny + 10, 200);
	tiny[rc + 2] = 200, tiny[rc + 3] = 200, tiny[rc + 4] = (uint8_t)-1; /* 200*200*255 + 6*3*255*2 */
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	tiny[rc + 4] = (uint8_t)-2; /* 2*200*200*255 > 2^24 */
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_ERR_FORMAT);
}

/* Random byte changes must never crash or read outside the buffer; when accepted, the scan must run. */
UNIT_TEST(byte_fuzzing)
{
	static uint8_t img[20 * 20];
	static uint8_t buf[8192];
	for (int i = 0; i < 400; i++)
		img[i] = (uint8_t)unit_rand();
	int accepted = 0;
	for (int round = 0; round < 20000; round++) {
		build_tiny();
		int n = 1 + (int)(unit_rand() % 3);
		for (int k = 0; k < n; k++)
			tiny[unit_rand() % tiny_len] = (uint8_t)unit_rand();
		uint8_t *copy = malloc(tiny_len);
		memcpy(copy, tiny, tiny_len);
		vision_cascade_t c;
		if (vision_cascade_check(copy, tiny_len, &c, NULL) == VISION_OK) {
			accepted++;
			vision_image_u8_t im = {img, 20, 20, 20};
			vision_rect_t rects[64];
			vision_rect_list_t list = {rects, 64, 0, 0, NULL};
			size_t need = vision_haar_scan_get_buffer_size(&c, 20, 20, 1.0f);
			UNIT_ASSERT(need <= sizeof buf);
			UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, need, &list), VISION_OK);
		}
		free(copy);
	}
	printf("# fuzzing: %d of 20000 variants accepted\n", accepted);
}

static const char *cascade_path(void)
{
	const char *p = getenv("XSIGHT_CASCADE");
	return p != NULL ? p : "resources/cascades/frontalface.cascade";
}

UNIT_TEST(frontalface_checks)
{
	size_t len = 0;
	uint8_t *data = load_file(cascade_path(), &len);
	if (data == NULL) {
		UNIT_FAIL("cannot read %s (run from the project root or set XSIGHT_CASCADE)", cascade_path());
		return;
	}
	vision_cascade_t c;
	const char *why = NULL;
	vision_status_t st = vision_cascade_check(data, len, &c, &why);
	if (st != VISION_OK) {
		UNIT_FAIL("status %d: %s", st, why);
		free(data);
		return;
	}
	int ok = c.window_w == 24 && c.window_h == 24 && c.stage_count == 25 && c.weak_count == 2913;
	ok = ok && every_truncation_fails(data, len);
	/* Its 78755 bytes of tables are padded by one zero byte, which must stay zero. */
	data[len - 1] = 1;
	ok = ok && vision_cascade_check(data, len, &c, &why) == VISION_ERR_FORMAT;
	free(data);
	UNIT_ASSERT(ok);
}

/* OpenCV's scan rules written out plainly over an explicitly resized image. */
static uint32_t reference_scan(const vision_cascade_t *c, const uint8_t *img, int w, int h, float scale, int step,
                               vision_rect_t *rects, uint32_t cap)
{
	static uint8_t small[200 * 200];
	static uint8_t buf[64 * 1024];
	int32_t sw, sh;
	vision_haar_scaled_size(w, h, scale, &sw, &sh);
	vision_image_u8_t src = {img, w, h, w};
	vision_resize_bilinear_u8(&src, NULL, small, sw, sh, sw, buf, sizeof buf);
	vision_image_u8_t s = {small, sw, sh, sw};
	int ystep = step ? step : (scale >= 2.0f ? 1 : 2);
	uint32_t n = 0;
	for (int y = 0; y + c->window_h <= sh; y += ystep)
		for (int x = 0; x + c->window_w <= sw; x += ystep) {
			vision_haar_window_t r;
			vision_haar_eval_window(c, &s, x, y, buf, sizeof buf, &r);
			if (r.stages_passed == c->stage_count && n < cap) {
				rects[n].x = (int32_t)lrintf((float)x * scale);
				rects[n].y = (int32_t)lrintf((float)y * scale);
				rects[n].w = (int32_t)lrintf((float)c->window_w * scale);
				rects[n].h = (int32_t)lrintf((float)c->window_h * scale);
				n++;
			} else if (step == 0 && r.stages_passed == 0 && !r.low_variance) {
				x += ystep;
			}
		}
	return n;
}

UNIT_TEST(scan_equals_window_by_window)
{
	build_tiny();
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	enum { W = 61, H = 47 };
	static uint8_t img[W * H];
	/* Smooth blobs plus noise: plenty of windows pass, fail at each stage, or are flat. */
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			img[y * W + x] =
			        x > 44 ? 128 : (uint8_t)(((x / 5 + y / 3) % 4) * 60 + (y > 30 ? 0 : (int)(unit_rand() % 9)));
	static const float scales[] = {1.0f, 1.1f, 1.21f, 1.5f, 2.0f, 2.5f, 3.7f};
	static const int steps[] = {0, 1, 3};
	static vision_rect_t got[4096], want[4096];
	static uint8_t buf[64 * 1024];
	for (size_t si = 0; si < sizeof scales / sizeof scales[0]; si++)
		for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			vision_image_u8_t im = {img, W, H, W};
			vision_rect_list_t list = {got, 4096, 0, 0, NULL};
			size_t need = vision_haar_scan_get_buffer_size(&c, W, H, scales[si]);
			UNIT_ASSERT(need <= sizeof buf);
			UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, scales[si], steps[k], buf, need, &list), VISION_OK);
			uint32_t n = reference_scan(&c, img, W, H, scales[si], steps[k], want, 4096);
			UNIT_EQ_INT(list.count, n);
			UNIT_EQ_INT(list.overflow, 0);
			UNIT_ASSERT(n > 0 || scales[si] > 3.0f);
			UNIT_EQ_INT(memcmp(got, want, n * sizeof got[0]), 0);
			/* The counting variant finds the same and counts every visited window. */
			vision_haar_stats_t stats = {0};
			vision_rect_list_t list2 = {got, 4096, 0, 0, NULL};
			UNIT_EQ_INT(vision_haar_scan_counted(&c, &im, NULL, scales[si], steps[k], buf, need, &list2, &stats),
			            VISION_OK);
			UNIT_EQ_INT(list2.count, n);
			UNIT_EQ_INT(stats.passed, n);
			if (!((stats.low_variance > 0 || scales[si] > 2.0f) && stats.windows > stats.low_variance + n)) {
				UNIT_FAIL("scale %g step %d: %u windows, %u flat, %u passed", scales[si], steps[k], stats.windows,
				          stats.low_variance, n);
				return;
			}
			UNIT_ASSERT(stats.weaks == stats.stages); /* one stump per stage here */
			/* A buffer one byte short is refused, not scanned partly. */
			vision_rect_list_t list3 = {got, 4096, 0, 0, NULL};
			UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, scales[si], steps[k], buf, need - 1, &list3),
			            VISION_ERR_BUFFER);
		}
	/* ROI: same candidates as scanning the cropped image, shifted. */
	vision_image_u8_t im = {img, W, H, W};
	vision_rect_t roi = {7, 4, 40, 33};
	vision_rect_list_t list = {got, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, &roi, 1.1f, 0, buf, sizeof buf, &list), VISION_OK);
	static uint8_t crop[40 * 33];
	for (int y = 0; y < 33; y++)
		memcpy(crop + y * 40, img + (y + 4) * W + 7, 40);
	uint32_t n = reference_scan(&c, crop, 40, 33, 1.1f, 0, want, 4096);
	UNIT_EQ_INT(list.count, n);
	for (uint32_t i = 0; i < n; i++) {
		UNIT_EQ_INT(got[i].x, want[i].x + 7);
		UNIT_EQ_INT(got[i].y, want[i].y + 4);
	}
	/* Overflow is flagged, not fatal. */
	vision_rect_list_t small = {got, 2, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, sizeof buf, &small), VISION_OK);
	UNIT_EQ_INT(small.count, 2);
	UNIT_EQ_INT(small.overflow, 1);
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, 100, &small), VISION_ERR_BUFFER);
}

/* A scan of many levels finds what the levels one by one find, in order, and builds its feature table once: each
   stage goes in at most once for all the levels, where scans one level at a time build theirs each. */
UNIT_TEST(scan_levels_share_the_table)
{
	build_tiny();
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	enum { W = 61, H = 47 };
	static uint8_t img[W * H];
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			img[y * W + x] = (uint8_t)(((x / 5 + y / 3) % 4) * 60 + (int)(unit_rand() % 9));
	static const float scales[] = {1.0f, 1.1f, 1.21f, 1.5f, 2.0f, 9.0f};
	enum { N = sizeof scales / sizeof scales[0] };
	static vision_rect_t got[4096], want[4096];
	static uint8_t buf[64 * 1024];
	const vision_image_u8_t im = {img, W, H, W};
	vision_rect_list_t one = {want, 4096, 0, 0, NULL};
	vision_haar_stats_t each = {0}, all = {0};
	for (int i = 0; i < N; i++)
		UNIT_EQ_INT(vision_haar_scan_counted(&c, &im, NULL, scales[i], 0, buf, sizeof buf, &one, &each), VISION_OK);
	const size_t need = vision_cascade_scan_levels_get_buffer_size(&c, W, H, scales, N, 0, 0);
	UNIT_EQ_INT(need, vision_haar_scan_get_buffer_size(&c, W, H, 1.0f));
	vision_rect_list_t list = {got, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, scales, N, 0, 0, buf, need, &list, &all), VISION_OK);
	UNIT_EQ_INT(list.count, one.count);
	UNIT_ASSERT(one.count > 0);
	UNIT_EQ_INT(memcmp(got, want, one.count * sizeof got[0]), 0);
	UNIT_EQ_INT(all.windows, each.windows);
	UNIT_EQ_INT(all.stages, each.stages);
	UNIT_EQ_INT(all.weaks, each.weaks);
	UNIT_EQ_INT(all.passed, each.passed);
	UNIT_ASSERT(all.tabled > 0 && all.tabled <= c.weak_count);
	UNIT_ASSERT(each.tabled > all.tabled);
	/* Uncounted, the same; a buffer one byte short is refused. */
	vision_rect_list_t plain = {got, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, scales, N, 0, 0, buf, need, &plain, NULL), VISION_OK);
	UNIT_EQ_INT(plain.count, one.count);
	vision_rect_list_t short_list = {got, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, scales, N, 0, 0, buf, need - 1, &short_list, NULL),
	            VISION_ERR_BUFFER);
}

/* Coarse to fine (refine): at scale 1 the level is the image, so the rule can be replayed window by window with
   vision_haar_eval_window: the windows 2 * step apart always, one between them exactly when a coarse neighbour (a
   step away in x, y or both) passed `refine` stages; the candidates are those of the evaluated windows. */
UNIT_TEST(scan_levels_refine)
{
	build_tiny();
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	enum { W = 61, H = 47, STEP = 2 };
	static uint8_t img[W * H];
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			img[y * W + x] = (uint8_t)(((x / 5 + y / 3) % 4) * 60 + (int)(unit_rand() % 9));
	const vision_image_u8_t im = {img, W, H, W};
	static uint8_t buf[64 * 1024];
	static vision_rect_t got[4096];
	const float scale = 1.0f;
	const int32_t ww = c.window_w, wh = c.window_h;
	uint32_t skipped = 0, kept = 0; /* over the refines: windows left out, candidates found (the test bites) */
	for (int32_t refine = 1; refine <= c.stage_count; refine++) {
		/* The coarse windows' stages, then the windows the rule evaluates and which of them pass. */
		static int32_t passed[H][W];
		for (int32_t y = 0; y + wh <= H; y += STEP)
			for (int32_t x = 0; x + ww <= W; x += STEP) {
				vision_haar_window_t r;
				UNIT_EQ_INT(vision_haar_eval_window(&c, &im, x, y, buf, sizeof buf, &r), VISION_OK);
				passed[y][x] = r.low_variance ? -1 : r.stages_passed;
			}
		uint32_t windows = 0, found = 0;
		static uint8_t want[H][W];
		memset(want, 0, sizeof want);
		for (int32_t y = 0; y + wh <= H; y += STEP)
			for (int32_t x = 0; x + ww <= W; x += STEP) {
				int evaluate = x % (2 * STEP) == 0 && y % (2 * STEP) == 0;
				for (int32_t dy = -STEP; dy <= STEP && !evaluate; dy += STEP)
					for (int32_t dx = -STEP; dx <= STEP && !evaluate; dx += STEP) {
						const int32_t cx = x + dx, cy = y + dy;
						evaluate = cx >= 0 && cy >= 0 && cx % (2 * STEP) == 0 && cy % (2 * STEP) == 0 && cx + ww <= W &&
						        cy + wh <= H && passed[cy][cx] >= refine;
					}
				windows += (uint32_t)evaluate;
				skipped += (uint32_t)!evaluate;
				if (evaluate && passed[y][x] == c.stage_count) {
					want[y][x] = 1;
					found++;
				}
			}
		const size_t need = vision_cascade_scan_levels_get_buffer_size(&c, W, H, &scale, 1, STEP, refine);
		UNIT_ASSERT(need > vision_cascade_scan_levels_get_buffer_size(&c, W, H, &scale, 1, STEP, 0));
		UNIT_ASSERT(need <= sizeof buf);
		vision_rect_list_t list = {got, 4096, 0, 0, NULL};
		vision_haar_stats_t st = {0};
		UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, &scale, 1, STEP, refine, buf, need, &list, &st),
		            VISION_OK);
		UNIT_EQ_INT(st.windows, windows);
		UNIT_EQ_INT(list.count, found);
		kept += found;
		for (uint32_t i = 0; i < list.count; i++)
			UNIT_ASSERT(want[got[i].y][got[i].x]);
		vision_rect_list_t short_list = {got, 4096, 0, 0, NULL};
		UNIT_EQ_INT(
		        vision_cascade_scan_levels(&c, &im, NULL, &scale, 1, STEP, refine, buf, need - 1, &short_list, NULL),
		        VISION_ERR_BUFFER);
	}
	UNIT_ASSERT(skipped > 0 && kept > 0);
	/* Refining needs a fixed step. */
	vision_rect_list_t list = {got, 4096, 0, 0, NULL};
	UNIT_EQ_INT(vision_cascade_scan_levels(&c, &im, NULL, &scale, 1, 0, 1, buf, sizeof buf, &list, NULL),
	            VISION_ERR_ARG);
	UNIT_EQ_INT(vision_cascade_scan_levels_get_buffer_size(&c, W, H, &scale, 1, 0, 1), 0);
}

UNIT_TEST(window_results)
{
	build_tiny();
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	static uint8_t img[36], buf[4096];
	vision_image_u8_t im = {img, 6, 6, 6};
	vision_haar_window_t r;
	memset(img, 90, sizeof img); /* flat: rejected before any stage */
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
	UNIT_EQ_INT(r.low_variance, 1);
	for (int i = 0; i < 36; i++) /* bright bottom, bright left: passes both */
		img[i] = (uint8_t)((i / 6 >= 3 ? 150 : 50) + (i % 6 < 3 ? 60 : 0));
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
	UNIT_EQ_INT(r.low_variance, 0);
	UNIT_EQ_INT(r.stages_passed, 2);
	UNIT_ASSERT(r.last_stage_sum == 1.0);
	for (int i = 0; i < 36; i++) /* bright bottom, bright right: fails stage 1 */
		img[i] = (uint8_t)((i / 6 >= 3 ? 150 : 50) + (i % 6 >= 3 ? 60 : 0));
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
	UNIT_EQ_INT(r.stages_passed, 1);
	UNIT_ASSERT(r.last_stage_sum == -1.0);
	/* Low contrast (std dev <= 10) is also rejected as flat, as in OpenCV. */
	for (int i = 0; i < 36; i++)
		img[i] = (uint8_t)(100 + (i / 6 >= 3 ? 8 : 0));
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
	UNIT_EQ_INT(r.low_variance, 1);
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 1, 0, buf, sizeof buf, &r), VISION_ERR_ARG);
}

/*
 * A stage whose double sum depends on the order of its leaves: 1.0 and then
 * 2^-53 twice is 1.0 in OpenCV's order (each addition rounds back to 1), but
 * 1 + 2^-52 with the two halves first. The scan groups a stage's features by
 * shape (the halves first) only when its sum is exact in any order; this one
 * must stay in cascade order.
 */
UNIT_TEST(stage_sum_in_cascade_order)
{
	static _Alignas(8) uint8_t c8[104];
	memcpy(c8, "XSHC", 4);
	put16(c8 + 4, 1);
	put16(c8 + 8, 6);
	put16(c8 + 10, 6);
	put16(c8 + 12, 1);
	put32(c8 + 16, 3);
	put32(c8 + 20, 3);
	put32(c8 + 24, sizeof c8);
	uint8_t *st = c8 + 32, *wk = st + 8, *rc = wk + 48;
	put16(st, 3);
	putf(st + 4, -100.0f);
	/* Every feature takes its right leaf (its value is never under -1e30). */
	putf(wk, -1e30f), putf(wk + 4, 0.0f), putf(wk + 8, 1.0f), put32(wk + 12, 0u | (1u << 24));
	for (int k = 1; k < 3; k++)
		putf(wk + 16 * k, -1e30f), putf(wk + 16 * k + 4, 0.0f), putf(wk + 16 * k + 8, ldexpf(1.0f, -53)),
		        put32(wk + 16 * k + 12, 1u | (2u << 24));
	static const uint8_t rects[3][5] = {{0, 0, 6, 6, 1}, {0, 0, 6, 6, 0xff}, {0, 0, 3, 6, 2}};
	memcpy(rc, rects, sizeof rects);
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(c8, sizeof c8, &c, NULL), VISION_OK);
	static uint8_t img[36], buf[8192];
	for (int i = 0; i < 36; i++)
		img[i] = (uint8_t)(i * 7);
	vision_image_u8_t im = {img, 6, 6, 6};
	vision_haar_window_t r;
	UNIT_EQ_INT(vision_haar_eval_window(&c, &im, 0, 0, buf, sizeof buf, &r), VISION_OK);
	UNIT_EQ_INT(r.stages_passed, 1);
	if (r.last_stage_sum != 1.0)
		UNIT_FAIL("stage sum %.17g, OpenCV's order gives 1", r.last_stage_sum);
}

UNIT_TEST(opencv_scale_list)
{
	float s[64];
	UNIT_EQ_INT(vision_haar_scales(320, 240, 24, 24, 1.1, 0, 0, 0, 0, s, 64), 25);
	UNIT_ASSERT(s[0] == 1.0f && s[1] == 1.1f);
	UNIT_EQ_INT(vision_haar_scales(320, 240, 24, 24, 1.1, 30, 30, 100, 100, s, 64), 13);
	UNIT_ASSERT(s[0] == (float)(1.1 * 1.1 * 1.1));
	UNIT_EQ_INT(vision_haar_scales(23, 240, 24, 24, 1.1, 0, 0, 0, 0, s, 64), 0);
	UNIT_EQ_INT(vision_haar_scales(25, 25, 24, 24, 1.1, 0, 0, 0, 0, s, 64), 1);
	UNIT_EQ_INT(vision_haar_scales(320, 240, 24, 24, 1.1, 0, 0, 0, 0, s, 3), 25);
	int32_t w, h;
	vision_haar_scaled_size(320, 240, 1.1f, &w, &h);
	UNIT_EQ_INT(w, 291);
	UNIT_EQ_INT(h, 218);
}

/* Callers may replace the stage thresholds and cut the stage count; scores are each candidate's last stage sum. */
UNIT_TEST(stage_overrides_and_scores)
{
	build_tiny();
	vision_cascade_t c;
	UNIT_EQ_INT(vision_cascade_check(tiny, tiny_len, &c, NULL), VISION_OK);
	UNIT_ASSERT(c.stage_thresholds == NULL);
	enum { W = 40, H = 30 };
	static uint8_t img[W * H], buf[64 * 1024];
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			img[y * W + x] = (uint8_t)(((x / 4 + y / 3) % 5) * 50 + (int)(unit_rand() % 7));
	vision_image_u8_t im = {img, W, H, W};
	static vision_rect_t base[2048], got[2048];
	static float scores[2048];
	vision_rect_list_t list = {base, 2048, 0, 0, scores};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, sizeof buf, &list), VISION_OK);
	uint32_t n = list.count;
	UNIT_ASSERT(n > 10);
	for (uint32_t i = 0; i < n; i++) {
		vision_haar_window_t r;
		UNIT_EQ_INT(vision_haar_eval_window(&c, &im, base[i].x, base[i].y, buf, sizeof buf, &r), VISION_OK);
		if ((float)r.last_stage_sum != scores[i]) {
			UNIT_FAIL("candidate %u: score %g, window sum %g", i, (double)scores[i], r.last_stage_sum);
			return;
		}
	}
	/* The stored thresholds given explicitly change nothing. */
	const float same[2] = {0.0f, 0.0f};
	c.stage_thresholds = same;
	vision_rect_list_t l2 = {got, 2048, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, sizeof buf, &l2), VISION_OK);
	UNIT_EQ_INT(l2.count, n);
	UNIT_EQ_INT(memcmp(got, base, n * sizeof got[0]), 0);
	/* A higher last stage threshold keeps exactly the candidates whose score clears it. */
	const float higher[2] = {0.0f, 1.5f};
	c.stage_thresholds = higher;
	vision_rect_list_t l3 = {got, 2048, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, sizeof buf, &l3), VISION_OK);
	uint32_t keep = 0;
	for (uint32_t i = 0; i < n; i++)
		keep += (double)scores[i] >= (double)(1.5f - 1e-5f);
	UNIT_EQ_INT(l3.count, keep);
	UNIT_ASSERT(keep < n);
	/* One stage only: a superset. */
	c.stage_thresholds = NULL;
	c.stage_count = 1;
	vision_rect_list_t l4 = {got, 2048, 0, 0, NULL};
	UNIT_EQ_INT(vision_haar_scan(&c, &im, NULL, 1.0f, 1, buf, sizeof buf, &l4), VISION_OK);
	UNIT_ASSERT(l4.count > n);
}

int main(void)
{
	unit_rand_seed(4242u);
	UNIT_RUN(tiny_cascade_checks);
	UNIT_RUN(targeted_corruptions);
	UNIT_RUN(byte_fuzzing);
	UNIT_RUN(frontalface_checks);
	UNIT_RUN(scan_equals_window_by_window);
	UNIT_RUN(scan_levels_share_the_table);
	UNIT_RUN(scan_levels_refine);
	UNIT_RUN(window_results);
	UNIT_RUN(stage_sum_in_cascade_order);
	UNIT_RUN(opencv_scale_list);
	UNIT_RUN(stage_overrides_and_scores);
	return unit_done();
}
