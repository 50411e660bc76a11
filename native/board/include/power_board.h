/*
 * power_board.h: what a board supplies for low-power duty cycles: why it
 * woke, how it sleeps, a small memory that survives Standby, and counted
 * work for energy accounting.
 * SPDX-License-Identifier: Apache-2.0
 *
 * The "native/power" binding (native/power/power_xs.c) only converts
 * arguments and calls these; the "power" TS module owns the policy (argument
 * checks, the retained store's format). host-sim/power.c implements this on
 * the desktop simulator (virtual clock, scenario events, energy trace); the
 * Cortex-M7 and STM32H743 boards implement the same functions on PWR/RTC/
 * backup SRAM registers.
 *
 * Where each part lives on the STM32H743 (RM0433), for the device boards:
 *   wake reason   RCC_RSR reset flags (PORRSTF power-on, PINRSTF reset pin,
 *                 IWDG1RSTF watchdog, SFTRSTF software); PWR_CPUCR.SBF says
 *                 the reset came out of Standby, PWR_WKUPFR.WKUPFn which
 *                 wake-up pin, the RTC's WUTF/ALRAF flags an RTC wake
 *   wake pins     WKUP1..6 enabled in PWR_WKUPEPR (enable, polarity, pull)
 *   wake_after    the RTC wake-up timer (RTC_WUTR) or alarm A
 *   Stop          PWR_CPUCR.PDDS_Dn clear, SVOS in PWR_CR1, SLEEPDEEP + WFI;
 *                 the clocks must be set up again after the wake
 *   Standby       PWR_CPUCR.PDDS_Dn set, SLEEPDEEP + WFI
 *   retained      the 4 KB backup SRAM at 0x38800000: PWR_CR1.DBP for
 *                 writes, PWR_CR2.BREN to keep it in Standby (wait BRRDY)
 */
#ifndef XSIGHT_POWER_BOARD_H
#define XSIGHT_POWER_BOARD_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
	POWER_WAKE_POWER_ON = 0, /* first boot after power was applied */
	POWER_WAKE_RTC = 1,      /* RTC alarm / wake-up timer */
	POWER_WAKE_PIN = 2,      /* a wake-up pin's edge */
	POWER_WAKE_WATCHDOG = 3, /* independent watchdog reset */
	POWER_WAKE_RESET = 4     /* reset pin or software reset */
} power_wake_reason;

typedef enum {
	POWER_MODE_SLEEP = 0,  /* core stopped, clocks on, RAM kept */
	POWER_MODE_STOP = 1,   /* clocks stopped, RAM kept: resumes where it stopped */
	POWER_MODE_STANDBY = 2 /* RAM lost: the wake is a reset */
} power_mode;

/* Digital edges, the values of Moddable's embedded:io/digital Rising/Falling. */
enum { POWER_EDGE_RISING = 1, POWER_EDGE_FALLING = 2 };

#define POWER_MAX_WAKE_PINS 8

typedef struct {
	power_wake_reason reason;
	int pin; /* the pin for POWER_WAKE_PIN, else -1 */
} power_wake;

typedef struct {
	power_mode mode;
	int64_t wake_after_us; /* RTC wake-up after this long; < 0: none */
	int pin_count;
	struct {
		int pin;
		int edges; /* POWER_EDGE_* bits */
	} pins[POWER_MAX_WAKE_PINS];
} power_sleep_request;

typedef enum { POWER_CAMERA_OFF = 0, POWER_CAMERA_STANDBY = 1, POWER_CAMERA_ON = 2 } power_camera_state;

/* Why this boot (or the last Stop) ended. */
void board_power_wake(power_wake *wake);
/* Whether `pin` can wake the board from Stop and Standby. */
int board_power_is_wake_pin(int pin);
/* The wake-capable pins, up to `capacity`; returns how many there are. */
int board_power_wake_pins(int *pins, int capacity);
/* Sleep. The request is already checked (the TS module does it). For Sleep
 * and Stop it returns after the wake with `wake` filled in. For Standby it
 * does not return: the board resets. `machine` is the XS machine, which a
 * board may need to leave (the host simulator restarts it). Returns 0 when
 * the board ends the run instead (the host simulator's end of simulation). */
int board_power_sleep(void *machine, const power_sleep_request *request, power_wake *wake);

/* The memory that survives Standby (backup SRAM on the H7): its size, and
 * copies in and out. A write is committed when it returns. */
size_t board_power_retained_size(void);
void board_power_retained_read(uint8_t *data, size_t size);
int board_power_retained_write(const uint8_t *data, size_t size);

/* Why the last boot's XS machine stopped, when it aborted ("XS abort: memory full in
 * detect (modules/vision/detect.ts:156)", with how many boots in a row did) and the board
 * slept to its next wake instead of stopping: its text (NUL-terminated, cut to `size`) and
 * length; 0 when the last boot did not abort, and on boards that stop on an abort. */
size_t board_power_last_abort(char *text, size_t size);

/* Counted work, for energy accounting: the host simulator turns counts into
 * awake time through its cost model; device boards may ignore them. */
void board_power_count(const char *name, double amount);
/* The end of a phase of the wake (the field app's "config", "detect"...), for
 * a per-wake breakdown: a board that can count its time or instructions keeps
 * the mark and reports it with the sleep that ends the wake; it must cost next
 * to nothing, and nothing when no breakdown was asked for. Boards may ignore it. */
void board_power_mark(const char *name);
/* The wake's record (JSON) for the tool that runs the board: the simulator and the emulator print it
 * as their `#wake` line, which `xsight sim` and the M7 bench read; not the device's console, which
 * carries the record as a console frame, so a board nothing reads that way ignores it (the
 * STM32H743) and it is not counted as console bytes. */
void board_power_report(const char *json);
/* The camera's power state (the camera driver reports it). */
void board_power_camera(power_camera_state state);

#endif
