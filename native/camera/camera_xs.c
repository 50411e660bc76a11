/* camera_xs.c: the "native/camera" module's binding over camera_board.h. SPDX-License-Identifier: Apache-2.0 */
#include "camera.h"
#include "camera_board.h"
#include "../vision/vision_xs.h" /* the Frame a camera fills */
#include "xs_binding.h"

#include <math.h>

static int32_t int_arg(xsMachine *the, int index, const char *what)
{
	double value = xsmcToNumber(xsArg(index));
	if (!isfinite(value) || value != floor(value) || value < INT32_MIN || value > INT32_MAX)
		xsRangeError("%s: expected an integer", what);
	return (int32_t)value;
}

/* open(width, height, exposureUs) */
void xs_camera_open(xsMachine *the)
{
	int32_t width = int_arg(the, 0, "camera width");
	int32_t height = int_arg(the, 1, "camera height");
	int32_t exposure = int_arg(the, 2, "camera exposure");
	char error[160];
	if (board_camera_open(error, sizeof(error)) || board_camera_set_format(width, height, error, sizeof(error)))
		xsUnknownError("%s", error);
	board_camera_set_exposure(exposure);
}

/* capture(frame, info: Int32Array(3)): source */
void xs_camera_capture(xsMachine *the)
{
	vision_image_u8_t image;
	if (!xsVisionFrameImage(the, &xsArg(0), &image))
		xsUnknownError("camera capture: the frame is closed");
	size_t infoLength;
	int32_t *info = xsBindingBytes(the, &xsArg(1), &infoLength, 1, "camera capture info");
	if (infoLength < 3 * sizeof(int32_t) || ((uintptr_t)info & 3))
		xsRangeError("camera capture info: expected an Int32Array of 3");
	camera_capture_t capture = {0};
	char error[160];
	/* The frame's pixels are C memory: no XS allocation moves them meanwhile. */
	if (board_camera_capture((uint8_t *)image.data, image.width, image.height, image.stride, &capture, error,
	                         sizeof(error)))
		xsUnknownError("%s", error);
	info[0] = (int32_t)capture.sequence;
	info[1] = capture.exposure_us;
	info[2] = capture.settle_frames;
	xsmcSetString(xsResult, capture.source);
}

void xs_camera_standby(xsMachine *the)
{
	board_camera_standby();
}

/* pgmHeader(head, info: Int32Array(4)): field | undefined. camera_pgm_parse over a PGM file's first
   bytes: undefined when the header is whole, else the name of what is wrong; info receives
   [width, height, maxval, offset of the pixels], as far as the header was read (-1 where not). */
void xs_camera_pgm_header(xsMachine *the)
{
	size_t headLength, infoLength;
	const uint8_t *head = xsBindingBytes(the, &xsArg(0), &headLength, 0, "pgmHeader head");
	int32_t *info = xsBindingBytes(the, &xsArg(1), &infoLength, 1, "pgmHeader info");
	if (infoLength < 4 * sizeof(int32_t) || ((uintptr_t)info & 3))
		xsRangeError("pgmHeader info: expected an Int32Array of 4");
	camera_pgm_header_t header;
	const char *field = NULL;
	camera_pgm_parse(head, headLength, &header, &field);
	info[0] = header.width;
	info[1] = header.height;
	info[2] = header.maxval;
	info[3] = field ? -1 : (int32_t)header.offset;
	if (field)
		xsmcSetString(xsResult, (xsStringValue)field);
}
