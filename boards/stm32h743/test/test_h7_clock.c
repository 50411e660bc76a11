/*
 * test_h7_clock.c: PLL1 dividers, voltage scale, bus dividers and flash wait
 * states against cases worked by hand from RM0433/DS12110.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_clock.h"
#include "unit.h"

UNIT_TEST(hse_25mhz_to_480mhz)
{
	/* By hand: 25 MHz / 5 = 5 MHz (range 4-8 MHz), x192 = 960 MHz (wide VCO max), / 2 = 480.
	 * M = 1..4 give 25, 12.5, 8.33 (not exact), 6.25 MHz: none reaches 480 with an even P
	 * and N <= 512 inside 192-960 MHz, so 5 MHz is the highest usable reference. */
	h7_pll_t p;
	UNIT_EQ_INT(h7_pll_solve(25000000, 480000000, 240000000, 0, &p), H7_CLOCK_OK);
	UNIT_EQ_INT(p.m, 5);
	UNIT_EQ_INT(p.n, 192);
	UNIT_EQ_INT(p.p, 2);
	UNIT_EQ_INT(p.q, 4);
	UNIT_EQ_INT(p.q_hz, 240000000);
	UNIT_EQ_INT(p.r, 0);
	UNIT_EQ_INT(p.rge, 2);
	UNIT_EQ_INT(p.vcosel, 0);
	UNIT_EQ_INT(p.vco_hz, 960000000);
}

UNIT_TEST(hse_8mhz_to_480mhz)
{
	/* 8 MHz / 1 = 8 MHz (range 8-16 MHz, RGE = 3), x120 = 960 MHz, / 2. */
	h7_pll_t p;
	UNIT_EQ_INT(h7_pll_solve(8000000, 480000000, 0, 0, &p), H7_CLOCK_OK);
	UNIT_EQ_INT(p.m, 1);
	UNIT_EQ_INT(p.n, 120);
	UNIT_EQ_INT(p.p, 2);
	UNIT_EQ_INT(p.rge, 3);
	UNIT_EQ_INT(p.q, 0);
}

UNIT_TEST(hse_12mhz_to_400mhz_prefers_lowest_vco)
{
	/* 12 MHz reference: 400 MHz needs VCO = 400 * P with N = VCO / 12 whole:
	 * P = 2 -> 800/12 no; P = 4 -> 1600 > 960; so M = 1 fails. M = 2 (6 MHz): P = 2 -> 800/6 no;
	 * M = 3 (4 MHz): P = 2 -> N = 200, VCO 800 MHz. */
	h7_pll_t p;
	UNIT_EQ_INT(h7_pll_solve(12000000, 400000000, 0, 200000000, &p), H7_CLOCK_OK);
	UNIT_EQ_INT(p.m, 3);
	UNIT_EQ_INT(p.n, 200);
	UNIT_EQ_INT(p.p, 2);
	UNIT_EQ_INT(p.r, 4);
	UNIT_EQ_INT(p.rge, 2);
}

UNIT_TEST(every_solution_respects_the_limits)
{
	/* Sweep HSE and targets; every answer must reproduce the target exactly within limits. */
	static const uint32_t hses[] = {4000000, 8000000, 10000000, 12000000, 16000000, 24000000, 25000000, 48000000};
	int solved = 0;
	for (unsigned i = 0; i < sizeof hses / sizeof hses[0]; i++) {
		for (uint32_t target = 16000000; target <= 480000000; target += 8000000) {
			h7_pll_t p;
			int status = h7_pll_solve(hses[i], target, 0, 0, &p);
			if (status == H7_CLOCK_ENOSOLUTION)
				continue;
			UNIT_EQ_INT(status, H7_CLOCK_OK);
			solved++;
			UNIT_EQ_INT((uint64_t)hses[i] / p.m * p.n / p.p, target);
			UNIT_EQ_INT(hses[i] % p.m, 0);
			UNIT_ASSERT(p.m >= 1 && p.m <= 63);
			UNIT_ASSERT(p.n >= 4 && p.n <= 512);
			UNIT_ASSERT(p.p >= 2 && p.p <= 128 && p.p % 2 == 0);
			UNIT_ASSERT(p.ref_hz >= H7_PLL_REF_MIN_HZ && p.ref_hz <= H7_PLL_REF_MAX_HZ);
			if (p.vcosel == 0)
				UNIT_ASSERT(p.ref_hz >= 2000000 && p.vco_hz >= H7_VCO_WIDE_MIN_HZ && p.vco_hz <= H7_VCO_WIDE_MAX_HZ);
			else
				UNIT_ASSERT(p.ref_hz < 2000000 && p.vco_hz >= H7_VCO_MEDIUM_MIN_HZ && p.vco_hz <= H7_VCO_MEDIUM_MAX_HZ);
			/* RGE brackets the reference. */
			static const uint32_t lo[] = {1000000, 2000000, 4000000, 8000000};
			UNIT_ASSERT(p.ref_hz >= lo[p.rge] && (p.rge == 3 || p.ref_hz < lo[p.rge + 1]));
		}
	}
	UNIT_ASSERT(solved > 200);
}

UNIT_TEST(impossible_targets_are_errors)
{
	h7_pll_t p;
	UNIT_EQ_INT(h7_pll_solve(25000000, 481000000, 0, 0, &p), H7_CLOCK_ETOOFAST);
	/* 479 MHz is prime-ish against 25 MHz: VCO = 479 * P never divides by a usable reference. */
	UNIT_EQ_INT(h7_pll_solve(25000000, 479000000, 0, 0, &p), H7_CLOCK_ENOSOLUTION);
	UNIT_EQ_INT(h7_pll_solve(3000000, 480000000, 0, 0, &p), H7_CLOCK_EINVAL);  /* HSE below 4 MHz */
	UNIT_EQ_INT(h7_pll_solve(51000000, 480000000, 0, 0, &p), H7_CLOCK_EINVAL); /* HSE above 50 MHz */
	UNIT_EQ_INT(h7_pll_solve(25000000, 0, 0, 0, &p), H7_CLOCK_EINVAL);
	UNIT_EQ_INT(h7_pll_solve(25000000, 480000000, 0, 0, NULL), H7_CLOCK_EINVAL);
	/* A Q limit no divider up to 128 meets is no solution. */
	UNIT_EQ_INT(h7_pll_solve(25000000, 480000000, 1000000, 0, &p), H7_CLOCK_ENOSOLUTION);
}

UNIT_TEST(voltage_scale_by_frequency)
{
	h7_vos_t v;
	UNIT_EQ_INT(h7_vos_for_sysclk(480000000, &v), H7_CLOCK_OK);
	UNIT_EQ_INT(v, H7_VOS0);
	UNIT_EQ_INT(h7_vos_for_sysclk(400000000, &v), H7_CLOCK_OK);
	UNIT_EQ_INT(v, H7_VOS1);
	UNIT_EQ_INT(h7_vos_for_sysclk(400000001, &v), H7_CLOCK_OK);
	UNIT_EQ_INT(v, H7_VOS0);
	UNIT_EQ_INT(h7_vos_for_sysclk(300000000, &v), H7_CLOCK_OK);
	UNIT_EQ_INT(v, H7_VOS2);
	UNIT_EQ_INT(h7_vos_for_sysclk(64000000, &v), H7_CLOCK_OK);
	UNIT_EQ_INT(v, H7_VOS3);
	UNIT_EQ_INT(h7_vos_for_sysclk(480000001, &v), H7_CLOCK_ETOOFAST);
}

UNIT_TEST(flash_wait_states_table)
{
	uint32_t ws, wr;
	/* 480 MHz: AXI 240 MHz at VOS0 -> 4 WS, WRHIGHFREQ 2 (RM0433 Table 17, last VOS0 row). */
	UNIT_EQ_INT(h7_flash_latency(H7_VOS0, 240000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 4);
	UNIT_EQ_INT(wr, 2);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS1, 200000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 2);
	UNIT_EQ_INT(wr, 2);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS1, 185000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 2);
	UNIT_EQ_INT(wr, 1);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS1, 70000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 0);
	UNIT_EQ_INT(wr, 0);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS1, 70000001, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 1);
	UNIT_EQ_INT(wr, 1);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS3, 100000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 2);
	UNIT_EQ_INT(wr, 1);
	UNIT_EQ_INT(h7_flash_latency(H7_VOS2, 150000000, &ws, &wr), H7_CLOCK_OK);
	UNIT_EQ_INT(ws, 2);
	UNIT_EQ_INT(wr, 1);
	/* VOS1 cannot clock the AXI bus at 240 MHz. */
	UNIT_EQ_INT(h7_flash_latency(H7_VOS1, 240000000, &ws, &wr), H7_CLOCK_ETOOFAST);
}

UNIT_TEST(bus_dividers_for_480mhz)
{
	h7_buses_t b;
	UNIT_EQ_INT(h7_buses_for_sysclk(480000000, &b), H7_CLOCK_OK);
	UNIT_EQ_INT(b.vos, H7_VOS0);
	UNIT_EQ_INT(b.hpre, 2);
	UNIT_EQ_INT(b.hclk_hz, 240000000);
	UNIT_EQ_INT(b.ppre, 2);
	UNIT_EQ_INT(b.pclk_hz, 120000000);
	UNIT_EQ_INT(b.latency, 4);
	UNIT_EQ_INT(b.wrhighfreq, 2);
	UNIT_EQ_INT(h7_buses_for_sysclk(64000000, &b), H7_CLOCK_OK);
	UNIT_EQ_INT(b.vos, H7_VOS3);
	UNIT_EQ_INT(b.hpre, 1);
	UNIT_EQ_INT(b.ppre, 2); /* APB limit at VOS3 is 50 MHz */
	UNIT_EQ_INT(b.latency, 1);
}

UNIT_TEST(prescaler_encodings)
{
	UNIT_EQ_INT(h7_hpre_bits(1), 0);
	UNIT_EQ_INT(h7_hpre_bits(2), 8);
	UNIT_EQ_INT(h7_hpre_bits(512), 15);
	UNIT_EQ_INT(h7_hpre_bits(32), 0xFFFFFFFFu);
	UNIT_EQ_INT(h7_ppre_bits(2), 4);
	UNIT_EQ_INT(h7_ppre_bits(16), 7);
	UNIT_EQ_INT(h7_ppre_bits(3), 0xFFFFFFFFu);
	/* 120 MHz APB1 / 115200 baud = 1041.67 -> 1042 */
	UNIT_EQ_INT(h7_usart_brr(120000000, 115200), 1042);
}

UNIT_TEST(silicon_revision_caps_the_clock)
{
	/* DBGMCU_IDC: REV_ID 31:16, DEV_ID 0x450 (STM32H743) in 11:0. */
	const uint32_t rev_v = (H7_REV_V << 16) | 0x450u, rev_y = (H7_REV_Y << 16) | 0x450u;
	UNIT_EQ_INT(h7_sysclk_for_rev(rev_v, 480000000), 480000000);
	UNIT_EQ_INT(h7_sysclk_for_rev(rev_y, 480000000), 400000000);
	UNIT_EQ_INT(h7_sysclk_for_rev(rev_y, 400000000), 400000000);
	UNIT_EQ_INT(h7_sysclk_for_rev(rev_y, 200000000), 200000000);                      /* a slower target stays */
	UNIT_EQ_INT(h7_sysclk_for_rev(0x450u, 480000000), 400000000);                     /* an unknown, older revision */
	UNIT_EQ_INT(h7_sysclk_for_rev((0x2003u << 16) + 0x10000u, 480000000), 480000000); /* a later one */
	/* Capped, the clock is VOS1's: no overdrive on revision Y. */
	h7_buses_t b;
	UNIT_EQ_INT(h7_buses_for_sysclk(h7_sysclk_for_rev(rev_y, 480000000), &b), H7_CLOCK_OK);
	UNIT_EQ_INT(b.vos, H7_VOS1);
	UNIT_EQ_INT(b.hclk_hz, 200000000);
	UNIT_EQ_INT(b.pclk_hz, 100000000);
}

UNIT_TEST(console_divisor_follows_the_clock)
{
	/* 115200 baud: 1042 at the PLL's 120 MHz APB1; on the 64 MHz HSI (HSE failed at a Stop exit)
	 * 556, where 1042 would give 64e6 / 1042 = 61.4 kbaud. */
	UNIT_EQ_INT(h7_usart_brr(120000000, 115200), 1042);
	UNIT_EQ_INT(h7_usart_brr(64000000, 115200), 556);
	UNIT_EQ_INT(h7_usart_brr(100000000, 115200), 868);
}

int main(void)
{
	UNIT_RUN(hse_25mhz_to_480mhz);
	UNIT_RUN(hse_8mhz_to_480mhz);
	UNIT_RUN(hse_12mhz_to_400mhz_prefers_lowest_vco);
	UNIT_RUN(every_solution_respects_the_limits);
	UNIT_RUN(impossible_targets_are_errors);
	UNIT_RUN(voltage_scale_by_frequency);
	UNIT_RUN(flash_wait_states_table);
	UNIT_RUN(bus_dividers_for_480mhz);
	UNIT_RUN(prescaler_encodings);
	UNIT_RUN(silicon_revision_caps_the_clock);
	UNIT_RUN(console_divisor_follows_the_clock);
	return unit_done();
}
