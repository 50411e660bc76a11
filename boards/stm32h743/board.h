/*
 * board.h: what the parts of the STM32H743 firmware (boards/stm32h743) share: the built-in
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

/* Whether the flash store mounted (board.c); the file module and Resource refuse otherwise. */
extern int gFwStoreMounted;

/* Wait in Sleep mode (WFI, SysTick wakes every ms) for us microseconds. */
void fwIdle(int64_t us);

/* This capture's number since power-on, from 0, kept across Standby in the boot record (board.c):
   the camera's sequence, as the replay camera's. */
uint32_t fwCameraSequence(void);

/* A Standby's wake-after (us, < 0: none), kept in the boot record: a wake that aborts sleeps to
   the app's next (board.c). */
void fwStandbyPeriod(int64_t us);

/* Files the app must find in the store before it starts (board.c). */
#define FW_CONFIG_FILE "config.json"

#endif
