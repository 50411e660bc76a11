/*
 * board_xs.c: host functions of the board's own modules (boards/stm32h743/modules): mc/config.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdlib.h>

#include "board.h"
#include "h7fs.h"
#include "xs_binding.h"

extern h7fs_t gH7FileStore;

/* config.json from the store (at most 4 KB), else the built-in default. A config.json that is
   not JSON fails in JSON.parse with XS's message; the start-up log names the file. */
void xs_board_config(xsMachine *the)
{
	uint32_t fd, size, got;
	if (gFwStoreMounted && h7fs_open(&gH7FileStore, FW_CONFIG_FILE, false, &fd) == H7FS_OK &&
	    h7fs_size(&gH7FileStore, fd, &size) == H7FS_OK && size > 0 && size <= 4096) {
		char *text = malloc(size + 1);
		if (!text)
			xsUnknownError("mc/config: out of memory for %s", FW_CONFIG_FILE);
		if (h7fs_read(&gH7FileStore, fd, 0, text, size, &got) != H7FS_OK || got != size) {
			free(text);
			xsUnknownError("mc/config: cannot read %s from the flash store", FW_CONFIG_FILE);
		}
		text[size] = 0;
		xsmcSetString(xsResult, text);
		free(text);
		return;
	}
	xsmcSetString(xsResult, (xsStringValue)boardDefaultConfig);
}
