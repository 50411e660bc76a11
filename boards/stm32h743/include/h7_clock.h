/*
 * h7_clock.h: STM32H743 clock-tree arithmetic (pure C, host-tested).
 * SPDX-License-Identifier: Apache-2.0
 *
 * The divider search, the voltage scale and the flash wait states are pure
 * functions so the host tests can check them against hand-worked cases; the
 * register sequence that applies them is h7_clock_apply() in hw/clock.c.
 * Limits are DS12110 (rev V silicon, 480 MHz part) and RM0433 8.7.12-13 / 4.3.8.
 */
#ifndef XSIGHT_H7_CLOCK_H
#define XSIGHT_H7_CLOCK_H

#include <stdint.h>

typedef enum {
	H7_CLOCK_OK = 0,
	H7_CLOCK_EINVAL = -1,      /* an argument is out of its documented range */
	H7_CLOCK_ENOSOLUTION = -2, /* no integer M/N/P gives the target exactly within the limits */
	H7_CLOCK_ETOOFAST = -3,    /* the target exceeds what any voltage scale allows */
} h7_clock_status_t;

/* Voltage scales (RM0433 6.6.2). VOS0 = VOS1 + SYSCFG_PWRCR.ODEN, rev V only. */
typedef enum { H7_VOS3 = 3, H7_VOS2 = 2, H7_VOS1 = 1, H7_VOS0 = 0 } h7_vos_t;

/* PLL1 limits (DS12110 Table "PLL characteristics"; RM0433 8.7.12-13). */
#define H7_PLL_REF_MIN_HZ      1000000u /* ref1_ck after DIVM1 */
#define H7_PLL_REF_MAX_HZ      16000000u
#define H7_PLL_REF_WIDE_MIN_HZ 2000000u   /* the wide VCO needs ref >= 2 MHz */
#define H7_VCO_WIDE_MIN_HZ     192000000u /* VCOSEL = 0 */
#define H7_VCO_WIDE_MAX_HZ     960000000u /* 836 MHz on rev Y; 960 MHz on rev V (480 MHz parts) */
#define H7_VCO_MEDIUM_MIN_HZ   150000000u /* VCOSEL = 1, ref 1-2 MHz */
#define H7_VCO_MEDIUM_MAX_HZ   420000000u
#define H7_HSE_MIN_HZ          4000000u  /* HSE crystal/oscillator range */
#define H7_HSE_MAX_HZ          50000000u /* 48 MHz crystal, 50 MHz external clock */

typedef struct {
	uint32_t m;      /* DIVM1, 1..63 */
	uint32_t n;      /* DIVN1, 4..512 (integer mode) */
	uint32_t p;      /* DIVP1, 2..128 and even (PLL1 P: odd values not allowed) */
	uint32_t q;      /* DIVQ1, 1..128, 0 = output disabled */
	uint32_t r;      /* DIVR1, 1..128, 0 = output disabled */
	uint32_t rge;    /* PLL1RGE: 0 = 1-2 MHz, 1 = 2-4, 2 = 4-8, 3 = 8-16 */
	uint32_t vcosel; /* 0 = wide, 1 = medium */
	uint32_t ref_hz; /* HSE / M */
	uint32_t vco_hz; /* ref * N */
	uint32_t sysclk_hz, q_hz, r_hz;
} h7_pll_t;

/* Find PLL1 dividers giving exactly sysclk_hz from hse_hz. Prefers the highest
 * reference frequency (least jitter), then the wide VCO, then the lowest VCO.
 * q_max_hz/r_max_hz: the largest frequency wanted on PLL1Q/PLL1R (smallest
 * divider meeting it is chosen), 0 to leave that output disabled. */
h7_clock_status_t h7_pll_solve(uint32_t hse_hz, uint32_t sysclk_hz, uint32_t q_max_hz, uint32_t r_max_hz,
                               h7_pll_t *out);

/* Bus dividers for a system clock: CPU = SYSCLK (D1CPRE 1), AXI/AHB (HPRE) as
 * fast as the scale allows, every APB at half the AHB clock or the limit. */
typedef struct {
	h7_vos_t vos;
	uint32_t hpre;    /* AHB divider: 1, 2, 4, 8, ... 512 */
	uint32_t ppre;    /* APB1..4 divider relative to AHB: 1, 2, 4, 8, 16 */
	uint32_t hclk_hz; /* AXI / AHB clock: what the flash sees */
	uint32_t pclk_hz;
	uint32_t latency;    /* FLASH_ACR.LATENCY wait states */
	uint32_t wrhighfreq; /* FLASH_ACR.WRHIGHFREQ */
} h7_buses_t;

/* Silicon revisions (DBGMCU_IDC.REV_ID, RM0433 "Debug infrastructure"; ES0392 errata). 480 MHz
 * needs VOS0, which only revision V has (DS12110: 400 MHz at VOS1 is the limit of revision Y). */
#define H7_REV_Y 0x1003u
#define H7_REV_V 0x2003u
/* The system clock to run on this part: wanted_hz, capped at 400 MHz below revision V. */
uint32_t h7_sysclk_for_rev(uint32_t dbgmcu_idcode, uint32_t wanted_hz);

/* Lowest voltage scale that runs sysclk_hz (DS12110 "General operating conditions"). */
h7_clock_status_t h7_vos_for_sysclk(uint32_t sysclk_hz, h7_vos_t *out);
/* Flash wait states and programming delay for an AXI clock at a scale (RM0433 Table 17). */
h7_clock_status_t h7_flash_latency(h7_vos_t vos, uint32_t hclk_hz, uint32_t *latency, uint32_t *wrhighfreq);
h7_clock_status_t h7_buses_for_sysclk(uint32_t sysclk_hz, h7_buses_t *out);

/* Register encodings (RM0433 8.7.8): the 4-bit HPRE and 3-bit PPRE codes for a divider. */
uint32_t h7_hpre_bits(uint32_t divider);
uint32_t h7_ppre_bits(uint32_t divider);

/* USART BRR for oversampling by 16 (RM0433 48.5.7), rounded to nearest. */
uint32_t h7_usart_brr(uint32_t kernel_hz, uint32_t baud);

#endif
