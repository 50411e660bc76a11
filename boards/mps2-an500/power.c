/*
 * power.c: power_board.h on mps2-an500 (QEMU's Cortex-M7), and the board's
 * clock. SPDX-License-Identifier: Apache-2.0
 *
 * The board models the STM32H743's power scheme with what QEMU has:
 *   retained      4 KB after a small header in "backup RAM", a region of the
 *                 an500's PSRAM (0x60000000) that no ELF segment covers
 *                 (link.ld defines it by symbols only), so QEMU's system
 *                 reset, which reloads every loaded segment and zeroes .bss,
 *                 leaves it as it was, as the H7's backup SRAM survives
 *                 Standby. The header says why the next boot happens.
 *   Sleep / Stop  WFI until CMSDK timer 1's alarm; the heap stays. The wait
 *                 is real time under QEMU. With --skip-sleep the board's
 *                 clock jumps to the alarm instead, as the host simulator's
 *                 does, so a test can sleep for minutes in no time. (QEMU's
 *                 own `-icount sleep=off` was tried for this: its clock
 *                 warp woke a 5 s alarm at 10 s of virtual time.)
 *   Standby       WFI until the alarm (the RTC counting while the core is
 *                 off), then a system reset through SCB->AIRCR.SYSRESETREQ:
 *                 the firmware boots again from the reset vector with a
 *                 fresh heap; the header makes that boot an "rtc" wake and
 *                 carries the clock over.
 *   wake pins     0..5 stand for the H743's WKUP1..6 as on the host
 *                 simulator; QEMU cannot drive them, so no pin edge ever
 *                 comes and only the alarm wakes the board. One exception,
 *                 the update channel (modules/update/channel.ts): with
 *                 --update-pin N, a wake from Standby while a bundle waits in
 *                 the state folder's inbox (/state/inbox-1.xsb ... -16, which
 *                 `xsight run --update` puts there) is pin N's, as a bundle's
 *                 arrival raises the channel's pin on a device.
 *   counts, camera  accepted and ignored: this board measures instructions
 *                 instead of modelling energy.
 *   XS abort     (memory full, ...: boardPowerAbort) the board keeps why and
 *                 where in backup RAM, for the next boot's app (power_board.h
 *                 board_power_last_abort), and sleeps in Standby to the next
 *                 wake: this boot's start plus the last Standby's period (the
 *                 app's), or ABORT_RETRY_US after a power-on. Never a tight
 *                 reset loop; a run that --until ends there exits 2.
 * Ending a run, as the host simulator does: with --until MS a sleep that
 * would wake at or after MS ms of board time ends the run (status 0); without
 * --until a Standby ends it (nothing on the host side would wait for the
 * wake), and so does a sleep that only pins could end.
 */
#include "xs_port.h"
#include "abort.h"
#include "board.h"
#include "file_board.h"
#include "power_board.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POWER_RETAINED_SIZE  4096
#define POWER_WAKE_PIN_COUNT 6
#define POWER_MAGIC          0x58535042u /* "XSPB" */
#define POWER_NONE           INT64_MAX

/* What survives a reset in backup RAM, ahead of the retained bytes. */
typedef struct {
	uint32_t magic;
	uint32_t boots;
	uint32_t reason;   /* power_wake_reason of the next boot */
	uint32_t periodMs; /* the last Standby's wake-after, the app's period */
	int64_t wakeAtUs;  /* board time of the next boot, us since power-on */
	int64_t epochUs;   /* Unix time at power-on, us */
	uint32_t check;    /* of the words above */
} PowerHeader;

extern uint8_t __backup_start[], __backup_end[];
#define gHeader        ((volatile PowerHeader *)__backup_start)
#define gRetained      (__backup_start + 64)
/* After the camera's words (camera.c: 64 + 4096 + 12 bytes): why the last boot aborted. */
#define gAbort         ((board_abort_t *)(__backup_start + 64 + 4096 + 64))
#define ABORT_RETRY_US 10000000ll

#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0C)
#define SCB_SCR   (*(volatile uint32_t *)0xE000ED10)

#define TIMER1_CTRL     (*(volatile uint32_t *)0x40001000)
#define TIMER1_VALUE    (*(volatile uint32_t *)0x40001004)
#define TIMER1_RELOAD   (*(volatile uint32_t *)0x40001008)
#define TIMER1_INTCLEAR (*(volatile uint32_t *)0x4000100C)
#define NVIC_ISER0      (*(volatile uint32_t *)0xE000E100)
#define NVIC_ICER0      (*(volatile uint32_t *)0xE000E180)

static struct {
	power_wake wake;
	uint32_t boots;
	int64_t bootUs; /* board time at this boot */
	int64_t epochUs;
	int64_t untilUs;         /* --until, or POWER_NONE */
	int skipSleep;           /* --skip-sleep */
	int64_t skippedUs;       /* sleep time jumped over in this boot */
	uint32_t periodMs;       /* the last Standby's wake-after, 0 after a power-on */
	board_abort_t lastAbort; /* why the last boot aborted, or "" */
} gPower = {{POWER_WAKE_POWER_ON, -1}, 0, 0, 0, POWER_NONE, 0, 0, 0, {0, ""}};

static uint32_t headerCheck(const volatile PowerHeader *header)
{
	/* FNV-1a over the header's fields before `check`. */
	const volatile uint8_t *p = (const volatile uint8_t *)header;
	uint32_t hash = 2166136261u;
	for (size_t i = 0; i < offsetof(PowerHeader, check); i++)
		hash = (hash ^ p[i]) * 16777619u;
	return hash;
}

static void writeHeader(uint32_t reason, int64_t wakeAtUs)
{
	gHeader->magic = POWER_MAGIC;
	gHeader->boots = gPower.boots;
	gHeader->reason = reason;
	gHeader->periodMs = gPower.periodMs;
	gHeader->wakeAtUs = wakeAtUs;
	gHeader->epochUs = gPower.epochUs;
	gHeader->check = headerCheck(gHeader);
}

uint32_t boardPowerBoots(void)
{
	return gPower.boots;
}

void boardPowerInit(void)
{
	_Static_assert(sizeof(PowerHeader) <= 64, "the header fits before the retained bytes");
	if (gHeader->magic == POWER_MAGIC && gHeader->check == headerCheck(gHeader) &&
	    gHeader->reason != POWER_WAKE_POWER_ON) {
		gPower.wake.reason = (power_wake_reason)gHeader->reason;
		gPower.boots = gHeader->boots + 1;
		gPower.bootUs = gHeader->wakeAtUs;
		gPower.epochUs = gHeader->epochUs;
		gPower.periodMs = gHeader->periodMs;
		/* An abort's text is for the boot right after it only. */
		boardAbortTake(gAbort, gHeader->reason == POWER_WAKE_RTC, &gPower.lastAbort);
	} else {
		/* Power-on: backup RAM holds whatever it powered up with. */
		gPower.boots = 1;
		gPower.epochUs = (int64_t)semihost(SYS_TIME, 0) * 1000000;
		memset(gRetained, 0, POWER_RETAINED_SIZE);
		boardAbortTake(gAbort, 0, &gPower.lastAbort);
	}
	/* A reset that is not ours (the debugger's, a fault's) reads as a reset. */
	writeHeader(POWER_WAKE_RESET, gPower.bootUs);
}

/* --update-pin: the update channel's pin, or -1 (no channel). */
static int gUpdatePin = -1;

int boardPowerArgument(const char *arg, const char *value)
{
	if (!strcmp(arg, "--skip-sleep")) {
		gPower.skipSleep = 1;
		return 2;
	}
	char *end;
	if (!strcmp(arg, "--update-pin")) {
		long pin = strtol(value, &end, 10);
		if (end == value || *end || pin < 0 || pin >= POWER_WAKE_PIN_COUNT)
			return -1;
		gUpdatePin = (int)pin;
		return 1;
	}
	if (strcmp(arg, "--until"))
		return 0;
	double ms = strtod(value, &end);
	if (end == value || *end || !(ms >= 0) || ms > 9.0e12)
		return -1;
	gPower.untilUs = (int64_t)(ms * 1000.0);
	return 1;
}

/* Board time: us since power-on, across Standby resets. */
int64_t boardNowUs(void)
{
	return gPower.bootUs + gPower.skippedUs + (int64_t)(boardTicks() / (BOARD_TIMER_HZ / 1000000u));
}

int64_t boardEpochUs(void)
{
	return gPower.epochUs;
}

/* ---- the alarm: CMSDK timer 1 (IRQ 9), one-shot per 32-bit period */

static volatile int gAlarmFired;

void TIMER1_Handler(void)
{
	TIMER1_INTCLEAR = 1;
	TIMER1_CTRL = 0;
	gAlarmFired = 1;
}

/* WFI until board time `at` (us). */
static void waitUntil(int64_t at)
{
	if (gPower.skipSleep) {
		int64_t now = boardNowUs();
		if (at > now)
			gPower.skippedUs += at - now;
		return;
	}
	for (;;) {
		int64_t now = boardNowUs();
		if (now >= at)
			return;
		uint64_t ticks = (uint64_t)(at - now) * (BOARD_TIMER_HZ / 1000000u);
		if (ticks > 0xFFFFFFF0u)
			ticks = 0xFFFFFFF0u;
		if (ticks < 2)
			ticks = 2;
		gAlarmFired = 0;
		TIMER1_CTRL = 0;
		TIMER1_INTCLEAR = 1;
		TIMER1_RELOAD = (uint32_t)ticks;
		TIMER1_VALUE = (uint32_t)ticks;
		NVIC_ISER0 = 1u << 9;
		TIMER1_CTRL = 1u | (1u << 3); /* enable, interrupt enable */
		/* Interrupts stay enabled: a wake between the test and WFI still ends WFI (the pending IRQ). */
		while (!gAlarmFired)
			__asm__ volatile("wfi");
	}
}

/* The timer's idle (timer.c): Sleep until `at`; 0 at once when --until ends the run first. */
int boardPowerIdleUntil(int64_t at)
{
	if (at >= gPower.untilUs)
		return 0;
	waitUntil(at);
	return 1;
}

/* ---- power_board.h */

/* Whether a bundle waits in the inbox, looked at as the channel does (inbox-1 to inbox-16). */
static int updateWaiting(void)
{
	char path[32], error[64];
	for (int n = 1; n <= 16; n++) {
		snprintf(path, sizeof(path), "/state/inbox-%d.xsb", n);
		if (board_file_exists(path, error, sizeof(error)) > 0)
			return 1;
	}
	return 0;
}

void board_power_wake(power_wake *wake)
{
	/* Decided once a boot: the app takes the bundle out of the inbox during the wake. */
	static int looked;
	if (!looked) {
		looked = 1;
		if (gUpdatePin >= 0 && gPower.wake.reason == POWER_WAKE_RTC && updateWaiting()) {
			gPower.wake.reason = POWER_WAKE_PIN;
			gPower.wake.pin = gUpdatePin;
		}
	}
	*wake = gPower.wake;
}

int board_power_is_wake_pin(int pin)
{
	return pin >= 0 && pin < POWER_WAKE_PIN_COUNT;
}

int board_power_wake_pins(int *pins, int capacity)
{
	for (int i = 0; i < POWER_WAKE_PIN_COUNT && i < capacity; i++)
		pins[i] = i;
	return POWER_WAKE_PIN_COUNT;
}

/* power_board.h's marks: with --stats, the phase's name and the timer ticks
   at its end, kept until the sleep reports them (a few dozen instructions a
   mark, no output); without --stats nothing. Names longer than 15 bytes are cut. */
#define POWER_MAX_MARKS 24
static struct {
	char name[16];
	uint32_t ticks;
} gMarks[POWER_MAX_MARKS];
static int gMarkCount;

void board_power_mark(const char *name)
{
	if (!gBoardStats || gMarkCount == POWER_MAX_MARKS)
		return;
	gMarks[gMarkCount].ticks = (uint32_t)boardTicks();
	/* A quote, backslash or control character would break the report's JSON. */
	char *out = gMarks[gMarkCount].name;
	size_t i = 0;
	for (; name[i] && i < sizeof(gMarks[0].name) - 1; i++)
		out[i] = (name[i] == '"' || name[i] == '\\' || (unsigned char)name[i] < 0x20) ? '_' : name[i];
	out[i] = 0;
	gMarkCount++;
}

/* The emulator's `#wake` line (semihosting's output, which the M7 bench reads), not counted as console bytes:
   the device sends the record as a console frame. */
void board_power_report(const char *json)
{
	xsBoardWrite("#wake ", 6, 0);
	xsBoardWrite(json, strlen(json), 0);
	xsBoardWrite("\n", 1, 0);
}

/* With --stats, a line per sleep on stderr: the timer ticks from this boot's
   main() to here (40 guest instructions each under -icount shift=0), so a
   benchmark can time a whole wake cycle up to Standby entry, this boot's
   peaks so far: malloc's (the heap's high-water mark, everything malloc took,
   XS included; a Standby's reset starts the next boot's afresh) and XS's part
   (the chunk and slot blocks it took from malloc: XS never gives them back),
   and the marks since the last sleep. */
static void reportSleep(txMachine *the, const power_sleep_request *request)
{
	if (!gBoardStats)
		return;
	uint32_t ticks = (uint32_t)boardTicks();
	char line[192 + POWER_MAX_MARKS * 32];
	int n = snprintf(line, sizeof(line),
	                 "#m7-sleep {\"boot\":%lu,\"mode\":%d,\"ticks\":%lu,\"mallocPeak\":%lu,\"xsHeap\":%lu,\"marks\":[",
	                 (unsigned long)gPower.boots, (int)request->mode, (unsigned long)ticks,
	                 (unsigned long)boardHeapPeak(),
	                 (unsigned long)(the->maximumChunksSize + the->maximumHeapCount * sizeof(txSlot)));
	for (int i = 0; i < gMarkCount && n > 0 && (size_t)n < sizeof(line); i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "%s[\"%s\",%lu]", i ? "," : "", gMarks[i].name,
		              (unsigned long)gMarks[i].ticks);
	if (n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, "]}\n");
	gMarkCount = 0;
	if (n > 0)
		boardConsoleWrite(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, 1);
}

int board_power_sleep(void *machine, const power_sleep_request *request, power_wake *wake)
{
	reportSleep(machine, request);
	int64_t from = boardNowUs();
	/* No pin edge ever comes under QEMU: the alarm is the only wake. */
	int64_t at = (request->wake_after_us >= 0) ? from + request->wake_after_us : POWER_NONE;
	int ends = (at == POWER_NONE) || (at >= gPower.untilUs) ||
	        (gPower.untilUs == POWER_NONE && request->mode == POWER_MODE_STANDBY);
	if (ends)
		boardExit(0);
	if (request->mode == POWER_MODE_STANDBY) {
		gPower.periodMs = (uint32_t)(request->wake_after_us / 1000);
		/* Written before the wait: if anything resets the board meanwhile,
		   the boot still finds a consistent header. */
		writeHeader(POWER_WAKE_RTC, at);
		waitUntil(at);
		__asm__ volatile("dsb");
		SCB_AIRCR = (0x05FAu << 16) | (1u << 2); /* VECTKEY, SYSRESETREQ */
		__asm__ volatile("dsb");
		for (;;)
			__asm__ volatile("wfi");
	}
	waitUntil(at);
	gPower.wake.reason = POWER_WAKE_RTC;
	gPower.wake.pin = -1;
	*wake = gPower.wake;
	return 1;
}

void boardPowerAbort(const char *name, const char *where)
{
	_Static_assert(64 + 4096 + 64 + sizeof(board_abort_t) <= 8192, "the abort record fits in backup RAM");
	boardAbortRecord(gAbort, &gPower.lastAbort, name, where);
	int64_t at = boardAbortWakeAt(gPower.bootUs, boardNowUs(), (int64_t)gPower.periodMs * 1000, ABORT_RETRY_US);
	/* No --until: nothing would wait for the wake, as for a Standby; past it: the run ends. */
	if (gBoardStats) {
		/* As reportSleep's line, with the board times (ms) it sleeps from and to. */
		char line[160];
		int n = snprintf(line, sizeof(line),
		                 "#m7-sleep "
		                 "{\"boot\":%lu,\"mode\":2,\"ticks\":%lu,\"mallocPeak\":%lu,\"abort\":true,\"fromMs\":%ld,"
		                 "\"toMs\":%ld}\n",
		                 (unsigned long)gPower.boots, (unsigned long)boardTicks(), (unsigned long)boardHeapPeak(),
		                 (long)(boardNowUs() / 1000), (long)(at / 1000));
		if (n > 0)
			boardConsoleWrite(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1, 1);
	}
	if (gPower.untilUs == POWER_NONE || at >= gPower.untilUs)
		boardExit(XS_PORT_EXIT_ABORT);
	writeHeader(POWER_WAKE_RTC, at);
	waitUntil(at);
	__asm__ volatile("dsb");
	SCB_AIRCR = (0x05FAu << 16) | (1u << 2); /* VECTKEY, SYSRESETREQ */
	__asm__ volatile("dsb");
	for (;;)
		__asm__ volatile("wfi");
}

size_t board_power_last_abort(char *text, size_t size)
{
	return boardAbortText(&gPower.lastAbort, text, size);
}

size_t board_power_retained_size(void)
{
	return POWER_RETAINED_SIZE;
}

void board_power_retained_read(uint8_t *data, size_t size)
{
	memcpy(data, gRetained, size < POWER_RETAINED_SIZE ? size : POWER_RETAINED_SIZE);
}

/* Plain RAM: a write is committed when memcpy returns. */
int board_power_retained_write(const uint8_t *data, size_t size)
{
	if (size > POWER_RETAINED_SIZE)
		return -1;
	memcpy(gRetained, data, size);
	return 0;
}

void board_power_count(const char *name, double amount)
{
	(void)name;
	(void)amount;
}

void board_power_camera(power_camera_state state)
{
	(void)state;
}
