/*
 * h7_power_calc.c: RTC wake-up and alarm encodings, IWDG dividers, wake-reason decoding.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_power.h"
#include "h7_regs.h"

h7_power_status_t h7_rtc_wakeup_compute(uint32_t rtcclk_hz, uint64_t period_us, h7_rtc_wakeup_t *out)
{
	if (!out || rtcclk_hz == 0)
		return H7_POWER_EINVAL;
	if (period_us == 0)
		return H7_POWER_ERANGE;
	/* WUCKSEL 3 (RTC/2) is the finest; try it first, then /4, /8, /16 (codes 2, 1, 0). */
	static const uint32_t divs[4] = {2, 4, 8, 16};
	static const uint32_t codes[4] = {3, 2, 1, 0};
	for (int i = 0; i < 4; i++) {
		uint64_t f = rtcclk_hz / divs[i];
		uint64_t counts = (period_us * f + 500000u) / 1000000u;
		if (counts == 0)
			return H7_POWER_ERANGE; /* shorter than half the finest count */
		if (counts <= 65536u) {
			out->wucksel = codes[i];
			out->wut = (uint32_t)(counts - 1);
			out->actual_us = (counts * 1000000u + f / 2) / f;
			return H7_POWER_OK;
		}
	}
	uint64_t seconds = (period_us + 500000u) / 1000000u;
	if (seconds <= 65536u) {
		out->wucksel = 4; /* 10x: ck_spre */
		out->wut = (uint32_t)(seconds - 1);
	} else if (seconds <= 131072u) {
		out->wucksel = 6; /* 11x: ck_spre, 2^16 added to WUT */
		out->wut = (uint32_t)(seconds - 65537u);
	} else {
		return H7_POWER_ERANGE;
	}
	out->actual_us = seconds * 1000000u;
	return H7_POWER_OK;
}

h7_power_status_t h7_rtc_prescalers(uint32_t rtcclk_hz, uint32_t *prediv_a, uint32_t *prediv_s)
{
	if (!prediv_a || !prediv_s || rtcclk_hz == 0)
		return H7_POWER_EINVAL;
	/* ck_spre = RTCCLK / ((A + 1)(S + 1)); A is 7 bits, S is 15 bits. */
	for (uint32_t a = 128; a >= 1; a--) {
		if (rtcclk_hz % a)
			continue;
		uint32_t s = rtcclk_hz / a;
		if (s >= 1 && s <= 32768u) {
			*prediv_a = a - 1;
			*prediv_s = s - 1;
			return H7_POWER_OK;
		}
	}
	return H7_POWER_ERANGE;
}

static uint32_t bcd(int v)
{
	return (uint32_t)(((v / 10) << 4) | (v % 10));
}

h7_power_status_t h7_rtc_alarm_bits(int hours, int minutes, int seconds, uint32_t *alrmar)
{
	if (!alrmar || hours > 23 || minutes > 59 || seconds > 59)
		return H7_POWER_EINVAL;
	uint32_t v = RTC_ALRMAR_MSK4;
	v |= hours < 0 ? RTC_ALRMAR_MSK3 : bcd(hours) << 16;
	v |= minutes < 0 ? RTC_ALRMAR_MSK2 : bcd(minutes) << 8;
	v |= seconds < 0 ? RTC_ALRMAR_MSK1 : bcd(seconds);
	*alrmar = v;
	return H7_POWER_OK;
}

uint32_t h7_rtc_ms_of_day(uint32_t tr, uint32_t ssr, uint32_t prediv_s)
{
	uint32_t h = ((tr >> 20) & 3u) * 10u + ((tr >> 16) & 0xFu);
	uint32_t m = ((tr >> 12) & 7u) * 10u + ((tr >> 8) & 0xFu);
	uint32_t sec = ((tr >> 4) & 7u) * 10u + (tr & 0xFu);
	uint32_t ss = ssr & 0xFFFFu;
	/* SS may exceed PREDIV_S just after a shift operation; clamp rather than wrap. */
	uint32_t frac = ss <= prediv_s ? prediv_s - ss : 0;
	return ((h * 60u + m) * 60u + sec) * 1000u + frac * 1000u / (prediv_s + 1u);
}

uint32_t h7_rtc_elapsed_ms(uint32_t a, uint32_t b)
{
	const uint32_t day = 86400000u;
	return b >= a ? b - a : day - a + b;
}

h7_power_status_t h7_iwdg_compute(uint32_t lsi_hz, uint32_t timeout_ms, h7_iwdg_cfg_t *out)
{
	if (!out || lsi_hz == 0)
		return H7_POWER_EINVAL;
	if (timeout_ms == 0)
		return H7_POWER_ERANGE;
	for (uint32_t pr = 0; pr <= 6; pr++) {
		uint64_t div = 4u << pr;
		uint64_t counts = ((uint64_t)timeout_ms * lsi_hz + div * 500u) / (div * 1000u);
		if (counts == 0)
			counts = 1;
		if (counts <= 4096u) {
			out->pr = pr;
			out->rlr = (uint32_t)(counts - 1);
			out->actual_ms = (uint32_t)((counts * div * 1000u + lsi_hz / 2) / lsi_hz);
			return H7_POWER_OK;
		}
	}
	return H7_POWER_ERANGE;
}

h7_wake_reason_t h7_wake_decode_reset(uint32_t rsr, uint32_t cpucr, uint32_t wkupfr, uint32_t rtc_isr)
{
	h7_wake_reason_t r = {H7_WAKE_UNKNOWN, (cpucr & PWR_CPUCR_SBF) != 0, -1};
	/* RM0433 8.4.4 Table 55: a power-on sets every flag, so test the strongest cause first;
	 * watchdog and software resets also set PINRSTF (the reset drives NRST low). */
	if (rsr & RCC_RSR_PORRSTF)
		r.cause = H7_WAKE_POWER_ON, r.from_standby = false;
	else if (rsr & RCC_RSR_BORRSTF)
		r.cause = H7_WAKE_BROWNOUT, r.from_standby = false;
	else if (rsr & RCC_RSR_IWDG1RSTF)
		r.cause = H7_WAKE_IWDG;
	else if (rsr & RCC_RSR_WWDG1RSTF)
		r.cause = H7_WAKE_WWDG;
	else if (rsr & RCC_RSR_LPWRRSTF)
		r.cause = H7_WAKE_LOW_POWER_ERROR;
	else if (r.from_standby) {
		if (rtc_isr & RTC_ISR_WUTF)
			r.cause = H7_WAKE_RTC_WAKEUP;
		else if (rtc_isr & (RTC_ISR_ALRAF | H7_BIT(9)))
			r.cause = H7_WAKE_RTC_ALARM;
		else if (wkupfr & 0x3Fu) {
			r.cause = H7_WAKE_PIN;
			for (int i = 0; i < 6; i++)
				if (wkupfr & H7_BIT(i)) {
					r.pin = i + 1;
					break;
				}
		} else
			r.cause = H7_WAKE_STANDBY_OTHER;
	} else if (rsr & RCC_RSR_SFTRSTF)
		r.cause = H7_WAKE_SOFTWARE;
	else if (rsr & RCC_RSR_PINRSTF)
		r.cause = H7_WAKE_PIN_RESET;
	return r;
}

h7_wake_reason_t h7_wake_decode_stop(uint32_t exti_pr1, uint32_t rtc_isr, uint32_t armed_lines)
{
	h7_wake_reason_t r = {H7_WAKE_UNKNOWN, false, -1};
	uint32_t pins = exti_pr1 & armed_lines & EXTI_LINES_GPIO;
	if (pins) {
		r.cause = H7_WAKE_PIN;
		for (int i = 0; i < 16; i++)
			if (pins & H7_BIT(i)) {
				r.pin = i;
				break;
			}
	} else if ((exti_pr1 & H7_BIT(EXTI_LINE_RTC_WAKEUP)) || (rtc_isr & RTC_ISR_WUTF))
		r.cause = H7_WAKE_RTC_WAKEUP;
	else if ((exti_pr1 & H7_BIT(EXTI_LINE_RTC_ALARM)) || (rtc_isr & RTC_ISR_ALRAF))
		r.cause = H7_WAKE_RTC_ALARM;
	return r;
}

int h7_exti_irqn(unsigned line)
{
	if (line <= 4)
		return 6 + (int)line; /* EXTI0 .. EXTI4 */
	if (line <= 9)
		return 23; /* EXTI9_5 */
	if (line <= 15)
		return 40; /* EXTI15_10 */
	return -1;
}

bool h7_rtc_configured(uint32_t bdcr, uint32_t prer, uint32_t mark, uint32_t lse_hz)
{
	uint32_t a, s;
	if (h7_rtc_prescalers(lse_hz, &a, &s) != H7_POWER_OK)
		return false;
	return (bdcr & RCC_BDCR_RTCEN) && (bdcr & RCC_BDCR_LSERDY) &&
	        ((bdcr & RCC_BDCR_RTCSEL_Msk) >> RCC_BDCR_RTCSEL_Pos) == 1u && (prer & 0x007F7FFFu) == ((a << 16) | s) &&
	        mark == H7_RTC_MARK;
}

const char *h7_wake_cause_name(h7_wake_cause_t cause)
{
	switch (cause) {
	case H7_WAKE_POWER_ON: return "power-on";
	case H7_WAKE_BROWNOUT: return "brown-out";
	case H7_WAKE_PIN_RESET: return "reset-pin";
	case H7_WAKE_SOFTWARE: return "software";
	case H7_WAKE_IWDG: return "watchdog";
	case H7_WAKE_WWDG: return "window-watchdog";
	case H7_WAKE_LOW_POWER_ERROR: return "low-power-error";
	case H7_WAKE_RTC_WAKEUP: return "rtc-wakeup";
	case H7_WAKE_RTC_ALARM: return "rtc-alarm";
	case H7_WAKE_PIN: return "pin";
	case H7_WAKE_STANDBY_OTHER: return "standby-other";
	default: return "unknown";
	}
}
