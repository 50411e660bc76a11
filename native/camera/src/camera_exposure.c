/* camera_exposure.c: the frame sizes and the exposure-settling policy. SPDX-License-Identifier: Apache-2.0 */
#include "camera.h"

#include <string.h>

int camera_size_supported(int32_t width, int32_t height)
{
	return (width == 160 && height == 120) || (width == 320 && height == 240);
}

/*
 * Every pixel is summed (no subsampling: the exposure the next wake starts from stays the frame's own), a
 * row at a time in 32 bits (a row of 255s is far from 2^32) and four bytes a word: on the Cortex-M7 one
 * USADA8 adds a word's four bytes, four words a pass, so a QVGA frame costs about 0.05 M instructions, not
 * the 0.46 M of a byte-at-a-time loop with a 64-bit sum, on every wake.
 */
static uint32_t row_sum(const uint8_t *p, int32_t width)
{
	uint32_t sum = 0;
	int32_t x = 0;
	for (; x < width && ((uintptr_t)(p + x) & 3u); x++)
		sum += p[x];
#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
	/* Four words a pass: the loop's count, compare and branch once for 16 bytes. */
	for (; x + 16 <= width; x += 16) {
		uint32_t w0, w1, w2, w3;
		memcpy(&w0, p + x, sizeof w0);
		memcpy(&w1, p + x + 4, sizeof w1);
		memcpy(&w2, p + x + 8, sizeof w2);
		memcpy(&w3, p + x + 12, sizeof w3);
		__asm__("usada8 %0, %1, %5, %0\n\t"
		        "usada8 %0, %2, %5, %0\n\t"
		        "usada8 %0, %3, %5, %0\n\t"
		        "usada8 %0, %4, %5, %0"
		        : "+r"(sum)
		        : "r"(w0), "r"(w1), "r"(w2), "r"(w3), "r"(0u));
	}
#endif
	for (; x + 4 <= width; x += 4) {
		uint32_t w;
		memcpy(&w, p + x, sizeof w);
#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32
		__asm__("usada8 %0, %1, %2, %0" : "+r"(sum) : "r"(w), "r"(0u));
#else
		sum += (w & 0xffu) + ((w >> 8) & 0xffu) + ((w >> 16) & 0xffu) + (w >> 24);
#endif
	}
	for (; x < width; x++)
		sum += p[x];
	return sum;
}

uint32_t camera_mean_u8(const uint8_t *pixels, int32_t width, int32_t height, int32_t stride)
{
	if (!pixels || width <= 0 || height <= 0 || stride < width)
		return 0;
	uint64_t sum = 0;
	for (int32_t y = 0; y < height; y++)
		sum += row_sum(pixels + (size_t)y * (size_t)stride, width);
	return (uint32_t)(sum / ((uint64_t)width * (uint64_t)height));
}

static int32_t clamp_exposure(int64_t us)
{
	if (us < CAMERA_EXPOSURE_MIN_US)
		return CAMERA_EXPOSURE_MIN_US;
	if (us > CAMERA_EXPOSURE_MAX_US)
		return CAMERA_EXPOSURE_MAX_US;
	return (int32_t)us;
}

int32_t camera_exposure_for(uint32_t mean, int32_t exposure_us)
{
	/* Brightness is taken as proportional to exposure (no gain, no saturation
	   model): a black frame asks for the longest exposure. */
	if (mean == 0)
		return CAMERA_EXPOSURE_MAX_US;
	return clamp_exposure(((int64_t)clamp_exposure(exposure_us) * CAMERA_TARGET_MEAN + mean / 2) / mean);
}

int32_t camera_settle_frames(int32_t from_us, int32_t to_us)
{
	int32_t a = clamp_exposure(from_us), b = clamp_exposure(to_us);
	int32_t lo = a < b ? a : b, hi = a < b ? b : a;
	int32_t frames = 1;
	/* Each frame may double (or halve) the exposure; a ratio within 2x needs none. */
	while ((int64_t)lo * 2 < hi) {
		lo *= 2;
		frames++;
	}
	return frames;
}

int camera_frame_settled(uint32_t mean, int32_t exposure_us)
{
	if (mean == 0 || mean >= 255)
		return 0;
	return camera_settle_frames(exposure_us, camera_exposure_for(mean, exposure_us)) == 1;
}
