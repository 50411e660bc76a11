/*
 * xs_platform.h: the XS platform header for every xsight board.
 * SPDX-License-Identifier: Apache-2.0
 *
 * XS includes this through -DINCLUDE_XSPLATFORM -DXSPLATFORM="xs_platform.h".
 * It picks which XS defaults we keep (allocation, keys, parser) and which
 * hooks xs_port.c replaces (module lookup and loading, the promise job queue,
 * aborts), and adds the per-machine fields the port needs.
 */
#ifndef XSIGHT_XS_PLATFORM_H
#define XSIGHT_XS_PLATFORM_H

#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__linux__) || defined(__APPLE__)
#include <pthread.h>
#include <unistd.h>
#define mxUseGCCAtomics   1
#define mxUsePOSIXThreads 1
#if defined(__linux__)
#undef mxLinux
#define mxLinux 1
#endif
#else
/* Bare-metal Cortex-M: newlib's uint32_t is unsigned long, which XS's
	   BigInt code does not expect; XS lets the platform fix its 32-bit types. */
#define txS4                     int
#define txU4                     unsigned int
#define C_PATH_MAX               128
#define mxUseDefaultCStackLimit  0
/* DataView's 64-bit setters/getters at an unaligned offset: GCC emits
	   STRD/LDRD for them, which fault on a Cortex-M even with unaligned
	   access allowed (a UsageFault seen in the retained store's Float64s).
	   XS copies through memcpy when this is defined. */
#define mxMisalignedSettersCrash 1
#endif

#ifdef XSIGHT_BOARD_HOST
/* The host simulator's clock is virtual (host-sim/power.c): Date.now()
	   follows it, so sleeping moves time on at once. */
#include <sys/time.h>
typedef struct timeval c_timeval;
#define c_timezone timezone
extern int xsBoardGetTimeOfDay(struct timeval *tv, void *zone);
#define c_gettimeofday(TV, ZONE) xsBoardGetTimeOfDay(TV, ZONE)
#endif

/* Per-machine state the port keeps (see xs_port.c). */
#define mxMachinePlatform                                                                                              \
	void *board;                         /* the board's own context */                                                 \
	int exitStatus;                      /* what the process or board should report */                                 \
	int abortStatus;                     /* the XS_*_EXIT of a fatal abort, else 0 */                                  \
	char abortWhere[96];                 /* and the innermost JS function then: "name (file:line)" */                  \
	int promiseJobsPending;              /* set by fxQueuePromiseJobs, drained by xsPortRunJobs */                     \
	const unsigned char *loadingHosts;   /* host-function names of the module being resolved */                        \
	const unsigned char *loadingSymbols; /* and its symbol table, to name them */                                      \
	void *waiterCondition;                                                                                             \
	void *waiterData;                                                                                                  \
	void *waiterLink;

#define mxUseDefaultMachinePlatform 1
/* A device board makes the keys itself (boards/common/flash_modules.c: its prelinked modules' names
   after XS's own) and defines this 0. */
#ifndef mxUseDefaultBuildKeys
#define mxUseDefaultBuildKeys 1
#endif
/* A device board places XS's chunk and slot blocks itself (boards/common/xs_banks.c) and
   defines these 0. */
#ifndef mxUseDefaultChunkAllocation
#define mxUseDefaultChunkAllocation 1
#endif
#ifndef mxUseDefaultSlotAllocation
#define mxUseDefaultSlotAllocation 1
#endif
/* A firmware without a JavaScript parser (modules compiled at build time)
   defines this 0 and supplies an fxParseScript that refuses. */
#ifndef mxUseDefaultParseScript
#define mxUseDefaultParseScript 1
#endif
#define mxUseDefaultSharedChunks 1
#define mxUseDefaultDebug        1

#endif
