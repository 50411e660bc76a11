/*
 * board.h: what the parts of the STM32H743 firmware (boards/stm32h743/fw) share: the built-in
 * config, the flash store's state, idling and the start-up policy. (The module table built into
 * flash is boards/common/flash_modules.h.)
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FW_BOARD_H
#define XSIGHT_H7_FW_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* manifest.json's config, built in (build/h7/gen/default_config.c). */
extern const char boardDefaultConfig[];

/* Whether the flash store mounted (fw/main.c); the file module and Resource refuse otherwise. */
extern int gFwStoreMounted;

/* Wait in Sleep mode (WFI, SysTick wakes every ms) for us microseconds. */
void fwIdle(int64_t us);

/* Files the app must find in the store before it starts (fw/main.c). */
#define FW_CONFIG_FILE "config.json"

#endif
