/* camera_pgm.c: binary PGM frame headers. SPDX-License-Identifier: Apache-2.0 */
#include "camera.h"

static int is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Next decimal number in the header, skipping blanks and # comments; -1 if none. */
static int32_t header_number(const uint8_t *data, size_t size, size_t *at)
{
	for (;;) {
		while (*at < size && is_space(data[*at]))
			(*at)++;
		if (*at < size && data[*at] == '#') {
			while (*at < size && data[*at] != '\n')
				(*at)++;
			continue;
		}
		break;
	}
	int32_t value = 0;
	size_t start = *at;
	while (*at < size && data[*at] >= '0' && data[*at] <= '9') {
		if (value > 100000)
			return -1;
		value = value * 10 + (data[*at] - '0');
		(*at)++;
	}
	return (*at == start) ? -1 : value;
}

camera_status_t camera_pgm_header(const uint8_t *data, size_t size, camera_pgm_header_t *header)
{
	if (!data || !header)
		return CAMERA_ERROR_ARGUMENT;
	if (size < 2 || data[0] != 'P' || data[1] != '5')
		return CAMERA_ERROR_FORMAT;
	size_t at = 2;
	int32_t width = header_number(data, size, &at);
	int32_t height = header_number(data, size, &at);
	int32_t maxval = header_number(data, size, &at);
	if (width < 1 || width > 4096 || height < 1 || height > 4096 || maxval != 255)
		return CAMERA_ERROR_FORMAT;
	/* Exactly one whitespace byte separates the header from the pixels. */
	if (at >= size || !is_space(data[at]))
		return CAMERA_ERROR_FORMAT;
	at++;
	if (size - at < (size_t)width * (size_t)height)
		return CAMERA_ERROR_TRUNCATED;
	header->width = width;
	header->height = height;
	header->offset = at;
	return CAMERA_OK;
}
