/* file_path.c: device paths inside a host folder (file_path.h). SPDX-License-Identifier: Apache-2.0 */
#include "file_path.h"

#include <stdio.h>
#include <string.h>

static file_path_status_t resolve(const char *path, const char *root, const char *state_root, char *out, size_t size)
{
	if (!path || !root || !out || !size)
		return FILE_PATH_ERROR_ARGUMENT;
	for (const char *p = path; *p; p++) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == 0) && (p == path || p[-1] == '/'))
			return FILE_PATH_ERROR_PARENT;
	}
	while (*path == '/')
		path++;
	if (!*path)
		return FILE_PATH_ERROR_EMPTY;
	/* The board's writable state folder, where a device keeps its log next to the retained memory. */
	if (state_root && !strncmp(path, "state/", 6)) {
		root = state_root;
		path += 6;
	}
	int n = snprintf(out, size, "%s/%s", root, path);
	if (n < 0 || (size_t)n >= size)
		return FILE_PATH_ERROR_TOO_LONG;
	return FILE_PATH_OK;
}

static void message(file_path_status_t status, const char *path, char *out, size_t size)
{
	switch (status) {
	case FILE_PATH_OK: snprintf(out, size, "%s", "no error"); break;
	case FILE_PATH_ERROR_PARENT: snprintf(out, size, "%s: \"..\" is not allowed in a path", path ? path : ""); break;
	case FILE_PATH_ERROR_EMPTY: snprintf(out, size, "%s", "empty path"); break;
	case FILE_PATH_ERROR_TOO_LONG: snprintf(out, size, "%s", "path too long"); break;
	default: snprintf(out, size, "%s", "bad path argument"); break;
	}
}

file_path_status_t file_path_in_root(const char *path, const char *root, const char *state_root, char *out, size_t size,
                                     char *error, size_t error_size)
{
	file_path_status_t status = resolve(path, root, state_root, out, size);
	if (status != FILE_PATH_OK && error && error_size)
		message(status, path, error, error_size);
	return status;
}
