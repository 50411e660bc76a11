/*
 * board.c: the STM32H743 firmware: XS runs the xsight app from flash. Modules are XS bytecode
 * compiled at build time (tools/build/xsc; this firmware has no JavaScript parser), looked up in the
 * table build/h7/gen/modules.c (boards/common/flash_modules.c); "main" is the entry module, then the app lives on its timers and
 * the power module's sleeps, as on the other boards.
 *
 * Start-up policy (the bring-up image's): a boot that cannot run the app (no flash store, a
 * missing model or cascade, the camera not answering, any uncaught exception) says why on the
 * console, counts a failure in backup SRAM and sleeps in Standby for 10 s << failures (at most 8
 * doublings, about 43 min, h7_backoff_us) before trying again: never a tight reset loop. A boot
 * whose app ends normally clears the count. A processor fault backs off the same way
 * (hw/startup.c); this boot reports the last one's pc. An XS abort (memory full, stack
 * overflow) is a wake that failed, not a device that cannot run: as on mps2-an500
 * (boards/common/abort.h) its reason and where are kept in backup SRAM, the device sleeps to the
 * wake the app asked for last, and that wake's app logs it (power.lastAbort()).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"

#include <string.h>

#include "abort.h"
#include "board.h"
#include "device_creation.h"
#include "h7_board.h"
#include "h7_device.h"
#include "h7_fstore.h"
#include "h7_retained.h"
#include "camera_board.h"
#include "timer_board.h"

extern char __stack_limit[];
extern void fwPowerInit(int rtcOk);
extern int fwRtcWakeAfter(int64_t us);

#define RETRY_PERIOD_US 10000000ll

int gFwStoreMounted;

/* The board's own record in backup SRAM (the app's retained memory is power.c's). */
typedef struct {
	uint32_t boots;
	uint32_t failures;       /* consecutive boots that could not run the app */
	uint32_t cameraSequence; /* captures since power-on (camera.c) */
	uint32_t periodMs;       /* the last Standby's wake-after: the app's period */
	board_abort_t abort;     /* why this boot's XS aborted, for the next */
} fw_retained_t;
static uint8_t gBootArea[H7_RETAINED_AREA_SIZE(sizeof(fw_retained_t))] H7_RETAINED;
static fw_retained_t gBoot;
static board_abort_t gLastAbort; /* the last boot's, for the app */

static void saveBoot(void)
{
	h7_retained_save(gBootArea, sizeof(gBootArea), &gBoot, sizeof(gBoot));
}

uint32_t fwCameraSequence(void)
{
	uint32_t sequence = gBoot.cameraSequence++;
	saveBoot();
	return sequence;
}

void fwStandbyPeriod(int64_t us)
{
	gBoot.periodMs = us > 0 ? (uint32_t)(us / 1000) : 0;
	saveBoot();
}

size_t board_power_last_abort(char *text, size_t size)
{
	return boardAbortText(&gLastAbort, text, size);
}

void xsBoardWrite(const char *text, size_t length, int error)
{
	(void)error;
	h7_console_write(text, length);
}

/* XS compares the C stack pointer with this before it recurses; the margin covers the deepest
   C frames between two checks. The stack is at the bottom of DTCM (ld/stm32h743.ld). */
char *fxCStackLimit(void)
{
	return __stack_limit + 16 * 1024;
}

/* Standby until the next try; does not return. Without the RTC nothing would wake Standby, so
   the core waits in Sleep mode and resets instead. */
static void retryLater(const char *why)
{
	gBoot.failures++;
	saveBoot();
	int64_t period = (int64_t)h7_backoff_us(RETRY_PERIOD_US, gBoot.failures - 1);
	xsPortPrintf(1, "xsight: %s; failure %lu in a row, next try in %ld s\n", why, (unsigned long)gBoot.failures,
	             (long)(period / 1000000));
	if (fwRtcWakeAfter(period))
		h7_enter_standby();
	fwIdle(period);
	NVIC_SystemReset();
	for (;;) {
	}
}

/* XS ran out of memory (or stack) in this wake: the next may well fit (another frame, no face),
   and a device that stopped, or reset at once, would lose every wake after. Does not return. */
static void abortedWake(txMachine *machine)
{
	boardAbortRecord(&gBoot.abort, &gLastAbort, xsPortAbortName(machine->abortStatus), machine->abortWhere);
	/* The RTC counts from now, so the wake-up is the app's period less what this boot ran. */
	int64_t now = (int64_t)h7_time_us();
	int64_t after = boardAbortWakeAt(0, now, (int64_t)gBoot.periodMs * 1000, RETRY_PERIOD_US) - now;
	saveBoot();
	xsPortPrintf(1, "xsight: %s; next wake in %ld ms\n", gBoot.abort.text, (long)(after / 1000));
	board_camera_standby();
	h7_camera_power_down();
	if (fwRtcWakeAfter(after))
		h7_enter_standby();
	fwIdle(after);
	NVIC_SystemReset();
	for (;;) {
	}
}

int main(void)
{
	const h7_clocks_t *clocks = h7_board_init();
	/* The camera's supply first: its turn-on passes while XS starts, not when the app opens the camera. */
	h7_camera_supply_on();
	if (h7_retained_load(gBootArea, sizeof(gBootArea), &gBoot, sizeof(gBoot)) != H7_RETAINED_OK)
		memset(&gBoot, 0, sizeof(gBoot)); /* first power-up, or the backup domain lost power */
	gBoot.boots++;
	h7_wake_reason_t wake = h7_board_wake_reason();
	/* The last boot's abort is this one's to log when this is the wake it slept to: the RTC's from
	   Standby, or the reset that ends its Sleep when the RTC does not run (abortedWake). */
	boardAbortTake(&gBoot.abort,
	               (wake.from_standby && wake.cause == H7_WAKE_RTC_WAKEUP) || wake.cause == H7_WAKE_SOFTWARE,
	               &gLastAbort);
	saveBoot();
	xsPortPrintf(0, "\nxsight stm32h743, boot %lu, wake: %s%s, SYSCLK %lu Hz%s\n", (unsigned long)gBoot.boots,
	             h7_wake_cause_name(wake.cause), wake.from_standby ? " (from Standby)" : "",
	             (unsigned long)clocks->sysclk_hz,
	             clocks->status == H7_CLOCK_OK ? "" : " (HSE/PLL failed: on the 64 MHz HSI)");
	h7_fault_t fault;
	if (h7_fault_last(&fault))
		xsPortPrintf(1, "xsight: the last boot faulted (exception %lu) at pc 0x%08lx, lr 0x%08lx: fault %lu in a row\n",
		             (unsigned long)fault.vector, (unsigned long)fault.pc, (unsigned long)fault.lr,
		             (unsigned long)fault.count);
	int rtcOk = h7_rtc_start() == H7_POWER_OK;
	if (!rtcOk)
		xsPortPrintf(1, "xsight: the RTC's LSE did not start: no Stop or Standby wake-up, sleeping in Sleep mode\n");
	fwPowerInit(rtcOk);

	int status = h7_board_mount_store();
	gFwStoreMounted = status == H7FS_OK;
	if (!gFwStoreMounted) {
		xsPortPrintf(1,
		             "xsight: flash store at 0x%08X: %s. Flash a store image with the model and "
		             "cascade (make h7-fsimage, docs/boards/stm32h743.md)\n",
		             (unsigned)H7_FSTORE_BASE, h7fs_strerror(status));
		retryLater("no flash store");
	}

	/* The manifest's creation sizes for this platform; chunks and slots come from malloc, the AXI SRAM heap. */
	txCreation creation = gBoardCreation;
	creation.parserBufferSize = 1024;
	txMachine *machine = fxCreateMachine(&creation, "xsight", NULL, XS_NO_ID);
	if (!machine)
		retryLater("cannot create the XS machine (AXI SRAM heap too small)");
	status = xsPortRunMain(machine, "main");
	if (status == XS_PORT_EXIT_OK)
		status = xsTimerRun(machine);
	if (status == XS_PORT_EXIT_ABORT && machine->abortStatus)
		abortedWake(machine);
	if (status != XS_PORT_EXIT_OK) {
		/* The exception (a missing model names its file) is already on the console. */
		retryLater("the app stopped on an exception");
	}
	/* The app returned without sleeping: wake it again after the retry period. */
	h7_fault_clear();
	gBoot.failures = 0;
	saveBoot();
	xsPortPrintf(0, "xsight: the app ended; next run in %ld s\n", (long)(RETRY_PERIOD_US / 1000000));
	if (fwRtcWakeAfter(RETRY_PERIOD_US))
		h7_enter_standby();
	fwIdle(RETRY_PERIOD_US);
	NVIC_SystemReset();
	return 0;
}
