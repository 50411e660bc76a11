/*
 * board.h: what the parts of the STM32H743 firmware (boards/stm32h743/fw) share:
 * the module table built into flash (tools/xsc; its generated C includes "board.h", hence the name), board
 * time for the XS port and the timer module, and the start-up policy.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FW_BOARD_H
#define XSIGHT_H7_FW_BOARD_H

#include <stddef.h>
#include <stdint.h>

/* ---- modules in flash, generated at build time (build/h7/gen/modules.c); the layout is
   tools/xsc's, the same as boards/mps2-an500/board.h's BoardModule. */
typedef struct {
	const char* name;
	const char* path;
	int flags;
	const char* source;        /* NULL: this firmware carries bytecode only */
	const unsigned char* code;
	int codeSize;
	const unsigned char* hosts;
	int hostsSize;
	const unsigned char* symbols;
	int symbolsSize;
	signed char version[4];
} BoardModule;
extern const BoardModule boardModules[];
extern const int boardModuleCount;

/* manifest.json's config, built in (build/h7/gen/default_config.c). */
extern const char boardDefaultConfig[];

/* Whether the flash store mounted (fw/main.c); the file module and Resource refuse otherwise. */
extern int gFwStoreMounted;

/* Wait in Sleep mode (WFI, SysTick wakes every ms) for us microseconds. */
void fwIdle(int64_t us);

/* Files the app must find in the store before it starts (fw/main.c). */
#define FW_CONFIG_FILE "config.json"

#endif
