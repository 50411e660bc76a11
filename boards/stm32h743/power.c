/*
 * power.c: power_board.h on the STM32H743 (RM0433 chapter 6 PWR, 8 RCC, 46 RTC).
 * SPDX-License-Identifier: Apache-2.0
 *
 *   wake reason   decoded once at boot from RCC_RSR, PWR_CPUCR.SBF, PWR_WKUPFR and the RTC
 *                 flags (h7_wake_decode_reset), after a Stop from EXTI_C1PR1 and the RTC
 *                 flags (h7_wake_decode_stop)
 *   wake_after    the RTC wake-up timer on the 32.768 kHz LSE (h7_rtc_wakeup_compute: the
 *                 finest clock that counts the period, at most 2^17 s)
 *   Sleep         WFI with SysTick running (1 ms ticks)
 *   Stop          SVOS5, RAM kept, clocks set up again after the wake (h7_enter_stop)
 *   Standby       h7_enter_standby: the wake is a reset, only the backup SRAM is kept
 *   wake pins     0..5 are WKUP1..6 (PA0, PA2, PI8, PC13, PI11, PC1), numbered as on the host
 *                 simulator and mps2-an500; the STM32H743VI (LQFP100, the OpenMV Cam's) has no
 *                 port I, so WKUP3 and WKUP5 are not wake pins there (build with
 *                 -DH7_BOARD_PORT_I=1 for a package that has them). PWR_WKUPEPR for Standby,
 *                 the same GPIO's EXTI line for Stop
 *   retained      backup SRAM (.retained, 0x38800000; non-cacheable by the MPU, kept in
 *                 Standby by PWR_CR2.BREN, set up by h7_board_init): the app's part after
 *                 the board's own start-up record (board.c)
 */
#include <string.h>

#include "board.h"
#include "camera_board.h"
#include "h7_board.h"
#include "h7_device.h"
#include "h7_gpio.h"
#include "power_board.h"
#include "xs_port.h"

/* The 4 KB backup SRAM less the board's boot record (board.c), the fault count (hw/startup.c)
   and the slots' headers. */
#define FW_RETAINED_APP 3584u
static uint8_t gAppRetained[FW_RETAINED_APP] H7_RETAINED __attribute__((aligned(8)));

#define WAKE_PIN_COUNT 6
#ifndef H7_BOARD_PORT_I
#define H7_BOARD_PORT_I 0
#endif
static const struct {
	uint8_t port, pin, present;
} gWakePins[WAKE_PIN_COUNT] = {
        {0, 0, 1},                /* WKUP1 PA0 */
        {0, 2, 1},                /* WKUP2 PA2 */
        {8, 8, H7_BOARD_PORT_I},  /* WKUP3 PI8 */
        {2, 13, 1},               /* WKUP4 PC13 */
        {8, 11, H7_BOARD_PORT_I}, /* WKUP5 PI11 */
        {2, 1, 1},                /* WKUP6 PC1 */
};

static power_wake gWake = {POWER_WAKE_POWER_ON, -1};
static int gRtcOk;

static power_wake fromH7(h7_wake_reason_t r)
{
	power_wake w = {POWER_WAKE_POWER_ON, -1};
	switch (r.cause) {
	case H7_WAKE_RTC_WAKEUP:
	case H7_WAKE_RTC_ALARM: w.reason = POWER_WAKE_RTC; break;
	case H7_WAKE_PIN:
		w.reason = POWER_WAKE_PIN;
		if (r.from_standby)
			w.pin = r.pin - 1; /* WKUP1..6 */
		else
			for (int i = 0; i < WAKE_PIN_COUNT; i++)
				if (gWakePins[i].present && gWakePins[i].pin == r.pin)
					w.pin = i; /* EXTI line: the GPIO pin number */
		break;
	case H7_WAKE_IWDG:
	case H7_WAKE_WWDG: w.reason = POWER_WAKE_WATCHDOG; break;
	case H7_WAKE_PIN_RESET:
	case H7_WAKE_SOFTWARE:
	case H7_WAKE_LOW_POWER_ERROR:
	case H7_WAKE_STANDBY_OTHER: w.reason = POWER_WAKE_RESET; break;
	default: w.reason = POWER_WAKE_POWER_ON; break;
	}
	return w;
}

/* board.c, once at boot after h7_board_init and h7_rtc_start. */
void fwPowerInit(int rtcOk)
{
	gRtcOk = rtcOk;
	gWake = fromH7(h7_board_wake_reason());
}

void board_power_wake(power_wake *wake)
{
	*wake = gWake;
}

int board_power_is_wake_pin(int pin)
{
	return pin >= 0 && pin < WAKE_PIN_COUNT && gWakePins[pin].present;
}

int board_power_wake_pins(int *pins, int capacity)
{
	int count = 0;
	for (int i = 0; i < WAKE_PIN_COUNT; i++)
		if (gWakePins[i].present) {
			if (count < capacity)
				pins[count] = i;
			count++;
		}
	return count;
}

/* RTC wake-up after us (clamped to the timer's 2^17 s range); 0 when it cannot be set. */
int fwRtcWakeAfter(int64_t us)
{
	if (!gRtcOk)
		return 0;
	const uint64_t longest = (uint64_t)131071u * 1000000u;
	h7_rtc_wakeup_t w;
	if (h7_rtc_wakeup_compute(32768u, us > (int64_t)longest ? longest : (uint64_t)us, &w) != H7_POWER_OK)
		return 0;
	return h7_rtc_set_wakeup(&w) == H7_POWER_OK;
}

int board_power_sleep(void *machine, const power_sleep_request *request, power_wake *wake)
{
	(void)machine;
	/* A boot that got this far is a good one: faults are counted in a row. */
	h7_fault_clear();
	int64_t after = request->wake_after_us;
	/* Under one RTC count (61 us): no sleep worth the entry and exit. */
	if (after >= 0 && after < 100) {
		*wake = (power_wake){POWER_WAKE_RTC, -1};
		return 1;
	}
	int rtc = request->mode != POWER_MODE_SLEEP && after >= 0 && fwRtcWakeAfter(after);
	if (request->mode == POWER_MODE_SLEEP || (after >= 0 && !rtc)) {
		/* Sleep, or no RTC (the LSE did not start): Stop and Standby would never wake, so the
		   core waits with SysTick instead, and a Standby ends in a reset as it would. */
		if (request->mode != POWER_MODE_SLEEP)
			xsPortPrintf(1, "power: RTC not running, sleeping in Sleep mode instead\n");
		fwIdle(after >= 0 ? after : INT64_MAX);
		if (request->mode == POWER_MODE_STANDBY)
			NVIC_SystemReset();
		*wake = (power_wake){POWER_WAKE_RTC, -1};
		return 1;
	}
	for (int i = 0; i < request->pin_count; i++) {
		int pin = request->pins[i].pin;
		if (!board_power_is_wake_pin(pin))
			continue;
		/* One edge per pin in hardware: rising wins when both are asked for. */
		int rising = (request->pins[i].edges & POWER_EDGE_RISING) != 0;
		if (request->mode == POWER_MODE_STANDBY)
			h7_wkup_pin_enable((unsigned)pin + 1, !rising);
		else {
			h7_gpio_config(gWakePins[pin].port, gWakePins[pin].pin, H7_GPIO_INPUT, 0,
			               rising ? H7_GPIO_PULL_DOWN : H7_GPIO_PULL_UP, 0);
			h7_exti_wake_pin(gWakePins[pin].port, gWakePins[pin].pin, rising);
		}
	}
	if (request->mode == POWER_MODE_STANDBY) {
		/* The app's period: a wake that aborts sleeps to the one after it (board.c). */
		fwStandbyPeriod(after);
		/* The sensor in soft sleep, then held in power-down with its pins released. */
		board_camera_standby();
		h7_camera_power_down();
		h7_enter_standby();
	}
	gWake = fromH7(h7_enter_stop());
	*wake = gWake;
	return 1;
}

size_t board_power_retained_size(void)
{
	return sizeof(gAppRetained);
}

void board_power_retained_read(uint8_t *data, size_t size)
{
	memcpy(data, gAppRetained, size < sizeof(gAppRetained) ? size : sizeof(gAppRetained));
}

/* The backup SRAM is non-cacheable (MPU region 1): the bytes are in the SRAM once the
   stores complete, which the barrier waits for. */
int board_power_retained_write(const uint8_t *data, size_t size)
{
	if (size > sizeof(gAppRetained))
		return -1;
	memcpy(gAppRetained, data, size);
	__DSB();
	return 0;
}

void board_power_count(const char *name, double amount)
{
	(void)name;
	(void)amount;
}

void board_power_mark(const char *name)
{
	(void)name;
}

/* Nothing reads a `#wake` line on the device: its console frame carries the record. */
void board_power_report(const char *json)
{
	(void)json;
}

void board_power_camera(power_camera_state state)
{
	(void)state;
}
