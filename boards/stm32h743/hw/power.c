/*
 * power.c: LSE + RTC (RM0433 46.3), wake-up timer and alarm A with their EXTI
 * lines (20.3), WKUP pins (6.8.9), GPIO wake lines with their NVIC vectors (20.3, Table 139),
 * backup SRAM retention (6.4.4, PWR_CR2.BREN), Stop with SVOS5 and Standby (6.7) entered from
 * VOS1 (h7_clock_leave_vos0), reset/wake flags, and the IWDG (45.3).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_board.h"
#include "h7_device.h"
#include "h7_regs.h"

#define LSE_TIMEOUT_MS 3000u /* a 32 kHz crystal can take over a second to start */
#define SPIN_LIMIT     4000000u

static bool spin_until_set(volatile uint32_t *reg, uint32_t mask)
{
	for (uint32_t i = 0; i < SPIN_LIMIT; i++)
		if ((*reg & mask) == mask)
			return true;
	return false;
}

static void backup_domain_writable(void)
{
	H7_PWR->CR1 |= PWR_CR1_DBP;
	(void)H7_PWR->CR1;
}

void h7_backup_sram_enable(void)
{
	H7_RCC->AHB4ENR |= RCC_AHB4ENR_BKPRAMEN;
	(void)H7_RCC->AHB4ENR;
	backup_domain_writable();
	/* The backup regulator keeps the 4 KB backup SRAM powered in Standby and on VBAT. */
	H7_PWR->CR2 |= PWR_CR2_BREN;
	spin_until_set(&H7_PWR->CR2, PWR_CR2_BRRDY);
}

static void rtc_unlock(void)
{
	H7_RTC->WPR = 0xCA;
	H7_RTC->WPR = 0x53;
}
static void rtc_lock(void)
{
	H7_RTC->WPR = 0xFF;
}

/* ISR flags are rc_w0: write 0 to the ones to clear, 1 elsewhere, and keep INIT as it is. */
static void rtc_clear_flags(uint32_t flags)
{
	H7_RTC->ISR = (~(flags | RTC_ISR_INIT) & 0x0001FFFFu) | (H7_RTC->ISR & RTC_ISR_INIT);
}

bool h7_rtc_running(void)
{
	H7_RCC->APB4ENR |= RCC_APB4ENR_RTCAPBEN;
	(void)H7_RCC->APB4ENR;
	return h7_rtc_configured(H7_RCC->BDCR, H7_RTC->PRER, H7_RTC->BKPR[H7_RTC_MARK_REG], 32768u);
}

h7_power_status_t h7_rtc_start(void)
{
	H7_RCC->APB4ENR |= RCC_APB4ENR_RTCAPBEN;
	(void)H7_RCC->APB4ENR;
	backup_domain_writable();
	/* Already running as set up here (a Standby wake, a reset): keep the calendar, the
	 * prescaler and the LSE drive. */
	if (h7_rtc_running())
		return H7_POWER_OK;
	uint32_t bdcr = H7_RCC->BDCR;
	H7_RCC->BDCR = (bdcr & ~(3u << RCC_BDCR_LSEDRV_Pos)) | (2u << RCC_BDCR_LSEDRV_Pos) | RCC_BDCR_LSEON;
	uint32_t start = h7_time_ms();
	while (!(H7_RCC->BDCR & RCC_BDCR_LSERDY))
		if (h7_time_ms() - start > LSE_TIMEOUT_MS)
			return H7_POWER_ETIMEOUT;
	H7_RCC->BDCR = (H7_RCC->BDCR & ~RCC_BDCR_RTCSEL_Msk) | (1u << RCC_BDCR_RTCSEL_Pos) | RCC_BDCR_RTCEN;
	uint32_t a, s;
	h7_rtc_prescalers(32768u, &a, &s);
	rtc_unlock();
	H7_RTC->ISR |= RTC_ISR_INIT;
	if (!spin_until_set(&H7_RTC->ISR, RTC_ISR_INITF)) {
		rtc_lock();
		return H7_POWER_ETIMEOUT;
	}
	/* Two writes, synchronous prescaler first (RM0433 46.3.7). */
	H7_RTC->PRER = s;
	H7_RTC->PRER = (a << 16) | s;
	H7_RTC->ISR &= ~RTC_ISR_INIT;
	rtc_lock();
	H7_RTC->BKPR[H7_RTC_MARK_REG] = H7_RTC_MARK; /* last: a set-up cut short is done again */
	return H7_POWER_OK;
}

static void exti_rising(uint32_t line)
{
	H7_EXTI->RTSR1 |= 1u << line;
	H7_EXTI->C1IMR1 |= 1u << line;
}

h7_power_status_t h7_rtc_set_wakeup(const h7_rtc_wakeup_t *w)
{
	if (!w || w->wucksel > 7 || w->wut > 0xFFFFu)
		return H7_POWER_EINVAL;
	rtc_unlock();
	H7_RTC->CR &= ~(RTC_CR_WUTE | RTC_CR_WUTIE);
	if (!spin_until_set(&H7_RTC->ISR, RTC_ISR_WUTWF)) {
		rtc_lock();
		return H7_POWER_ETIMEOUT;
	}
	H7_RTC->WUTR = w->wut;
	H7_RTC->CR = (H7_RTC->CR & ~RTC_CR_WUCKSEL_Msk) | w->wucksel;
	rtc_clear_flags(RTC_ISR_WUTF);
	H7_RTC->CR |= RTC_CR_WUTIE | RTC_CR_WUTE;
	rtc_lock();
	exti_rising(EXTI_LINE_RTC_WAKEUP);
	NVIC_EnableIRQ(RTC_WKUP_IRQn);
	return H7_POWER_OK;
}

h7_power_status_t h7_rtc_set_alarm_a(uint32_t alrmar)
{
	rtc_unlock();
	H7_RTC->CR &= ~(RTC_CR_ALRAE | RTC_CR_ALRAIE);
	if (!spin_until_set(&H7_RTC->ISR, RTC_ISR_ALRAWF)) {
		rtc_lock();
		return H7_POWER_ETIMEOUT;
	}
	H7_RTC->ALRMAR = alrmar;
	H7_RTC->ALRMASSR = 0; /* sub-seconds not compared */
	rtc_clear_flags(RTC_ISR_ALRAF);
	H7_RTC->CR |= RTC_CR_ALRAE | RTC_CR_ALRAIE;
	rtc_lock();
	exti_rising(EXTI_LINE_RTC_ALARM);
	NVIC_EnableIRQ(RTC_Alarm_IRQn);
	return H7_POWER_OK;
}

void RTC_WKUP_IRQHandler(void)
{
	rtc_clear_flags(RTC_ISR_WUTF);
	H7_EXTI->C1PR1 = 1u << EXTI_LINE_RTC_WAKEUP;
}

void RTC_Alarm_IRQHandler(void)
{
	rtc_clear_flags(RTC_ISR_ALRAF | H7_BIT(9));
	H7_EXTI->C1PR1 = 1u << EXTI_LINE_RTC_ALARM;
}

/* The GPIO lines armed for the next Stop (h7_exti_wake_pin), disarmed after it. */
static uint32_t armed_lines;

/* Lines 0-15 share seven vectors; each clears the pending lines of its group. The flags that
 * matter are read before interrupts are enabled again (h7_enter_stop), so this only keeps a
 * handled line from firing again. */
static void exti_clear(uint32_t lines)
{
	H7_EXTI->C1PR1 = H7_EXTI->C1PR1 & lines;
}
void EXTI0_IRQHandler(void)
{
	exti_clear(H7_BIT(0));
}
void EXTI1_IRQHandler(void)
{
	exti_clear(H7_BIT(1));
}
void EXTI2_IRQHandler(void)
{
	exti_clear(H7_BIT(2));
}
void EXTI3_IRQHandler(void)
{
	exti_clear(H7_BIT(3));
}
void EXTI4_IRQHandler(void)
{
	exti_clear(H7_BIT(4));
}
void EXTI9_5_IRQHandler(void)
{
	exti_clear(0x03E0u);
}
void EXTI15_10_IRQHandler(void)
{
	exti_clear(0xFC00u);
}

void h7_exti_wake_pin(unsigned port, unsigned pin, bool rising)
{
	int irqn = h7_exti_irqn(pin);
	if (irqn < 0 || port > 10)
		return;
	H7_RCC->APB4ENR |= RCC_APB4ENR_SYSCFGEN;
	(void)H7_RCC->APB4ENR;
	unsigned shift = (pin & 3u) * 4u;
	H7_SYSCFG->EXTICR[pin >> 2] = (H7_SYSCFG->EXTICR[pin >> 2] & ~(0xFu << shift)) | (port << shift);
	if (rising)
		H7_EXTI->RTSR1 |= 1u << pin, H7_EXTI->FTSR1 &= ~(1u << pin);
	else
		H7_EXTI->FTSR1 |= 1u << pin, H7_EXTI->RTSR1 &= ~(1u << pin);
	H7_EXTI->C1PR1 = 1u << pin;
	H7_EXTI->C1IMR1 |= 1u << pin;
	/* Without its NVIC interrupt the line sets its pending bit but does not end WFI. */
	NVIC_ClearPendingIRQ((IRQn_Type)irqn);
	NVIC_EnableIRQ((IRQn_Type)irqn);
	armed_lines |= 1u << pin;
}

/* After a Stop the pins are no longer wake sources: masked, their vectors off. */
static void exti_disarm_pins(void)
{
	H7_EXTI->C1IMR1 &= ~armed_lines;
	for (unsigned line = 0; line < 16; line++)
		if (armed_lines & H7_BIT(line)) {
			NVIC_DisableIRQ((IRQn_Type)h7_exti_irqn(line));
			NVIC_ClearPendingIRQ((IRQn_Type)h7_exti_irqn(line));
		}
	H7_EXTI->C1PR1 = armed_lines;
	armed_lines = 0;
}

void h7_wkup_pin_enable(unsigned wkup, bool falling)
{
	if (wkup < 1 || wkup > 6)
		return;
	uint32_t v = H7_PWR->WKUPEPR;
	v |= PWR_WKUPEPR_WKUPEN(wkup);
	v = falling ? (v | PWR_WKUPEPR_WKUPP(wkup)) : (v & ~PWR_WKUPEPR_WKUPP(wkup));
	/* Pull towards the idle level so a floating pin does not wake us. */
	v &= ~(3u << PWR_WKUPEPR_WKUPPUPD_Pos(wkup));
	v |= (falling ? 1u : 2u) << PWR_WKUPEPR_WKUPPUPD_Pos(wkup);
	H7_PWR->WKUPEPR = v;
	H7_PWR->WKUPCR = PWR_WKUPCR_ALL;
}

h7_wake_reason_t h7_wake_reason_at_boot(void)
{
	H7_RCC->APB4ENR |= RCC_APB4ENR_RTCAPBEN;
	(void)H7_RCC->APB4ENR;
	h7_wake_reason_t r = h7_wake_decode_reset(H7_RCC->RSR, H7_PWR->CPUCR, H7_PWR->WKUPFR, H7_RTC->ISR);
	H7_RCC->RSR |= RCC_RSR_RMVF;
	H7_PWR->CPUCR |= PWR_CPUCR_CSSF;
	H7_PWR->WKUPCR = PWR_WKUPCR_ALL;
	backup_domain_writable();
	rtc_clear_flags(RTC_ISR_WUTF | RTC_ISR_ALRAF | H7_BIT(9));
	return r;
}

/* Calendar time now, in ms of the day; after a low-power mode the shadow registers are stale
 * until RSF is set again (RM0433 46.3.8), so resynchronise first. */
static uint32_t rtc_now_ms(bool resync)
{
	if (resync) {
		backup_domain_writable();
		rtc_unlock();
		H7_RTC->ISR &= ~RTC_ISR_RSF;
		rtc_lock();
		spin_until_set(&H7_RTC->ISR, RTC_ISR_RSF);
	}
	uint32_t ssr = H7_RTC->SSR, tr = H7_RTC->TR;
	(void)H7_RTC->DR; /* reading DR unfreezes the shadow registers */
	return h7_rtc_ms_of_day(tr, ssr, H7_RTC->PRER & 0x7FFFu);
}

h7_wake_reason_t h7_enter_stop(void)
{
	uint32_t before = rtc_now_ms(false);
	h7_clock_leave_vos0();
	/* Stop for every domain (PDDS_Dx = 0), regulator in low-power mode at SVOS5, flash in
	 * low-power; wake on HSI (STOPWUCK = 0), then the PLL is brought back by h7_board_clocks_restore. */
	H7_PWR->CR1 = (H7_PWR->CR1 & ~PWR_CR1_SVOS_Msk) | (PWR_CR1_SVOS5 << PWR_CR1_SVOS_Pos) | PWR_CR1_LPDS | PWR_CR1_FLPS;
	H7_PWR->CPUCR &= ~(PWR_CPUCR_PDDS_D1 | PWR_CPUCR_PDDS_D2 | PWR_CPUCR_PDDS_D3 | PWR_CPUCR_RUN_D3);
	H7_RCC->CFGR &= ~RCC_CFGR_STOPWUCK;
	/* Stale flags would end the Stop at once; an armed pin's edge comes after this. */
	H7_EXTI->C1PR1 = 0xFFFFFFFFu;
	SysTick->CTRL &= ~SysTick_CTRL_TICKINT_Msk; /* SysTick stops in Stop anyway; no stale tick */
	SCB->SCR |= SCB_SCR_SLEEPDEEP_Msk;
	/* Interrupts masked: WFI still wakes on a pending one, but its handler (which clears the
	 * flags) runs only after we have read them. */
	__disable_irq();
	__DSB();
	__WFI();
	SCB->SCR &= ~SCB_SCR_SLEEPDEEP_Msk;
	h7_wake_reason_t r = h7_wake_decode_stop(H7_EXTI->C1PR1, H7_RTC->ISR, armed_lines);
	exti_disarm_pins();
	H7_EXTI->C1PR1 = 0xFFFFFFFFu;
	backup_domain_writable();
	rtc_clear_flags(RTC_ISR_WUTF | RTC_ISR_ALRAF | H7_BIT(9));
	H7_PWR->CPUCR |= PWR_CPUCR_CSSF;
	/* Clocks, SysTick and the console's divisor for the clock we got (the HSI if the HSE failed). */
	h7_board_clocks_restore();
	/* SysTick did not count in Stop: add the time the RTC saw pass. */
	h7_time_advance_ms(h7_rtc_elapsed_ms(before, rtc_now_ms(true)));
	__enable_irq();
	return r;
}

void h7_enter_standby(void)
{
	/* Every domain to Standby on deep sleep (RM0433 6.7.8). Pending wake flags would make the
	 * entry return at once, so clear them first. */
	backup_domain_writable();
	rtc_clear_flags(RTC_ISR_WUTF | RTC_ISR_ALRAF | H7_BIT(9));
	H7_PWR->WKUPCR = PWR_WKUPCR_ALL;
	H7_EXTI->C1PR1 = 0xFFFFFFFFu;
	h7_clock_leave_vos0();
	H7_PWR->CPUCR |= PWR_CPUCR_PDDS_D1 | PWR_CPUCR_PDDS_D2 | PWR_CPUCR_PDDS_D3 | PWR_CPUCR_CSSF;
	H7_PWR->CPUCR &= ~PWR_CPUCR_RUN_D3;
	/* Anything still in the D-cache is lost with the D1 domain. */
	SCB_CleanDCache();
	SCB->SCR |= SCB_SCR_SLEEPDEEP_Msk;
	__DSB();
	for (;;)
		__WFI();
}

h7_power_status_t h7_iwdg_start(const h7_iwdg_cfg_t *cfg)
{
	if (!cfg || cfg->pr > 7 || cfg->rlr > 0xFFFu)
		return H7_POWER_EINVAL;
	H7_IWDG1->KR = IWDG_KEY_START; /* also starts the LSI */
	H7_IWDG1->KR = IWDG_KEY_UNLOCK;
	H7_IWDG1->PR = cfg->pr;
	H7_IWDG1->RLR = cfg->rlr;
	for (uint32_t i = 0; i < SPIN_LIMIT && H7_IWDG1->SR; i++) {
	}
	H7_IWDG1->KR = IWDG_KEY_RELOAD;
	return H7_IWDG1->SR ? H7_POWER_ETIMEOUT : H7_POWER_OK;
}

void h7_iwdg_kick(void)
{
	H7_IWDG1->KR = IWDG_KEY_RELOAD;
}
