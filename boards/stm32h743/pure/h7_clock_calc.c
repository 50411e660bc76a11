/*
 * h7_clock_calc.c: PLL1 divider search, voltage scale, bus dividers and flash
 * wait states for the STM32H743 (pure C, no registers touched).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_clock.h"

#include <stddef.h>

/* DS12110 "General operating conditions" (rev V): maximum CPU and AXI/AHB clocks per scale. */
static const struct {
	h7_vos_t vos;
	uint32_t sys_max, hclk_max;
} scales[] = {
        {H7_VOS3, 200000000u, 100000000u},
        {H7_VOS2, 300000000u, 150000000u},
        {H7_VOS1, 400000000u, 200000000u},
        {H7_VOS0, 480000000u, 240000000u},
};

h7_clock_status_t h7_vos_for_sysclk(uint32_t sysclk_hz, h7_vos_t *out)
{
	if (!out || sysclk_hz == 0)
		return H7_CLOCK_EINVAL;
	for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++) {
		if (sysclk_hz <= scales[i].sys_max) {
			*out = scales[i].vos;
			return H7_CLOCK_OK;
		}
	}
	return H7_CLOCK_ETOOFAST;
}

uint32_t h7_sysclk_for_rev(uint32_t dbgmcu_idcode, uint32_t wanted_hz)
{
	uint32_t rev = dbgmcu_idcode >> 16;
	const uint32_t vos1_max = 400000000u;
	return rev < H7_REV_V && wanted_hz > vos1_max ? vos1_max : wanted_hz;
}

static uint32_t hclk_max(h7_vos_t vos)
{
	for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
		if (scales[i].vos == vos)
			return scales[i].hclk_max;
	return 0;
}

/* RM0433 Table 17 "FLASH recommended number of wait states and programming delay":
 * upper AXI clock bound of each row, per scale; 0 ends a column. */
typedef struct {
	uint32_t max_hz;
	uint8_t latency, wrhighfreq;
} flash_row_t;
static const flash_row_t rows_vos01[] = {
        {70000000u, 0, 0},  {140000000u, 1, 1}, {185000000u, 2, 1}, {210000000u, 2, 2},
        {225000000u, 3, 2}, {240000000u, 4, 2}, {0, 0, 0},
};
static const flash_row_t rows_vos2[] = {
        {55000000u, 0, 0}, {110000000u, 1, 1}, {165000000u, 2, 1}, {225000000u, 3, 2}, {0, 0, 0},
};
static const flash_row_t rows_vos3[] = {
        {45000000u, 0, 0}, {90000000u, 1, 1}, {135000000u, 2, 1}, {180000000u, 3, 2}, {225000000u, 4, 2}, {0, 0, 0},
};

h7_clock_status_t h7_flash_latency(h7_vos_t vos, uint32_t hclk_hz, uint32_t *latency, uint32_t *wrhighfreq)
{
	if (!latency || !wrhighfreq || hclk_hz == 0)
		return H7_CLOCK_EINVAL;
	const flash_row_t *rows;
	switch (vos) {
	case H7_VOS0:
	case H7_VOS1: rows = rows_vos01; break;
	case H7_VOS2: rows = rows_vos2; break;
	case H7_VOS3: rows = rows_vos3; break;
	default: return H7_CLOCK_EINVAL;
	}
	/* The table's VOS1 column stops where VOS1's AXI limit does; a faster clock needs VOS0. */
	if (hclk_hz > hclk_max(vos))
		return H7_CLOCK_ETOOFAST;
	for (; rows->max_hz; rows++) {
		if (hclk_hz <= rows->max_hz) {
			*latency = rows->latency;
			*wrhighfreq = rows->wrhighfreq;
			return H7_CLOCK_OK;
		}
	}
	return H7_CLOCK_ETOOFAST;
}

h7_clock_status_t h7_buses_for_sysclk(uint32_t sysclk_hz, h7_buses_t *out)
{
	if (!out)
		return H7_CLOCK_EINVAL;
	h7_vos_t vos;
	h7_clock_status_t status = h7_vos_for_sysclk(sysclk_hz, &vos);
	if (status != H7_CLOCK_OK)
		return status;
	uint32_t hmax = hclk_max(vos);
	uint32_t hpre = 1;
	while (sysclk_hz / hpre > hmax || sysclk_hz % hpre) {
		hpre *= 2;
		if (hpre > 512)
			return H7_CLOCK_ENOSOLUTION;
	}
	uint32_t hclk = sysclk_hz / hpre;
	/* APB clocks are limited to half the scale's AXI maximum (DS12110: 120 MHz at VOS0). */
	uint32_t ppre = 1;
	while (hclk / ppre > hmax / 2) {
		ppre *= 2;
		if (ppre > 16)
			return H7_CLOCK_ENOSOLUTION;
	}
	out->vos = vos;
	out->hpre = hpre;
	out->ppre = ppre;
	out->hclk_hz = hclk;
	out->pclk_hz = hclk / ppre;
	return h7_flash_latency(vos, hclk, &out->latency, &out->wrhighfreq);
}

uint32_t h7_hpre_bits(uint32_t divider)
{
	/* 0xxx: /1, 1000: /2, 1001: /4, ... 1111: /512 */
	switch (divider) {
	case 1: return 0;
	case 2: return 8;
	case 4: return 9;
	case 8: return 10;
	case 16: return 11;
	case 64: return 12;
	case 128: return 13;
	case 256: return 14;
	case 512: return 15;
	default: return 0xFFFFFFFFu; /* /32 does not exist on the H7 */
	}
}

uint32_t h7_ppre_bits(uint32_t divider)
{
	/* 0xx: /1, 100: /2, 101: /4, 110: /8, 111: /16 */
	switch (divider) {
	case 1: return 0;
	case 2: return 4;
	case 4: return 5;
	case 8: return 6;
	case 16: return 7;
	default: return 0xFFFFFFFFu;
	}
}

static uint32_t rge_for(uint32_t ref_hz)
{
	if (ref_hz < 2000000u)
		return 0;
	if (ref_hz < 4000000u)
		return 1;
	if (ref_hz < 8000000u)
		return 2;
	return 3;
}

static uint32_t divider_for(uint32_t vco_hz, uint32_t max_hz)
{
	if (max_hz == 0)
		return 0;
	uint32_t d = (vco_hz + max_hz - 1) / max_hz; /* smallest divider with vco/d <= max */
	if (d < 1)
		d = 1;
	return d <= 128 ? d : 0xFFFFFFFFu;
}

h7_clock_status_t h7_pll_solve(uint32_t hse_hz, uint32_t sysclk_hz, uint32_t q_max_hz, uint32_t r_max_hz, h7_pll_t *out)
{
	if (!out || hse_hz < H7_HSE_MIN_HZ || hse_hz > H7_HSE_MAX_HZ || sysclk_hz == 0)
		return H7_CLOCK_EINVAL;
	if (sysclk_hz > 480000000u)
		return H7_CLOCK_ETOOFAST;
	h7_pll_t best = {0};
	int found = 0;
	for (uint32_t m = 1; m <= 63; m++) {
		if (hse_hz % m)
			continue; /* integer mode only: keep the reference exact */
		uint32_t ref = hse_hz / m;
		if (ref < H7_PLL_REF_MIN_HZ || ref > H7_PLL_REF_MAX_HZ)
			continue;
		/* Candidates iterate from the highest reference down, so the first hit wins on ref. */
		if (found && ref < best.ref_hz)
			break;
		for (uint32_t p = 2; p <= 128; p += 2) {
			uint64_t vco = (uint64_t)sysclk_hz * p;
			if (vco % ref)
				continue;
			uint64_t n = vco / ref;
			if (n < 4 || n > 512)
				continue;
			uint32_t vcosel;
			if (ref >= H7_PLL_REF_WIDE_MIN_HZ && vco >= H7_VCO_WIDE_MIN_HZ && vco <= H7_VCO_WIDE_MAX_HZ)
				vcosel = 0;
			else if (ref < H7_PLL_REF_WIDE_MIN_HZ && vco >= H7_VCO_MEDIUM_MIN_HZ && vco <= H7_VCO_MEDIUM_MAX_HZ)
				vcosel = 1;
			else
				continue;
			uint32_t q = divider_for((uint32_t)vco, q_max_hz), r = divider_for((uint32_t)vco, r_max_hz);
			if (q == 0xFFFFFFFFu || r == 0xFFFFFFFFu)
				continue;
			/* Same reference: prefer the wide VCO, then the lowest VCO (least power). */
			if (found && ref == best.ref_hz && !(vcosel < best.vcosel || (vcosel == best.vcosel && vco < best.vco_hz)))
				continue;
			best = (h7_pll_t){
			        .m = m,
			        .n = (uint32_t)n,
			        .p = p,
			        .q = q,
			        .r = r,
			        .rge = rge_for(ref),
			        .vcosel = vcosel,
			        .ref_hz = ref,
			        .vco_hz = (uint32_t)vco,
			        .sysclk_hz = sysclk_hz,
			        .q_hz = q ? (uint32_t)(vco / q) : 0,
			        .r_hz = r ? (uint32_t)(vco / r) : 0,
			};
			found = 1;
		}
	}
	if (!found)
		return H7_CLOCK_ENOSOLUTION;
	*out = best;
	return H7_CLOCK_OK;
}

uint32_t h7_usart_brr(uint32_t kernel_hz, uint32_t baud)
{
	if (baud == 0)
		return 0;
	return (kernel_hz + baud / 2) / baud;
}
