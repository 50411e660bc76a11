/*
 * clock.c: applies the clock tree computed by h7_clock_calc.c: supply and
 * voltage scale (RM0433 6.6.2 and 6.8.4/6.8.6, VOS0 through SYSCFG ODEN),
 * HSE, PLL1 (8.7.11-8.7.13), flash wait states (4.3.8), bus prescalers and the
 * switch to PLL1 (8.7.7). Falls back to the 64 MHz HSI if the HSE never starts.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_board.h"
#include "h7_regs.h"

#define SPIN_LIMIT 2000000u /* ready-flag polls before giving up (several ms at 64 MHz) */

static bool wait_set(volatile uint32_t *reg, uint32_t mask)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++)
		if ((*reg & mask) == mask)
			return true;
	return false;
}

static bool set_vos(h7_vos_t vos)
{
	/* Supply: LDO (the OpenMV Cam H7 and Nucleo boards have no external SMPS). PWR_CR3 can be
	 * written once after power-on; ACTVOSRDY says the supply accepted it. */
	H7_PWR->CR3 = (H7_PWR->CR3 & ~PWR_CR3_BYPASS) | PWR_CR3_LDOEN;
	if (!wait_set(&H7_PWR->CSR1, PWR_CSR1_ACTVOSRDY))
		return false;
	uint32_t bits = vos == H7_VOS3 ? 1u : vos == H7_VOS2 ? 2u : 3u; /* VOS0 starts from VOS1 */
	H7_PWR->D3CR = (H7_PWR->D3CR & ~PWR_D3CR_VOS_Msk) | (bits << PWR_D3CR_VOS_Pos);
	if (!wait_set(&H7_PWR->D3CR, PWR_D3CR_VOSRDY))
		return false;
	if (vos == H7_VOS0) {
		/* RM0433 6.6.2: VOS0 is entered from VOS1 by setting ODEN, then waiting VOSRDY again. */
		H7_RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
		(void)H7_RCC->APB4ENR;
		H7_SYSCFG->PWRCR |= SYSCFG_PWRCR_ODEN;
		if (!wait_set(&H7_PWR->D3CR, PWR_D3CR_VOSRDY))
			return false;
	}
	return true;
}

h7_clock_status_t h7_clock_apply(uint32_t hse_hz, bool hse_bypass, uint32_t sysclk_hz, h7_clocks_t *out)
{
	h7_clocks_t c = {0};
	c.sysclk_hz = 64000000u; /* HSI until proven otherwise */
	h7_clock_status_t status = h7_pll_solve(hse_hz, sysclk_hz, sysclk_hz / 4, 0, &c.pll);
	if (status == H7_CLOCK_OK)
		status = h7_buses_for_sysclk(sysclk_hz, &c.buses);
	if (status != H7_CLOCK_OK)
		goto done;
	if (!set_vos(c.buses.vos)) {
		status = H7_CLOCK_EINVAL;
		goto done;
	}

	H7_RCC->CR = (H7_RCC->CR & ~RCC_CR_HSEBYP) | (hse_bypass ? RCC_CR_HSEBYP : 0);
	H7_RCC->CR |= RCC_CR_HSEON;
	if (!wait_set(&H7_RCC->CR, RCC_CR_HSERDY)) {
		H7_RCC->CR &= ~RCC_CR_HSEON;
		status = H7_CLOCK_ENOSOLUTION;
		goto done;
	}
	c.hse_ok = true;

	/* PLL1 is configured only while off (RM0433 8.7.12-13: writable when PLL1ON = PLL1RDY = 0),
	 * and it cannot be turned off while it clocks the system: step down to the HSI first. */
	if (((H7_RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos) == RCC_CFGR_SW_PLL1) {
		H7_RCC->CR |= RCC_CR_HSION;
		wait_set(&H7_RCC->CR, RCC_CR_HSIRDY);
		H7_RCC->CFGR &= ~RCC_CFGR_SW_Msk;
		for (uint32_t i = 0; i < SPIN_LIMIT && (H7_RCC->CFGR & RCC_CFGR_SWS_Msk); i++) {
		}
	}
	H7_RCC->CR &= ~RCC_CR_PLL1ON;
	while (H7_RCC->CR & RCC_CR_PLL1RDY) {
	}
	H7_RCC->PLLCKSELR = (H7_RCC->PLLCKSELR & ~((0x3Fu << RCC_PLLCKSELR_DIVM1_Pos) | 3u)) | RCC_PLLCKSELR_PLLSRC_HSE |
	        (c.pll.m << RCC_PLLCKSELR_DIVM1_Pos);
	uint32_t cfg = H7_RCC->PLLCFGR & ~(0xFu | RCC_PLLCFGR_DIVP1EN | RCC_PLLCFGR_DIVQ1EN | RCC_PLLCFGR_DIVR1EN);
	cfg |= (c.pll.rge << RCC_PLLCFGR_PLL1RGE_Pos) | (c.pll.vcosel ? RCC_PLLCFGR_PLL1VCOSEL : 0) | RCC_PLLCFGR_DIVP1EN;
	if (c.pll.q)
		cfg |= RCC_PLLCFGR_DIVQ1EN;
	if (c.pll.r)
		cfg |= RCC_PLLCFGR_DIVR1EN;
	H7_RCC->PLLCFGR = cfg; /* PLL1FRACEN stays 0: integer mode */
	H7_RCC->PLL1DIVR = ((c.pll.n - 1) << RCC_PLL1DIVR_N_Pos) | ((c.pll.p - 1) << RCC_PLL1DIVR_P_Pos) |
	        ((c.pll.q ? c.pll.q - 1 : 1) << RCC_PLL1DIVR_Q_Pos) | ((c.pll.r ? c.pll.r - 1 : 1) << RCC_PLL1DIVR_R_Pos);
	H7_RCC->CR |= RCC_CR_PLL1ON;
	if (!wait_set(&H7_RCC->CR, RCC_CR_PLL1RDY)) {
		status = H7_CLOCK_ENOSOLUTION;
		goto done;
	}

	/* Wait states before the AXI clock rises (RM0433 4.3.8); read back to be sure it took. */
	H7_FLASH->ACR = (H7_FLASH->ACR & ~(FLASH_ACR_LATENCY_Msk | FLASH_ACR_WRHIGHFREQ_Msk)) |
	        (c.buses.latency << FLASH_ACR_LATENCY_Pos) | (c.buses.wrhighfreq << FLASH_ACR_WRHIGHFREQ_Pos);
	if ((H7_FLASH->ACR & FLASH_ACR_LATENCY_Msk) != c.buses.latency) {
		status = H7_CLOCK_EINVAL;
		goto done;
	}

	uint32_t hpre = h7_hpre_bits(c.buses.hpre), ppre = h7_ppre_bits(c.buses.ppre);
	H7_RCC->D1CFGR = (0u << RCC_D1CFGR_D1CPRE_Pos) | (hpre << RCC_D1CFGR_HPRE_Pos) | (ppre << RCC_D1CFGR_D1PPRE_Pos);
	H7_RCC->D2CFGR = (ppre << RCC_D2CFGR_D2PPRE1_Pos) | (ppre << RCC_D2CFGR_D2PPRE2_Pos);
	H7_RCC->D3CFGR = ppre << RCC_D3CFGR_D3PPRE_Pos;

	H7_RCC->CFGR = (H7_RCC->CFGR & ~RCC_CFGR_SW_Msk) | RCC_CFGR_SW_PLL1;
	for (uint32_t i = 0; i < SPIN_LIMIT; i++) {
		if (((H7_RCC->CFGR & RCC_CFGR_SWS_Msk) >> RCC_CFGR_SWS_Pos) == RCC_CFGR_SW_PLL1) {
			c.sysclk_hz = sysclk_hz;
			goto done;
		}
	}
	status = H7_CLOCK_EINVAL;
done:
	c.status = status;
	if (status != H7_CLOCK_OK) {
		/* Still on the 64 MHz HSI: every divider back to /1 (within every scale's limits). */
		H7_RCC->D1CFGR = 0;
		H7_RCC->D2CFGR = 0;
		H7_RCC->D3CFGR = 0;
		c.buses = (h7_buses_t){.vos = H7_VOS1, .hpre = 1, .ppre = 1, .hclk_hz = 64000000u, .pclk_hz = 64000000u};
	}
	if (out)
		*out = c;
	return status;
}

void h7_clock_leave_vos0(void)
{
	/* Stop and Standby are entered at VOS1 or below, never with the overdrive on (RM0433 6.6.2:
	 * VOS0 is entered from VOS1 and left back to it; ST's HAL asks for VOS1 before any low-power
	 * mode). VOS1 runs 400 MHz at most, so the system clock steps down to the HSI first; the
	 * wake from Stop is on the HSI anyway (STOPWUCK = 0) and the clocks are set up again then. */
	H7_RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
	(void)H7_RCC->APB4ENR;
	if (!(H7_SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN))
		return;
	H7_RCC->CR |= RCC_CR_HSION;
	wait_set(&H7_RCC->CR, RCC_CR_HSIRDY);
	H7_RCC->CFGR &= ~RCC_CFGR_SW_Msk;
	for (uint32_t i = 0; i < SPIN_LIMIT && (H7_RCC->CFGR & RCC_CFGR_SWS_Msk); i++) {
	}
	H7_SYSCFG->PWRCR &= ~SYSCFG_PWRCR_ODEN;
	wait_set(&H7_PWR->D3CR, PWR_D3CR_VOSRDY);
}

void h7_mco2_sysclk(uint32_t div)
{
	if (div < 1 || div > 15)
		return;
	/* PC9 AF0 = MCO2 (DS12110 alternate function table). */
	H7_RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(2);
	h7_gpio_t *c = H7_GPIO(2);
	c->MODER = (c->MODER & ~(3u << 18)) | (2u << 18);
	c->OSPEEDR |= 3u << 18;
	c->AFR[1] &= ~(0xFu << 4);
	H7_RCC->CFGR = (H7_RCC->CFGR & ~((7u << RCC_CFGR_MCO2_Pos) | (0xFu << RCC_CFGR_MCO2PRE_Pos))) |
	        (0u << RCC_CFGR_MCO2_Pos) | (div << RCC_CFGR_MCO2PRE_Pos);
}
