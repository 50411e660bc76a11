/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Validation of binary cascades (docs/cascade-format.md): the header and
 * stages here, then the records of the feature type (LBP's in lbp.c). The scan does no
 * bounds checks of its own in the hot loop, so everything it relies on is
 * proven here once: sizes against the buffer, offsets against the tables,
 * the rects a weak classifier refers to inside the window (a rect no record
 * refers to is never read), floats finite, and each feature's integer sum
 * small enough to be exact in float32 (as OpenCV computes it).
 */
#include "vision_internal.h"

#define HEADER_SIZE      32u
#define STAGE_SIZE       8u
#define WEAK_SIZE        16u
#define RECT_SIZE        5u
#define LBP_WEAK_SIZE    44u
#define LBP_FEATURE_SIZE 4u
#define EXACT_LIMIT      (1u << 24)

static vision_status_t fail(const char **reason, vision_status_t st, const char *why)
{
	if (reason != NULL)
		*reason = why;
	return st;
}

vision_status_t vision_cascade_check(const uint8_t *data, size_t len, vision_cascade_t *cascade, const char **reason)
{
	if (reason != NULL)
		*reason = "ok";
	if (data == NULL || cascade == NULL)
		return fail(reason, VISION_ERR_ARG, "data or cascade is NULL");
	/* Floats are loaded in place, so the data must be word aligned (flash or a JS ArrayBuffer is). */
	if (((uintptr_t)data & 3u) != 0)
		return fail(reason, VISION_ERR_ALIGN, "data is not 4-byte aligned");
	if (len < HEADER_SIZE)
		return fail(reason, VISION_ERR_TRUNCATED, "shorter than the 32-byte header");
	if (memcmp(data, "XSHC", 4) != 0)
		return fail(reason, VISION_ERR_FORMAT, "magic is not XSHC");
	if (vision__ld_u16(data + 4) != 1)
		return fail(reason, VISION_ERR_UNSUPPORTED, "version is not 1");
	if (vision__ld_u16(data + 6) != 0)
		return fail(reason, VISION_ERR_UNSUPPORTED, "flags are not 0 (tilted features are not supported)");
	const uint32_t type = vision__ld_u16(data + 14);
	if (type != VISION_FEATURE_HAAR && type != VISION_FEATURE_LBP)
		return fail(reason, VISION_ERR_UNSUPPORTED, "feature type is not 0 (Haar) or 1 (LBP)");
	if (vision__ld_u32(data + 28) != 0)
		return fail(reason, VISION_ERR_FORMAT, "reserved header fields are not 0");
	const uint32_t weak_size = type == VISION_FEATURE_LBP ? LBP_WEAK_SIZE : WEAK_SIZE;
	const uint32_t rect_size = type == VISION_FEATURE_LBP ? LBP_FEATURE_SIZE : RECT_SIZE;

	const uint32_t win_w = vision__ld_u16(data + 8), win_h = vision__ld_u16(data + 10);
	const uint32_t n_stages = vision__ld_u16(data + 12);
	const uint32_t n_weaks = vision__ld_u32(data + 16), n_rects = vision__ld_u32(data + 20);
	const uint32_t total = vision__ld_u32(data + 24);
	if (win_w < 3 || win_w > 255 || win_h < 3 || win_h > 255)
		return fail(reason, VISION_ERR_FORMAT, "window width/height not in 3..255");
	if (n_stages == 0)
		return fail(reason, VISION_ERR_FORMAT, "stage count is 0");
	if (n_weaks == 0)
		return fail(reason, VISION_ERR_FORMAT, "weak classifier count is 0");
	if (n_rects == 0 || n_rects >= (1u << 24))
		return fail(reason, VISION_ERR_FORMAT, "rect count not in 1..2^24-1");

	/* 64-bit so that no count can wrap the sizes. */
	const uint64_t weaks_at = HEADER_SIZE + (uint64_t)STAGE_SIZE * n_stages;
	const uint64_t rects_at = weaks_at + (uint64_t)weak_size * n_weaks;
	const uint64_t end = rects_at + (uint64_t)rect_size * n_rects;
	const uint64_t padded = (end + 3u) & ~(uint64_t)3u;
	if ((uint64_t)total != padded)
		return fail(reason, VISION_ERR_FORMAT, "total size does not match the counts");
	if ((uint64_t)len < padded)
		return fail(reason, VISION_ERR_TRUNCATED, "shorter than the total size in the header");
	for (uint64_t i = end; i < padded; i++)
		if (data[i] != 0)
			return fail(reason, VISION_ERR_FORMAT, "padding bytes are not 0");

	const uint8_t *stages = data + HEADER_SIZE;
	const uint8_t *weaks = data + weaks_at;
	const uint8_t *rects = data + rects_at;

	uint64_t tree_sum = 0;
	for (uint32_t s = 0; s < n_stages; s++) {
		const uint8_t *p = stages + (size_t)s * STAGE_SIZE;
		uint16_t n = vision__ld_u16(p);
		if (n == 0)
			return fail(reason, VISION_ERR_FORMAT, "a stage has no weak classifiers");
		if (vision__ld_u16(p + 2) != 0)
			return fail(reason, VISION_ERR_FORMAT, "stage reserved field is not 0");
		if (!vision__finite_f32(p + 4))
			return fail(reason, VISION_ERR_FORMAT, "stage threshold is not finite");
		tree_sum += n;
	}

	/* An LBP weak classifier is one record, a tree of one; Haar's are counted in the pass below. */
	uint32_t trees = type == VISION_FEATURE_LBP ? n_weaks : 0, left = 0;
	if (type == VISION_FEATURE_LBP) {
		const vision_status_t st = vision__lbp_check_records(weaks, n_weaks, rects, n_rects, win_w, win_h, reason);
		if (st != VISION_OK)
			return st;
	}
	/* The records in table order are the stages' weak classifiers, each a tree of consecutive nodes whose first
	   holds their count (a stump is a tree of one); `left` nodes of the current tree follow this one. */
	for (uint32_t k = 0; type == VISION_FEATURE_HAAR && k < n_weaks; k++) {
		const uint8_t *p = weaks + (size_t)k * WEAK_SIZE;
		const uint32_t ref = vision__ld_u32(p + 12);
		if (left == 0) {
			left = (ref >> VISION_NODE_TREE_SHIFT) + 1;
			trees++;
		} else if ((ref >> VISION_NODE_TREE_SHIFT) != 0) {
			return fail(reason, VISION_ERR_FORMAT, "a tree's node count is set on a node that is not its root");
		}
		left--;
		if (!vision__finite_f32(p))
			return fail(reason, VISION_ERR_FORMAT, "a weak classifier threshold is not finite");
		/* A child node is a later node of the same tree (1..left records on), so every walk ends at a leaf. */
		for (uint32_t side = 0; side < 2; side++) {
			if (ref & (side ? VISION_NODE_RIGHT : VISION_NODE_LEFT)) {
				const uint32_t off = vision__ld_u32(p + 4 + 4 * side);
				if (off < 1 || off > left)
					return fail(reason, VISION_ERR_FORMAT, "a tree node's child is not a later node of its tree");
			} else if (!vision__finite_f32(p + 4 + 4 * side)) {
				return fail(reason, VISION_ERR_FORMAT, "a weak classifier leaf is not finite");
			}
		}
		uint32_t first = ref & 0xffffffu, count = (ref >> 24) & 3u;
		if (count < 1)
			return fail(reason, VISION_ERR_FORMAT, "a weak classifier rect count is not 1..3");
		if ((uint64_t)first + count > n_rects)
			return fail(reason, VISION_ERR_FORMAT, "a weak classifier rect offset is outside the rect table");
		/* Its rects (those the scan reads: each where a weak classifier refers to it), and the bound of its
		   sum, in 32 bits: a rect's term is at most 128 * 255 * 255 * 255 < 2^32, and three of at most 2^24
		   each cannot wrap (a larger one fails alone). */
		uint32_t bound = 0;
		for (uint32_t i = 0; i < count; i++) {
			const uint8_t *q = rects + (size_t)(first + i) * RECT_SIZE;
			const uint32_t x = q[0], y = q[1], w = q[2], h = q[3];
			const int32_t wt = (int8_t)q[4];
			if (w == 0 || h == 0)
				return fail(reason, VISION_ERR_FORMAT, "a rect is empty");
			if (x + w > win_w || y + h > win_h)
				return fail(reason, VISION_ERR_FORMAT, "a rect leaves the window");
			if (wt == 0)
				return fail(reason, VISION_ERR_FORMAT, "a rect weight is 0");
			const uint32_t term = (uint32_t)(wt < 0 ? -wt : wt) * w * h * 255u;
			bound = term > EXACT_LIMIT ? EXACT_LIMIT + 1u : bound + term;
		}
		if (bound > EXACT_LIMIT)
			return fail(reason, VISION_ERR_FORMAT, "a feature's weighted sum can exceed 2^24 (not exact in float32)");
	}
	if (left != 0)
		return fail(reason, VISION_ERR_FORMAT, "a tree's nodes run past the weak classifier table");
	if (tree_sum != trees)
		return fail(reason, VISION_ERR_FORMAT, "stage weak counts do not add up to the weak count");

	cascade->stages = stages;
	cascade->weaks = weaks;
	cascade->rects = rects;
	cascade->window_w = (uint16_t)win_w;
	cascade->window_h = (uint16_t)win_h;
	cascade->stage_count = (uint16_t)n_stages;
	cascade->weak_count = n_weaks;
	cascade->rect_count = n_rects;
	cascade->stage_thresholds = NULL;
	cascade->feature_type = (uint8_t)type;
	cascade->trees = trees != n_weaks;
	cascade->scan_table = type == VISION_FEATURE_HAAR ? vision__haar_table_bytes(cascade) : 0;
	return VISION_OK;
}
