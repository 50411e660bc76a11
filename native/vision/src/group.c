/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition step of candidate grouping: which raw candidates belong
 * together. Every pair is compared, so it runs in C: in XS the pairs of a
 * face's 40 candidates cost more than the scan of a QVGA level.
 */
#include <math.h>

#include "vision_internal.h"

static int32_t min_i32(int32_t a, int32_t b)
{
	return a < b ? a : b;
}

static int similar(const int32_t *a, const int32_t *b, vision_group_t mode, double eps)
{
	if (mode == VISION_GROUP_OPENCV) {
		/* OpenCV's SimilarRects, with its double arithmetic in its order. */
		const double delta = eps * (double)(min_i32(a[2], b[2]) + min_i32(a[3], b[3])) * 0.5;
		return fabs((double)a[0] - b[0]) <= delta && fabs((double)a[1] - b[1]) <= delta &&
		        fabs((double)a[0] + a[2] - b[0] - b[2]) <= delta && fabs((double)a[1] + a[3] - b[1] - b[3]) <= delta;
	}
	/* VISION_GROUP_OVERLAP: the intersection covers at least half of the smaller. */
	const int64_t iw = (int64_t)min_i32(a[0] + a[2], b[0] + b[2]) - (a[0] > b[0] ? a[0] : b[0]);
	const int64_t ih = (int64_t)min_i32(a[1] + a[3], b[1] + b[3]) - (a[1] > b[1] ? a[1] : b[1]);
	const int64_t sa = (int64_t)a[2] * a[3], sb = (int64_t)b[2] * b[3];
	return iw > 0 && ih > 0 && 2 * iw * ih >= (sa < sb ? sa : sb);
}

static int32_t find(int32_t *parent, int32_t i)
{
	int32_t r = i;
	while (parent[r] != r)
		r = parent[r];
	while (parent[i] != r) {
		const int32_t next = parent[i];
		parent[i] = r;
		i = next;
	}
	return r;
}

int32_t vision_group_labels(const int32_t *rects, int32_t count, vision_group_t mode, double eps, int32_t *labels,
                            int32_t *work)
{
	if (rects == NULL || labels == NULL || work == NULL || count < 0 ||
	    (mode != VISION_GROUP_OPENCV && mode != VISION_GROUP_OVERLAP))
		return VISION_ERR_ARG;
	int32_t *parent = work;
	for (int32_t i = 0; i < count; i++)
		parent[i] = i;
	for (int32_t i = 0; i < count; i++)
		for (int32_t j = i + 1; j < count; j++)
			if (similar(rects + 4 * i, rects + 4 * j, mode, eps)) {
				const int32_t a = find(parent, i), b = find(parent, j);
				if (a != b)
					parent[b] = a;
			}
	/* Classes numbered in the order of their first member. */
	int32_t *ids = work + count;
	for (int32_t i = 0; i < count; i++)
		ids[i] = -1;
	int32_t classes = 0;
	for (int32_t i = 0; i < count; i++) {
		const int32_t r = find(parent, i);
		if (ids[r] < 0)
			ids[r] = classes++;
		labels[i] = ids[r];
	}
	return classes;
}
