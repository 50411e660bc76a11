/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition step of candidate grouping: which raw candidates belong
 * together. Every pair is compared, so it runs in C: in XS the pairs of a
 * face's 40 candidates cost more than the scan of a QVGA level. And each
 * class's totals: a loop over the candidates, about 60 XS bytecodes each
 * (0.2 M instructions on the M7 for a face's candidates).
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

vision_status_t vision_group_totals(const int32_t *rects, const float *scores, int32_t count, const int32_t *labels,
                                    int32_t classes, double *sums, int32_t *counts, double *best)
{
	if (rects == NULL || scores == NULL || labels == NULL || sums == NULL || counts == NULL || best == NULL ||
	    count < 0 || classes < 0)
		return VISION_ERR_ARG;
	for (int32_t k = 0; k < classes; k++) {
		sums[4 * k] = sums[4 * k + 1] = sums[4 * k + 2] = sums[4 * k + 3] = 0.0;
		counts[k] = 0;
		best[k] = -INFINITY;
	}
	for (int32_t i = 0; i < count; i++) {
		const int32_t k = labels[i];
		if (k < 0 || k >= classes)
			return VISION_ERR_ARG;
		for (int32_t e = 0; e < 4; e++)
			sums[4 * k + e] += (double)rects[4 * i + e];
		counts[k]++;
		if ((double)scores[i] > best[k])
			best[k] = (double)scores[i];
	}
	return VISION_OK;
}
