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

camera_status_t camera_pgm_parse(const uint8_t *data, size_t size, camera_pgm_header_t *header, const char **field)
{
	const char *unused;
	if (!field)
		field = &unused;
	*field = NULL;
	if (!data || !header)
		return CAMERA_ERROR_ARGUMENT;
	header->width = header->height = header->maxval = -1;
	header->offset = 0;
	/* "P5" and then a separator: a blank or a comment. */
	if (size < 3 || data[0] != 'P' || data[1] != '5' || !(is_space(data[2]) || data[2] == '#')) {
		*field = "magic";
		return CAMERA_ERROR_FORMAT;
	}
	size_t at = 2;
	header->width = header_number(data, size, &at);
	if (header->width < 1 || header->width > CAMERA_PGM_MAX_SIDE) {
		*field = "width";
		return CAMERA_ERROR_FORMAT;
	}
	header->height = header_number(data, size, &at);
	if (header->height < 1 || header->height > CAMERA_PGM_MAX_SIDE) {
		*field = "height";
		return CAMERA_ERROR_FORMAT;
	}
	header->maxval = header_number(data, size, &at);
	if (header->maxval != 255) {
		*field = "maxval";
		return CAMERA_ERROR_FORMAT;
	}
	/* Exactly one whitespace byte separates the header from the pixels. */
	if (at >= size || !is_space(data[at])) {
		*field = "header";
		return CAMERA_ERROR_FORMAT;
	}
	header->offset = at + 1;
	return CAMERA_OK;
}

camera_status_t camera_pgm_header(const uint8_t *data, size_t size, camera_pgm_header_t *header)
{
	const camera_status_t status = camera_pgm_parse(data, size, header, NULL);
	if (status != CAMERA_OK)
		return status;
	if (size - header->offset < (size_t)header->width * (size_t)header->height)
		return CAMERA_ERROR_TRUNCATED;
	return CAMERA_OK;
}
