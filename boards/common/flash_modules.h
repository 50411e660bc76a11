/*
 * flash_modules.h: the app's modules built into a firmware's flash, for the
 * device boards (mps2-an500, stm32h743). tools/build/xsc writes the table
 * (build/<board>/gen/modules.c) at build time; flash_modules.c serves it to
 * the XS port (xsBoardHasModule, xsBoardLoadModule).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_FLASH_MODULES_H
#define XSIGHT_FLASH_MODULES_H

typedef struct {
	const char *name;
	const char *path;          /* the source file, for messages */
	int flags;                 /* parser flags when compiled from source */
	const char *source;        /* JavaScript text (a parsing build), or NULL when compiled */
	const unsigned char *code; /* XS bytecode ... */
	int codeSize;
	const unsigned char *hosts;
	int hostsSize;
	const unsigned char *symbols; /* NULL: prelinked, the code's IDs are the firmware's keys (boardKeys) */
	int symbolsSize;
	signed char version[4];
} BoardModule;
extern const BoardModule boardModules[]; /* in strcmp order of name */
extern const int boardModuleCount;

/* The names of the prelinked modules that XS does not know, in the order their keys are made: right
   after XS's own (XS_ID_COUNT), at machine creation (fxBuildKeys), so that key ID XS_ID_COUNT + i is
   boardKeys[i] in every machine, as tools/build/xsc wrote the code. */
extern const char *const boardKeys[];
extern const int boardKeyCount;

/* The module of that name, or NULL. */
const BoardModule *boardFindModule(const char *name);

#endif
