/*
 * file_path.h: where a device path lands on a board whose storage is a folder
 * of the host (the host simulator, and mps2-an500 over semihosting): the
 * `file` module's and Resource's paths are taken inside the data root, "/state/..."
 * inside the board's state folder, and nothing may leave them. Pure C, no XS.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_FILE_PATH_H
#define XSIGHT_FILE_PATH_H

#include <stddef.h>

typedef enum {
	FILE_PATH_OK = 0,
	FILE_PATH_ERROR_ARGUMENT = -1,
	FILE_PATH_ERROR_PARENT = -2,   /* a ".." segment: it would leave the root */
	FILE_PATH_ERROR_EMPTY = -3,    /* nothing but slashes */
	FILE_PATH_ERROR_TOO_LONG = -4, /* the result does not fit `out` */
} file_path_status_t;

/* "/models/smile.tflite" or "models/smile.tflite" -> "<root>/models/smile.tflite";
 * "/state/log.bin" -> "<state_root>/log.bin" when state_root is not NULL.
 * When it fails and `error` is not NULL, the message goes there, naming
 * `path` where it helps: "<path>: \"..\" is not allowed in a path", "empty
 * path", "path too long". */
file_path_status_t file_path_in_root(const char *path, const char *root, const char *state_root, char *out, size_t size,
                                     char *error, size_t error_size);

#endif
