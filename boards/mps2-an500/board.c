/*
 * board.c: the mps2-an500 board (QEMU's Cortex-M7): runs an xsight app on XS
 * from flash. Its command line comes over semihosting with the host
 * simulator's options (--config FILE, --root DIR, --state DIR, --until MS, --skip-sleep,
 * --frames DIR, --chunk, --heap, --stack, --keys, --stats, MAIN), so the CLI drives both boards alike. Modules are
 * XS bytecode compiled at build time (or source text in a parsing build);
 * "mc/config" reads the --config JSON file through semihosting.
 * Exit status (semihosting SYS_EXIT_EXTENDED): 0, XS_PORT_EXIT_* (1
 * exception, 2 XS abort, 64 usage) or 3 for a processor fault.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"
#include "board_args.h"
#include "board.h"
#include "camera_replay.h"
#include "device_creation.h"
#include "flash_modules.h"
#include "timer_board.h"

#include <stdint.h>

extern size_t boardStackPeak(void);
extern char __stack_limit[];

char *gBoardConfig;
int gBoardStats;

static uint64_t gFirstOutputTicks;

void xsBoardWrite(const char *text, size_t length, int error)
{
	/* When a main module prints first thing, this is boot to its first line. */
	if (!gFirstOutputTicks)
		gFirstOutputTicks = boardTicks();
	boardConsoleWrite(text, length, error);
}

/* XS compares the C stack pointer with this before it recurses; the margin
   covers the deepest C frames between two checks (printf, the parser). */
char *fxCStackLimit(void)
{
	return __stack_limit + 16 * 1024;
}

/* ---- start-up */

#define BOARD_MAX_ARGS 32

int main(void)
{
	static char commandLine[1024];
	char *argv[BOARD_MAX_ARGS];
	int argc = 0;
	int stats = 0;
	boardTimerStart();
	/* Power-on or a Standby's wake (a reset): the clock and the wake reason. */
	boardPowerInit();

	int block[2] = {(int)commandLine, sizeof(commandLine) - 1};
	if (semihost(SYS_GET_CMDLINE, block) == 0) {
		for (char *p = strtok(commandLine, " "); p && argc < BOARD_MAX_ARGS; p = strtok(NULL, " "))
			argv[argc++] = p;
	}

	/* The CLI passes the manifest's sizes; a parsing build (fw-parse.elf) needs its parser buffer. */
	txCreation creation = gBoardCreation;
	creation.parserBufferSize = 32 * 1024;
	const char *mainName = NULL;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *value = (i + 1 < argc) ? argv[i + 1] : NULL;
		int ok = 1, taken;
		int power = boardPowerArgument(arg, value ? value : "");
		if (power) {
			ok = power > 0;
			if (power == 1)
				i++;
		} else if (!strcmp(arg, "--stats"))
			stats = gBoardStats = 1;
		else if (arg[0] == '-' && arg[1] == '-' && !value)
			ok = 0;
		else if (!strcmp(arg, "--config")) {
			size_t length;
			if (boardHostReadFile(value, SIZE_MAX, (uint8_t **)&gBoardConfig, &length) != BOARD_READ_OK) {
				xsPortPrintf(1, "fatal: cannot read config %s\n", value);
				return XS_PORT_EXIT_USAGE;
			}
			i++;
		} else if (boardReplayArgument(arg, value))
			i++;
		else if ((taken = boardArgument(arg, value, &creation))) {
			ok = taken > 0;
			i++;
		} else if (arg[0] == '-' || mainName)
			ok = 0;
		else
			mainName = arg;
		if (!ok) {
			xsPortPrintf(1, "fatal: bad argument: %s\n", arg);
			return XS_PORT_EXIT_USAGE;
		}
	}
	if (!mainName)
		mainName = "main";
	if (!boardFindModule(mainName)) {
		xsPortPrintf(1, "fatal: module \"%s\" is not built into this firmware\n", mainName);
		return XS_PORT_EXIT_USAGE;
	}

	txMachine *machine = fxCreateMachine(&creation, "xsight", NULL, XS_NO_ID);
	if (!machine) {
		xsPortPrintf(1, "fatal: cannot create the XS machine\n");
		return XS_PORT_EXIT_ABORT;
	}
	int status = xsPortRunMain(machine, mainName);
	/* Then the app lives on its timers, as a Moddable app does. */
	if (status == XS_PORT_EXIT_OK)
		status = xsTimerRun(machine);
	/* Read first: the stack scan below takes time of its own. */
	uint64_t endTicks = boardTicks();
	if (stats)
		xsPortPrintf(1,
		             "#xs-stats "
		             "{\"chunks\":%ld,\"peakChunks\":%ld,\"slots\":%ld,\"peakSlots\":%ld,\"slotSize\":%ld,"
		             "\"mallocPeak\":%ld,\"stackPeak\":%ld,\"ticks\":%lu,\"firstOutputTicks\":%lu}\n",
		             (long)machine->currentChunksSize, (long)machine->peakChunksSize, (long)machine->currentHeapCount,
		             (long)machine->peakHeapCount, (long)sizeof(txSlot), (long)boardHeapPeak(), (long)boardStackPeak(),
		             (unsigned long)endTicks, (unsigned long)gFirstOutputTicks);
	/* Out of memory (or stack) on a wake: the next wake may well fit (another frame, no face),
	   and a device that stops, or resets at once, loses every wake after. */
	if (status == XS_PORT_EXIT_ABORT && machine->abortStatus)
		boardPowerAbort(xsPortAbortName(machine->abortStatus), machine->abortWhere);
	return status;
}
