/*
 * test_h7_power.c: RTC wake-up/alarm encodings, IWDG dividers and wake-reason
 * decoding, checked against hand calculations from RM0433 chapters 8, 45, 46.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_power.h"
#include "h7_regs.h"
#include "unit.h"

UNIT_TEST(wakeup_short_periods_use_rtcclk_div2)
{
	/* 1 ms at 32768/2 = 16384 Hz: 16.384 counts -> 16, WUT 15, actual 976.6 us. */
	h7_rtc_wakeup_t w;
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 1000, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 3);
	UNIT_EQ_INT(w.wut, 15);
	UNIT_EQ_INT(w.actual_us, 977);
	/* 4 s exactly fills the 16-bit counter at /2: 65536 counts, WUT 0xFFFF. */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 4000000, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 3);
	UNIT_EQ_INT(w.wut, 0xFFFF);
}

UNIT_TEST(wakeup_medium_periods_step_the_divider)
{
	h7_rtc_wakeup_t w;
	/* 5 s: too long for /2 (max 4 s), fits /4 (8192 Hz): 40960 counts. */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 5000000, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 2);
	UNIT_EQ_INT(w.wut, 40959);
	UNIT_EQ_INT(w.actual_us, 5000000);
	/* 30 s: /16 (2048 Hz) -> 61440 counts. */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 30000000, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 0);
	UNIT_EQ_INT(w.wut, 61439);
}

UNIT_TEST(wakeup_long_periods_use_ck_spre)
{
	h7_rtc_wakeup_t w;
	/* 60 s: beyond /16's 32 s -> 1 Hz ck_spre, WUT 59. */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 60000000, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 4);
	UNIT_EQ_INT(w.wut, 59);
	UNIT_EQ_INT(w.actual_us, 60000000);
	/* 65536 s is the last 10x value; 65537 s switches to 11x with WUT 0. */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 65536000000ull, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 4);
	UNIT_EQ_INT(w.wut, 65535);
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 65537000000ull, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 6);
	UNIT_EQ_INT(w.wut, 0);
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 131072000000ull, &w), H7_POWER_OK);
	UNIT_EQ_INT(w.wucksel, 6);
	UNIT_EQ_INT(w.wut, 65535);
}

UNIT_TEST(wakeup_range_errors)
{
	h7_rtc_wakeup_t w;
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 0, &w), H7_POWER_ERANGE);
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 20, &w), H7_POWER_ERANGE); /* < half a 61 us count */
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 131073000000ull, &w), H7_POWER_ERANGE);
	UNIT_EQ_INT(h7_rtc_wakeup_compute(0, 1000, &w), H7_POWER_EINVAL);
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 1000, NULL), H7_POWER_EINVAL);
}

UNIT_TEST(rtc_prescalers_give_1hz)
{
	uint32_t a, s;
	UNIT_EQ_INT(h7_rtc_prescalers(32768, &a, &s), H7_POWER_OK);
	UNIT_EQ_INT(a, 127);
	UNIT_EQ_INT(s, 255);
	/* LSI at 32000 Hz: 32000 / 128 = 250 -> A = 127, S = 249. */
	UNIT_EQ_INT(h7_rtc_prescalers(32000, &a, &s), H7_POWER_OK);
	UNIT_EQ_INT(a, 127);
	UNIT_EQ_INT(s, 249);
	/* 40000 Hz (LSI upper bound): 128 does not divide it; 125 does -> S + 1 = 320. */
	UNIT_EQ_INT(h7_rtc_prescalers(40000, &a, &s), H7_POWER_OK);
	UNIT_EQ_INT(a, 124);
	UNIT_EQ_INT(s, 319);
}

UNIT_TEST(alarm_bits_are_bcd_with_masks)
{
	uint32_t v;
	UNIT_EQ_INT(h7_rtc_alarm_bits(23, 59, 7, &v), H7_POWER_OK);
	UNIT_EQ_INT(v, RTC_ALRMAR_MSK4 | (0x23u << 16) | (0x59u << 8) | 0x07u);
	/* Every minute at second 30: hours and minutes don't care. */
	UNIT_EQ_INT(h7_rtc_alarm_bits(-1, -1, 30, &v), H7_POWER_OK);
	UNIT_EQ_INT(v, RTC_ALRMAR_MSK4 | RTC_ALRMAR_MSK3 | RTC_ALRMAR_MSK2 | 0x30u);
	UNIT_EQ_INT(h7_rtc_alarm_bits(24, 0, 0, &v), H7_POWER_EINVAL);
	UNIT_EQ_INT(h7_rtc_alarm_bits(0, 60, 0, &v), H7_POWER_EINVAL);
}

UNIT_TEST(iwdg_dividers)
{
	h7_iwdg_cfg_t c;
	/* 1 s at 32 kHz: /4 -> 8000 counts too many; /8 -> 4000 counts, RLR 3999. */
	UNIT_EQ_INT(h7_iwdg_compute(32000, 1000, &c), H7_POWER_OK);
	UNIT_EQ_INT(c.pr, 1);
	UNIT_EQ_INT(c.rlr, 3999);
	UNIT_EQ_INT(c.actual_ms, 1000);
	/* 30 s: /256 -> 3750 counts. */
	UNIT_EQ_INT(h7_iwdg_compute(32000, 30000, &c), H7_POWER_OK);
	UNIT_EQ_INT(c.pr, 6);
	UNIT_EQ_INT(c.rlr, 3749);
	/* 32.768 s is the ceiling (4096 * 256 / 32000). */
	UNIT_EQ_INT(h7_iwdg_compute(32000, 32768, &c), H7_POWER_OK);
	UNIT_EQ_INT(c.rlr, 4095);
	UNIT_EQ_INT(h7_iwdg_compute(32000, 33000, &c), H7_POWER_ERANGE);
	UNIT_EQ_INT(h7_iwdg_compute(32000, 0, &c), H7_POWER_ERANGE);
}

UNIT_TEST(reset_reasons)
{
	h7_wake_reason_t r;
	/* Power-on sets nearly every flag (RM0433 Table 55); it wins. */
	r = h7_wake_decode_reset(RCC_RSR_PORRSTF | RCC_RSR_BORRSTF | RCC_RSR_PINRSTF | RCC_RSR_D1RSTF | RCC_RSR_D2RSTF |
	                                 RCC_RSR_CPURSTF,
	                         0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_POWER_ON);
	UNIT_EQ_INT(r.from_standby, 0);
	r = h7_wake_decode_reset(RCC_RSR_BORRSTF | RCC_RSR_PINRSTF, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_BROWNOUT);
	/* Watchdog and software resets also pull NRST: PINRSTF is set with them. */
	r = h7_wake_decode_reset(RCC_RSR_IWDG1RSTF | RCC_RSR_PINRSTF | RCC_RSR_CPURSTF, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_IWDG);
	r = h7_wake_decode_reset(RCC_RSR_SFTRSTF | RCC_RSR_PINRSTF, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_SOFTWARE);
	r = h7_wake_decode_reset(RCC_RSR_PINRSTF | RCC_RSR_CPURSTF, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN_RESET);
	r = h7_wake_decode_reset(RCC_RSR_LPWRRSTF, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_LOW_POWER_ERROR);
	r = h7_wake_decode_reset(0, 0, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_UNKNOWN);
	UNIT_ASSERT(h7_wake_cause_name(H7_WAKE_IWDG)[0] == 'w');
}

UNIT_TEST(standby_wake_sources)
{
	h7_wake_reason_t r;
	r = h7_wake_decode_reset(RCC_RSR_D1RSTF | RCC_RSR_D2RSTF, PWR_CPUCR_SBF, 0, RTC_ISR_WUTF);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_WAKEUP);
	UNIT_EQ_INT(r.from_standby, 1);
	r = h7_wake_decode_reset(RCC_RSR_D1RSTF, PWR_CPUCR_SBF, 0, RTC_ISR_ALRAF);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_ALARM);
	r = h7_wake_decode_reset(RCC_RSR_D1RSTF, PWR_CPUCR_SBF, 1u << 3, 0); /* WKUPF4 */
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN);
	UNIT_EQ_INT(r.pin, 4);
	r = h7_wake_decode_reset(0, PWR_CPUCR_SBF, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_STANDBY_OTHER);
	/* A watchdog that bit during Standby is reported as the watchdog, still from Standby. */
	r = h7_wake_decode_reset(RCC_RSR_IWDG1RSTF | RCC_RSR_PINRSTF, PWR_CPUCR_SBF, 0, RTC_ISR_WUTF);
	UNIT_EQ_INT(r.cause, H7_WAKE_IWDG);
	UNIT_EQ_INT(r.from_standby, 1);
}

UNIT_TEST(stop_wake_sources)
{
	h7_wake_reason_t r;
	r = h7_wake_decode_stop(1u << EXTI_LINE_RTC_WAKEUP, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_WAKEUP);
	r = h7_wake_decode_stop(1u << EXTI_LINE_RTC_ALARM, 0, 0);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_ALARM);
	r = h7_wake_decode_stop(1u << 13, 0, 1u << 13);
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN);
	UNIT_EQ_INT(r.pin, 13);
	r = h7_wake_decode_stop(0, 0, 1u << 13);
	UNIT_EQ_INT(r.cause, H7_WAKE_UNKNOWN);
}

UNIT_TEST(stop_wake_pin_with_a_timeout_is_the_pin)
{
	/* Stop with a pin and a timeout: the pin's line and the RTC's both pending when the flags
	 * are read is the pin (it woke the core, or came as the period ended), never the RTC. */
	h7_wake_reason_t r = h7_wake_decode_stop((1u << 2) | (1u << EXTI_LINE_RTC_WAKEUP), RTC_ISR_WUTF, 1u << 2);
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN);
	UNIT_EQ_INT(r.pin, 2);
	/* A line that was not armed for this Stop is no wake pin: the RTC's period ended it. */
	r = h7_wake_decode_stop((1u << 2) | (1u << EXTI_LINE_RTC_WAKEUP), RTC_ISR_WUTF, 1u << 13);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_WAKEUP);
	UNIT_EQ_INT(r.pin, -1);
	/* The RTC's line (19) is no GPIO's even when it is in the armed mask. */
	r = h7_wake_decode_stop(1u << EXTI_LINE_RTC_WAKEUP, 0, 0xFFFFFFFFu);
	UNIT_EQ_INT(r.cause, H7_WAKE_RTC_WAKEUP);
}

UNIT_TEST(exti_lines_to_nvic_vectors)
{
	/* RM0433 Table 139: EXTI0..4 at positions 6..10, EXTI9_5 at 23, EXTI15_10 at 40. */
	static const int want[16] = {6, 7, 8, 9, 10, 23, 23, 23, 23, 23, 40, 40, 40, 40, 40, 40};
	for (unsigned line = 0; line < 16; line++)
		UNIT_EQ_INT(h7_exti_irqn(line), want[line]);
	UNIT_EQ_INT(h7_exti_irqn(16), -1);
	UNIT_EQ_INT(h7_exti_irqn(EXTI_LINE_RTC_WAKEUP), -1);
}

UNIT_TEST(rtc_configured_only_as_this_board_sets_it)
{
	const uint32_t bdcr = RCC_BDCR_LSEON | RCC_BDCR_LSERDY | (2u << RCC_BDCR_LSEDRV_Pos) | (1u << RCC_BDCR_RTCSEL_Pos) |
	        RCC_BDCR_RTCEN;
	const uint32_t prer = (127u << 16) | 255u; /* 32768 / 128 / 256 = 1 Hz */
	UNIT_ASSERT(h7_rtc_configured(bdcr, prer, H7_RTC_MARK, 32768));
	/* Whatever RTC_ISR says: INITS (a year was set) is not asked. A Standby wake keeps it all. */
	UNIT_ASSERT(!h7_rtc_configured(bdcr & ~RCC_BDCR_RTCEN, prer, H7_RTC_MARK, 32768));
	UNIT_ASSERT(!h7_rtc_configured(bdcr & ~RCC_BDCR_LSERDY, prer, H7_RTC_MARK, 32768));
	UNIT_ASSERT(!h7_rtc_configured((bdcr & ~RCC_BDCR_RTCSEL_Msk) | (2u << RCC_BDCR_RTCSEL_Pos), prer, H7_RTC_MARK,
	                               32768)); /* LSI */
	UNIT_ASSERT(!h7_rtc_configured(bdcr, (127u << 16) | 249u, H7_RTC_MARK, 32768));
	UNIT_ASSERT(!h7_rtc_configured(bdcr, (126u << 16) | 255u, H7_RTC_MARK, 32768));
	/* The backup domain's reset values (PRER 0x007F00FF is also the LSE's 1 Hz) without the mark
	 * the set-up writes last: not configured. */
	UNIT_ASSERT(!h7_rtc_configured(bdcr, 0x007F00FFu, 0, 32768));
	UNIT_ASSERT(!h7_rtc_configured(0, 0x007F00FFu, 0, 32768));
}

UNIT_TEST(rtc_time_of_day_and_elapsed)
{
	/* 13:45:07 and SS = 191 with PREDIV_S = 255: 64/256 s = 250 ms past the second. */
	uint32_t tr = (0x13u << 16) | (0x45u << 8) | 0x07u;
	UNIT_EQ_INT(h7_rtc_ms_of_day(tr, 191, 255), ((13 * 60 + 45) * 60 + 7) * 1000 + 250);
	UNIT_EQ_INT(h7_rtc_ms_of_day(0, 255, 255), 0);
	UNIT_EQ_INT(h7_rtc_ms_of_day((0x23u << 16) | (0x59u << 8) | 0x59u, 0, 255), 86399000 + 996);
	UNIT_EQ_INT(h7_rtc_ms_of_day(0, 300, 255), 0); /* SS above PREDIV_S after a shift */
	UNIT_EQ_INT(h7_rtc_elapsed_ms(1000, 61000), 60000);
	UNIT_EQ_INT(h7_rtc_elapsed_ms(86399000, 4000), 5000); /* across midnight */
	UNIT_EQ_INT(h7_rtc_elapsed_ms(5, 5), 0);
}

int main(void)
{
	UNIT_RUN(rtc_time_of_day_and_elapsed);
	UNIT_RUN(wakeup_short_periods_use_rtcclk_div2);
	UNIT_RUN(wakeup_medium_periods_step_the_divider);
	UNIT_RUN(wakeup_long_periods_use_ck_spre);
	UNIT_RUN(wakeup_range_errors);
	UNIT_RUN(rtc_prescalers_give_1hz);
	UNIT_RUN(alarm_bits_are_bcd_with_masks);
	UNIT_RUN(iwdg_dividers);
	UNIT_RUN(reset_reasons);
	UNIT_RUN(standby_wake_sources);
	UNIT_RUN(stop_wake_sources);
	UNIT_RUN(stop_wake_pin_with_a_timeout_is_the_pin);
	UNIT_RUN(exti_lines_to_nvic_vectors);
	UNIT_RUN(rtc_configured_only_as_this_board_sets_it);
	return unit_done();
}
