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
#define HAAR_MAX_RECTS  1024

/* haarSearch(gray, width, height, cascade, scaleFactor, minSize)
   -> [candidates, ticks, scales, windows, stages, features] */
void xs_board_kernel_haar(xsMachine *the)
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
		xsRangeError("haarSearch: gray has %u bytes, %d x %d needs more", (unsigned)grayLength, (int)width,
		             (int)height);
	/* Zero-copy: XS moves buffers only when it allocates, and nothing below
	   calls XS until the C work is done, so these pointers stay valid. */
	vision_rect_t *rects = malloc(HAAR_MAX_RECTS * sizeof(vision_rect_t));
	if (!rects)
		xsUnknownError("haarSearch: out of memory");
	const uint8_t *gray = xsBindingBytes(the, &xsArg(0), &grayLength, 0, "haarSearch gray");
	const uint8_t *cascadeData = xsBindingBytes(the, &xsArg(3), &cascadeLength, 0, "haarSearch cascade");
	uint8_t *cascadeCopy = NULL;
	if ((uintptr_t)cascadeData & 3) {
		/* The cascade's words must be aligned; XS does not promise it. */
		cascadeCopy = malloc(cascadeLength);
		if (!cascadeCopy) {
			free(rects);
			xsUnknownError("haarSearch: out of memory");
		}
		memcpy(cascadeCopy, cascadeData, cascadeLength);
		cascadeData = cascadeCopy;
	}
	vision_cascade_t cascade;
	const char *reason = NULL;
	vision_status_t status = vision_cascade_check(cascadeData, cascadeLength, &cascade, &reason);
	float scales[HAAR_MAX_SCALES];
	int32_t scaleCount = 0;
	size_t bufSize = 0;
	void *buf = NULL;
	if (status == VISION_OK) {
		scaleCount = vision_haar_scales(width, height, cascade.window_w, cascade.window_h, scaleFactor, minSize,
		                                minSize, 0, 0, scales, HAAR_MAX_SCALES);
		if (scaleCount > HAAR_MAX_SCALES)
			scaleCount = HAAR_MAX_SCALES;
		for (int i = 0; i < scaleCount; i++) {
			size_t size = vision_haar_scan_get_buffer_size(&cascade, width, height, scales[i]);
			if (size > bufSize)
				bufSize = size;
		}
		buf = malloc(bufSize ? bufSize : 1);
	}
	vision_rect_list_t list = {rects, HAAR_MAX_RECTS, 0, 0, NULL};
	vision_image_u8_t image = {gray, width, height, width};
	uint64_t start = boardTicks();
	for (int i = 0; status == VISION_OK && buf && i < scaleCount; i++)
		status = vision_haar_scan(&cascade, &image, NULL, scales[i], 0, buf, bufSize, &list);
	uint64_t ticks = boardTicks() - start;
	/* The same scan again, untimed, counting the work (windows, features). */
	vision_haar_stats_t stats = {0};
	vision_rect_list_t counted = {rects, HAAR_MAX_RECTS, 0, 0, NULL};
	for (int i = 0; status == VISION_OK && buf && i < scaleCount; i++)
		status = vision_haar_scan_counted(&cascade, &image, NULL, scales[i], 0, buf, bufSize, &counted, &stats);
	int ok = buf != NULL;
	free(buf);
	free(rects);
	free(cascadeCopy);
	if (status != VISION_OK)
		xsUnknownError("haarSearch: %s (status %d)", reason ? reason : "scan failed", (int)status);
	if (!ok)
		xsUnknownError("haarSearch: out of memory");
	const xsNumberValue results[] = {list.count,    (xsNumberValue)ticks, scaleCount,
	                                 stats.windows, stats.stages,         stats.weaks};
	xsmcSetNewArray(xsResult, 6);
	xsmcVars(1);
	for (int i = 0; i < 6; i++) {
		xsmcSetNumber(xsVar(0), results[i]);
		xsmcSetIndex(xsResult, i, xsVar(0));
	}
}

/* ---- person_detect's layers: TFLM's person_detect.tflite is MobileNet v1
   (width 0.25) on a 96x96x1 int8 input. The int8 kernels do the same work
   whatever the values are, so synthetic data (xorshift32) gives the cost of
   one inference's kernels; the graph glue (planner, op dispatch) is not in it. */

#include "arm_nnfunctions.h"

typedef struct {
	char kind;  /* 'c' conv 3x3, 'd' depthwise 3x3, 'p' pointwise 1x1 */
	short size; /* input height = width */
	short in_c, out_c;
	char stride;
} PersonLayer;

static const PersonLayer gPersonLayers[] = {
        {'c', 96, 1, 8, 2},    {'d', 48, 8, 8, 1},    {'p', 48, 8, 16, 1},   {'d', 48, 16, 16, 2},
        {'p', 24, 16, 32, 1},  {'d', 24, 32, 32, 1},  {'p', 24, 32, 32, 1},  {'d', 24, 32, 32, 2},
        {'p', 12, 32, 64, 1},  {'d', 12, 64, 64, 1},  {'p', 12, 64, 64, 1},  {'d', 12, 64, 64, 2},
        {'p', 6, 64, 128, 1},  {'d', 6, 128, 128, 1}, {'p', 6, 128, 128, 1}, {'d', 6, 128, 128, 1},
        {'p', 6, 128, 128, 1}, {'d', 6, 128, 128, 1}, {'p', 6, 128, 128, 1}, {'d', 6, 128, 128, 1},
        {'p', 6, 128, 128, 1}, {'d', 6, 128, 128, 1}, {'p', 6, 128, 128, 1}, {'d', 6, 128, 128, 2},
        {'p', 3, 128, 256, 1}, {'d', 3, 256, 256, 1}, {'p', 3, 256, 256, 1},
};

static uint32_t gRandom = 2463534242u;
static void fillRandom(int8_t *data, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		gRandom ^= gRandom << 13;
		gRandom ^= gRandom >> 17;
		gRandom ^= gRandom << 5;
		data[i] = (int8_t)gRandom;
	}
}

/* personDetectLayers() -> [ticks of all layers, conv 3x3, depthwise, pointwise, pool + FC + softmax] */
void xs_board_kernel_person_detect(xsMachine *the)
{
	enum { ACT = 48 * 48 * 16, WEIGHTS = 256 * 256, CHANNELS = 256 };
	int8_t *a = malloc(ACT);
	int8_t *b = malloc(ACT);
	int8_t *weights = malloc(WEIGHTS);
	int32_t *bias = malloc(CHANNELS * sizeof(int32_t));
	int32_t *mult = malloc(CHANNELS * sizeof(int32_t));
	int32_t *shift = malloc(CHANNELS * sizeof(int32_t));
	void *scratch = NULL;
	uint64_t ticks[5] = {0};
	arm_cmsis_nn_status status = ARM_CMSIS_NN_SUCCESS;
	if (!a || !b || !weights || !bias || !mult || !shift)
		goto done;
	fillRandom(a, 96 * 96);
	for (int i = 0; i < CHANNELS; i++) {
		bias[i] = (i * 37) % 2000 - 1000;
		mult[i] = 0x40000000 + i * 4096;
		shift[i] = -7;
	}
	for (size_t l = 0; l < sizeof(gPersonLayers) / sizeof(gPersonLayers[0]) && status == ARM_CMSIS_NN_SUCCESS; l++) {
		const PersonLayer *layer = &gPersonLayers[l];
		int32_t outSize = layer->size / layer->stride;
		/* TFLite SAME padding: the odd pixel goes after, so stride 2 pads nothing before. */
		int32_t pad = (layer->kind == 'p' || layer->stride == 2) ? 0 : 1;
		int32_t k = layer->kind == 'p' ? 1 : 3;
		cmsis_nn_dims in = {1, layer->size, layer->size, layer->in_c};
		cmsis_nn_dims out = {1, outSize, outSize, layer->out_c};
		cmsis_nn_dims bdims = {1, 1, 1, layer->out_c};
		cmsis_nn_per_channel_quant_params quant = {mult, shift};
		fillRandom(weights, (size_t)k * k * layer->in_c * (layer->kind == 'd' ? 1 : layer->out_c));
		uint64_t start;
		if (layer->kind == 'd') {
			cmsis_nn_dw_conv_params p = {128, -128, 1, {layer->stride, layer->stride}, {pad, pad}, {1, 1}, {-128, 127}};
			cmsis_nn_dims filter = {1, 3, 3, layer->out_c};
			int32_t size = arm_depthwise_conv_wrapper_s8_get_buffer_size(&p, &in, &filter, &out);
			scratch = size > 0 ? malloc((size_t)size) : NULL;
			cmsis_nn_context ctx = {scratch, size};
			start = boardTicks();
			status = arm_depthwise_conv_wrapper_s8(&ctx, &p, &quant, &in, a, &filter, weights, &bdims, bias, &out, b);
			ticks[2] += boardTicks() - start;
		} else {
			cmsis_nn_conv_params p = {128, -128, {layer->stride, layer->stride}, {pad, pad}, {1, 1}, {-128, 127}};
			cmsis_nn_dims filter = {layer->out_c, k, k, layer->in_c};
			int32_t size = arm_convolve_wrapper_s8_get_buffer_size(&p, &in, &filter, &out);
			scratch = size > 0 ? malloc((size_t)size) : NULL;
			cmsis_nn_context ctx = {scratch, size};
			start = boardTicks();
			status = arm_convolve_wrapper_s8(&ctx, &p, &quant, &in, a, &filter, weights, &bdims, bias, &out, b);
			ticks[layer->kind == 'c' ? 1 : 3] += boardTicks() - start;
		}
		free(scratch);
		scratch = NULL;
		int8_t *swap = a;
		a = b;
		b = swap;
	}
	if (status == ARM_CMSIS_NN_SUCCESS) {
		/* Average pool 3x3 -> 1x1x256, the 1x1 conv to 2 classes (an FC), softmax. */
		cmsis_nn_pool_params pool = {{3, 3}, {0, 0}, {-128, 127}};
		cmsis_nn_dims in = {1, 3, 3, 256}, window = {1, 3, 3, 1}, pooled = {1, 1, 1, 256};
		cmsis_nn_context none = {NULL, 0};
		cmsis_nn_fc_params fc = {128, 0, -128, {-128, 127}};
		cmsis_nn_per_tensor_quant_params fcQuant = {0x40000000, -7};
		cmsis_nn_dims fcIn = {1, 1, 1, 256}, fcFilter = {256, 1, 1, 2}, fcBias = {1, 1, 1, 2}, fcOut = {1, 1, 1, 2};
		fillRandom(weights, 512);
		/* Sized by the library linked: CMSIS-NN's DSP path sums a row of channels in it, and refuses NULL. */
		int32_t size = arm_avgpool_s8_get_buffer_size(pooled.w, in.c);
		scratch = size > 0 ? malloc((size_t)size) : NULL;
		cmsis_nn_context poolCtx = {scratch, size};
		uint64_t start = boardTicks();
		status = arm_avgpool_s8(&poolCtx, &pool, &in, a, &window, &pooled, b);
		if (status == ARM_CMSIS_NN_SUCCESS)
			status = arm_fully_connected_s8(&none, &fc, &fcQuant, &fcIn, b, &fcFilter, weights, &fcBias, bias, &fcOut,
			                                a);
		if (status == ARM_CMSIS_NN_SUCCESS)
			arm_softmax_s8(a, 1, 2, 0x40000000, 23, -248, b);
		ticks[4] += boardTicks() - start;
		free(scratch);
	}
done:
	free(a);
	free(b);
	free(weights);
	free(bias);
	free(mult);
	free(shift);
	if (!a || !b || !weights || !bias || !mult || !shift)
		xsUnknownError("personDetectLayers: out of memory");
	if (status != ARM_CMSIS_NN_SUCCESS)
		xsUnknownError("personDetectLayers: a kernel refused its arguments (status %d)", (int)status);
	ticks[0] = ticks[1] + ticks[2] + ticks[3] + ticks[4];
	xsmcSetNewArray(xsResult, 5);
	xsmcVars(1);
	for (int i = 0; i < 5; i++) {
		xsmcSetNumber(xsVar(0), (xsNumberValue)ticks[i]);
		xsmcSetIndex(xsResult, i, xsVar(0));
	}
}

/* cropResize(gray, width, height, x, y, w, h) -> ticks: the face crop of
   gray (a width x height frame) resized bilinearly to 96x96 and quantized to
   int8 (in_scale 1/255, out_scale 1/255, zero point -128), as the CNN input. */
void xs_board_kernel_crop_resize(xsMachine *the)
{
	xsIntegerValue width = xsmcToInteger(xsArg(1));
	xsIntegerValue height = xsmcToInteger(xsArg(2));
	vision_rect_t roi = {xsmcToInteger(xsArg(3)), xsmcToInteger(xsArg(4)), xsmcToInteger(xsArg(5)),
	                     xsmcToInteger(xsArg(6))};
	size_t grayLength;
	xsBindingBytes(the, &xsArg(0), &grayLength, 0, "cropResize gray");
	if (width <= 0 || height <= 0 || grayLength < (size_t)width * (size_t)height)
		xsRangeError("cropResize: gray has %u bytes, not %d x %d", (unsigned)grayLength, (int)width, (int)height);
	size_t bufSize = vision_crop_resize_quantize_s8_get_buffer_size(96, VISION_INTERP_BILINEAR);
	int8_t *out = malloc(96 * 96);
	void *buf = malloc(bufSize ? bufSize : 1);
	if (!out || !buf) {
		free(out);
		free(buf);
		xsUnknownError("cropResize: out of memory");
	}
	/* No XS allocation until the C work is done: the pointer stays valid. */
	const uint8_t *gray = xsBindingBytes(the, &xsArg(0), &grayLength, 0, "cropResize gray");
	vision_image_u8_t image = {gray, width, height, width};
	uint64_t start = boardTicks();
	vision_status_t status = vision_crop_resize_quantize_s8(&image, &roi, out, 96, 96, VISION_INTERP_BILINEAR,
	                                                        1.0f / 255.0f, 1.0f / 255.0f, -128, buf, bufSize);
	uint64_t ticks = boardTicks() - start;
	free(out);
	free(buf);
	if (status != VISION_OK)
		xsRangeError("cropResize: refused (status %d): check the rectangle", (int)status);
	xsmcSetNumber(xsResult, (xsNumberValue)ticks);
}
