/*
 * kernels_xs.c: the "xsight/kernels" bench module of the mps2-an500 board:
 * C kernels run on data handed over from JS, timed with the CMSDK timer
 * around the C work only. Scratch memory comes from malloc here (this is
 * board code, not a native library).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "vision.h"
#include "xs_binding.h"

#include <stdlib.h>
#include <string.h>

#define HAAR_MAX_SCALES 64
#define HAAR_MAX_RECTS 4096

/* haarSearch(gray, width, height, cascade, scaleFactor, minSize) -> [candidates, ticks] */
void xs_board_kernel_haar(xsMachine* the)
{
	xsIntegerValue width = xsmcToInteger(xsArg(1));
	xsIntegerValue height = xsmcToInteger(xsArg(2));
	double scaleFactor = xsmcToNumber(xsArg(4));
	xsIntegerValue minSize = xsmcToInteger(xsArg(5));
	if (width <= 0 || height <= 0 || width > 4096 || height > 4096)
		xsRangeError("haarSearch: bad size %d x %d", (int)width, (int)height);
	if (!(scaleFactor > 1.0))
		xsRangeError("haarSearch: scaleFactor must be > 1");
	size_t grayLength, cascadeLength;
	xsBindingBytes(the, &xsArg(0), &grayLength, 0, "haarSearch gray");
	xsBindingBytes(the, &xsArg(3), &cascadeLength, 0, "haarSearch cascade");
	if (grayLength < (size_t)width * (size_t)height)
		xsRangeError("haarSearch: gray has %u bytes, %d x %d needs more", (unsigned)grayLength, (int)width, (int)height);
	/* C-owned copies: the scan must not depend on where the GC moves buffers,
	   and the cascade must be 4-byte aligned. */
	uint8_t* cascadeData = malloc(cascadeLength);
	uint8_t* gray = malloc((size_t)width * (size_t)height);
	vision_rect_t* rects = malloc(HAAR_MAX_RECTS * sizeof(vision_rect_t));
	if (!cascadeData || !gray || !rects) {
		free(cascadeData);
		free(gray);
		free(rects);
		xsUnknownError("haarSearch: out of memory");
	}
	memcpy(cascadeData, xsBindingBytes(the, &xsArg(3), &cascadeLength, 0, "haarSearch cascade"), cascadeLength);
	memcpy(gray, xsBindingBytes(the, &xsArg(0), &grayLength, 0, "haarSearch gray"), (size_t)width * (size_t)height);
	vision_cascade_t cascade;
	const char* reason = NULL;
	vision_status_t status = vision_cascade_check(cascadeData, cascadeLength, &cascade, &reason);
	float scales[HAAR_MAX_SCALES];
	int32_t scaleCount = 0;
	size_t bufSize = 0;
	void* buf = NULL;
	if (status == VISION_OK) {
		scaleCount = vision_haar_scales(width, height, cascade.window_w, cascade.window_h, scaleFactor, minSize, minSize, 0, 0, scales, HAAR_MAX_SCALES);
		if (scaleCount > HAAR_MAX_SCALES)
			scaleCount = HAAR_MAX_SCALES;
		for (int i = 0; i < scaleCount; i++) {
			size_t size = vision_haar_scan_get_buffer_size(&cascade, width, height, scales[i]);
			if (size > bufSize)
				bufSize = size;
		}
		buf = malloc(bufSize ? bufSize : 1);
	}
	vision_rect_list_t list = { rects, HAAR_MAX_RECTS, 0, 0 };
	vision_image_u8_t image = { gray, width, height, width };
	uint64_t start = boardTicks();
	for (int i = 0; status == VISION_OK && buf && i < scaleCount; i++)
		status = vision_haar_scan(&cascade, &image, NULL, scales[i], 0, buf, bufSize, &list);
	uint64_t ticks = boardTicks() - start;
	int ok = buf != NULL;
	free(buf);
	free(rects);
	free(gray);
	free(cascadeData);
	if (status != VISION_OK)
		xsUnknownError("haarSearch: %s (status %d)", reason ? reason : "scan failed", (int)status);
	if (!ok)
		xsUnknownError("haarSearch: out of memory");
	xsmcSetNewArray(xsResult, 2);
	xsmcVars(1);
	xsmcSetInteger(xsVar(0), (xsIntegerValue)list.count);
	xsmcSetIndex(xsResult, 0, xsVar(0));
	xsmcSetNumber(xsVar(0), (xsNumberValue)ticks);
	xsmcSetIndex(xsResult, 1, xsVar(0));
}
