/*
 * resource_board.h: what a board supplies to the Resource binding
 * (native/resource/resource_xs.c, Moddable's Resource API). The binding
 * shows the bytes to JS as a petrified host buffer and owns byteLength,
 * slice and the errors; a board only maps a named resource: a file of the
 * data root read into C-owned memory on the host simulator
 * (host-sim/resource.c) and mps2-an500 (boards/mps2-an500/resource.c), a
 * pointer into memory-mapped flash on the STM32H743 (resource.c).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Hooks return BOARD_RESOURCE_OK or an error with its message in `error`
 * (without the "Resource: " prefix the binding adds).
 */
#ifndef XSIGHT_RESOURCE_BOARD_H
#define XSIGHT_RESOURCE_BOARD_H

#include <stddef.h>

enum {
	BOARD_RESOURCE_OK = 0,
	BOARD_RESOURCE_BAD_PATH = -1, /* a path the board refuses: a URIError */
	BOARD_RESOURCE_FAILED = -2    /* missing, too large, unreadable: an Error */
};

/* Map `path` read-only outside the XS heap; even an empty resource gets an address. */
int board_resource_map(const char *path, void **data, size_t *size, char *error, size_t error_size);
/* The garbage collector dropped a Resource mapped at `data`. */
void board_resource_unmap(void *data);
/* 1 exists, 0 not, or BOARD_RESOURCE_BAD_PATH with a message. */
int board_resource_exists(const char *path, char *error, size_t error_size);

#endif
