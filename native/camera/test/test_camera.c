/* test_camera.c: PGM frame headers and the exposure-settling policy. */
#include "camera.h"
#include "unit.h"

#include <stdio.h>
#include <string.h>

static size_t make_pgm(uint8_t *out, size_t capacity, const char *header, size_t pixels)
{
	size_t n = strlen(header);
	if (n + pixels > capacity)
		return 0;
	memcpy(out, header, n);
	memset(out + n, 7, pixels);
	return n + pixels;
}

UNIT_TEST(pgm_header_plain_and_with_comments)
{
	uint8_t data[256];
	camera_pgm_header_t h;
	size_t size = make_pgm(data, sizeof(data), "P5\n4 3\n255\n", 12);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_OK);
	UNIT_EQ_INT(h.width, 4);
	UNIT_EQ_INT(h.height, 3);
	UNIT_EQ_INT(h.offset, 11);
	size = make_pgm(data, sizeof(data), "P5 # a camera\n# another\n 2\t2 255 ", 4);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_OK);
	UNIT_EQ_INT(h.width * h.height, 4);
	UNIT_EQ_INT(data[h.offset], 7);
}

UNIT_TEST(pgm_header_refuses_bad_frames)
{
	uint8_t data[256];
	camera_pgm_header_t h;
	size_t size = make_pgm(data, sizeof(data), "P5\n4 3\n255\n", 11); /* one byte short */
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_ERROR_TRUNCATED);
	size = make_pgm(data, sizeof(data), "P2\n4 3\n255\n", 12);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_ERROR_FORMAT);
	size = make_pgm(data, sizeof(data), "P5\n4 3\n65535\n", 24);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_ERROR_FORMAT);
	size = make_pgm(data, sizeof(data), "P5\n0 3\n255\n", 0);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_ERROR_FORMAT);
	size = make_pgm(data, sizeof(data), "P5\n99999999999 3\n255\n", 0);
	UNIT_EQ_INT(camera_pgm_header(data, size, &h), CAMERA_ERROR_FORMAT);
	UNIT_EQ_INT(camera_pgm_header(data, 1, &h), CAMERA_ERROR_FORMAT);
	UNIT_EQ_INT(camera_pgm_header(NULL, 10, &h), CAMERA_ERROR_ARGUMENT);
	/* Every truncation of a valid frame is refused, never read past. */
	size = make_pgm(data, sizeof(data), "P5\n8 8\n255\n", 64);
	for (size_t n = 0; n < size; n++)
		UNIT_ASSERT(camera_pgm_header(data, n, &h) != CAMERA_OK);
}

UNIT_TEST(pgm_parse_names_the_field)
{
	camera_pgm_header_t h;
	const char *field = "unset";
	/* The header alone is enough: the pixels need not be there. */
	const char good[] = "P5\n# made by hand\n320 240\n255\n";
	UNIT_EQ_INT(camera_pgm_parse((const uint8_t *)good, sizeof good - 1, &h, &field), CAMERA_OK);
	UNIT_ASSERT(field == NULL);
	UNIT_EQ_INT(h.width, 320);
	UNIT_EQ_INT(h.height, 240);
	UNIT_EQ_INT(h.maxval, 255);
	UNIT_EQ_INT(h.offset, sizeof good - 1);
	static const struct {
		const char *text, *field;
		int32_t width, height, maxval;
	} bad[] = {
	        {"P6\n4 3\n255\n", "magic", -1, -1, -1}, {"P54 3 255\n", "magic", -1, -1, -1},
	        {"P5\n0 3\n255\n", "width", 0, -1, -1},  {"P5\n4097 3\n255\n", "width", 4097, -1, -1},
	        {"P5\nx 3\n255\n", "width", -1, -1, -1}, {"P5\n4 0\n255\n", "height", 4, 0, -1},
	        {"P5\n4", "height", 4, -1, -1},          {"P5\n4 3\n65535\n", "maxval", 4, 3, 65535},
	        {"P5\n4 3\n255", "header", 4, 3, 255},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		UNIT_EQ_INT(camera_pgm_parse((const uint8_t *)bad[i].text, strlen(bad[i].text), &h, &field),
		            CAMERA_ERROR_FORMAT);
		UNIT_ASSERT(field != NULL && strcmp(field, bad[i].field) == 0);
		UNIT_EQ_INT(h.width, bad[i].width);
		UNIT_EQ_INT(h.height, bad[i].height);
		UNIT_EQ_INT(h.maxval, bad[i].maxval);
	}
	UNIT_EQ_INT(camera_pgm_parse(NULL, 4, &h, &field), CAMERA_ERROR_ARGUMENT);
}

UNIT_TEST(mean_respects_stride)
{
	uint8_t pixels[2 * 4] = {10, 20, 99, 99, 30, 41, 99, 99};
	UNIT_EQ_INT(camera_mean_u8(pixels, 2, 2, 4), 25); /* (10+20+30+41)/4 = 25.25 */
	UNIT_EQ_INT(camera_mean_u8(pixels, 2, 2, 1), 0);
}

/* The word-at-a-time sum against a byte loop: every start alignment, widths around a word, 255s (the
   largest rows) and pseudo-random bytes, with strides past the width. */
UNIT_TEST(mean_equals_a_byte_loop)
{
	static uint8_t pixels[8 + 37 * 29];
	uint32_t seed = 12345u;
	for (size_t i = 0; i < sizeof pixels; i++) {
		seed = seed * 1103515245u + 12345u;
		pixels[i] = (uint8_t)(seed >> 23);
	}
	for (int32_t start = 0; start < 4; start++)
		for (int32_t width = 1; width <= 37; width++) /* past the 16-byte passes, with every tail */
			for (int32_t height = 1; height <= 5; height += 2) {
				const int32_t stride = width + 3;
				uint64_t sum = 0;
				for (int32_t y = 0; y < height; y++)
					for (int32_t x = 0; x < width; x++)
						sum += pixels[start + y * stride + x];
				UNIT_EQ_INT(camera_mean_u8(pixels + start, width, height, stride),
				            (int)(sum / (uint64_t)(width * height)));
			}
	static uint8_t white[320 * 240];
	memset(white, 255, sizeof white);
	UNIT_EQ_INT(camera_mean_u8(white, 320, 240, 320), 255);
	UNIT_EQ_INT(camera_mean_u8(white + 1, 319, 240, 320), 255);
}

UNIT_TEST(the_two_frame_sizes)
{
	UNIT_EQ_INT(camera_size_supported(160, 120), 1);
	UNIT_EQ_INT(camera_size_supported(320, 240), 1);
	UNIT_EQ_INT(camera_size_supported(160, 240), 0);
	UNIT_EQ_INT(camera_size_supported(640, 480), 0);
}

UNIT_TEST(exposure_targets_the_mean)
{
	UNIT_EQ_INT(camera_exposure_for(128, 10000), 10000);
	UNIT_EQ_INT(camera_exposure_for(64, 10000), 20000);
	UNIT_EQ_INT(camera_exposure_for(255, 10000), 5020); /* 10000*128/255 = 5019.6 */
	UNIT_EQ_INT(camera_exposure_for(0, 10000), CAMERA_EXPOSURE_MAX_US);
	UNIT_EQ_INT(camera_exposure_for(1, 60000), CAMERA_EXPOSURE_MAX_US);
	UNIT_EQ_INT(camera_exposure_for(255, 150), CAMERA_EXPOSURE_MIN_US);
}

UNIT_TEST(settle_frames_grow_with_log2_of_the_ratio)
{
	UNIT_EQ_INT(camera_settle_frames(10000, 10000), 1);
	UNIT_EQ_INT(camera_settle_frames(10000, 20000), 1);
	UNIT_EQ_INT(camera_settle_frames(10000, 20001), 2);
	UNIT_EQ_INT(camera_settle_frames(20001, 10000), 2);
	UNIT_EQ_INT(camera_settle_frames(10000, 80000), 3); /* clamped to 66000: 10000 -> 20000 -> 40000 -> 66000 */
	UNIT_EQ_INT(camera_settle_frames(CAMERA_EXPOSURE_MIN_US, CAMERA_EXPOSURE_MAX_US),
	            10); /* 660x = 2^9.4: 1 + 10 - 1 */
}

/* A sensor whose auto exposure moves 2x a frame towards what the scene wants, its frames' mean
 * proportional to exposure: the frames camera_frame_settled reads are the ones the replay camera
 * counts (camera_settle_frames), so both boards follow one policy. One point differs, and the
 * starts leave it out: a frame exactly 2x too bright saturates (mean 255), which no sensor can
 * tell from 4x, so it reads one frame more than the count. */
static int32_t frames_read(int32_t start_us, int32_t wanted_us)
{
	int32_t exposure = start_us, frames = 0;
	while (frames < CAMERA_SETTLE_MAX_FRAMES) {
		frames++;
		int64_t mean = ((int64_t)CAMERA_TARGET_MEAN * exposure + wanted_us / 2) / wanted_us;
		if (camera_frame_settled(mean > 255 ? 255 : (uint32_t)mean, exposure))
			break;
		exposure = exposure < wanted_us ? exposure * 2 : exposure / 2;
	}
	return frames;
}

UNIT_TEST(a_sensor_reads_the_frames_the_replay_camera_counts)
{
	static const int32_t starts[] = {CAMERA_EXPOSURE_MIN_US, 1000, 10000, 30000, 60000};
	static const int32_t wanted[] = {200, 1000, 4000, 16000, 64000};
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++)
		for (size_t j = 0; j < sizeof(wanted) / sizeof(wanted[0]); j++)
			UNIT_EQ_INT(frames_read(starts[i], wanted[j]), camera_settle_frames(starts[i], wanted[j]));
	UNIT_EQ_INT(camera_settle_frames(CAMERA_EXPOSURE_MIN_US, CAMERA_EXPOSURE_MAX_US), CAMERA_SETTLE_MAX_FRAMES);
}

UNIT_TEST(a_frame_at_a_rail_is_never_settled)
{
	UNIT_EQ_INT(camera_frame_settled(128, 10000), 1);
	UNIT_EQ_INT(camera_frame_settled(70, 10000), 1);  /* wants 18286 us: within 2x */
	UNIT_EQ_INT(camera_frame_settled(60, 10000), 0);  /* wants 21333 us */
	UNIT_EQ_INT(camera_frame_settled(254, 10000), 1); /* wants 5039 us */
	UNIT_EQ_INT(camera_frame_settled(255, 10000), 0); /* saturated: how much too bright is unknown */
	UNIT_EQ_INT(camera_frame_settled(0, CAMERA_EXPOSURE_MAX_US), 0);
}

int main(void)
{
	UNIT_RUN(pgm_header_plain_and_with_comments);
	UNIT_RUN(pgm_header_refuses_bad_frames);
	UNIT_RUN(pgm_parse_names_the_field);
	UNIT_RUN(mean_respects_stride);
	UNIT_RUN(mean_equals_a_byte_loop);
	UNIT_RUN(the_two_frame_sizes);
	UNIT_RUN(exposure_targets_the_mean);
	UNIT_RUN(settle_frames_grow_with_log2_of_the_ratio);
	UNIT_RUN(a_sensor_reads_the_frames_the_replay_camera_counts);
	UNIT_RUN(a_frame_at_a_rail_is_never_settled);
	return unit_done();
}
