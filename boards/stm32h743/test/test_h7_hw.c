/*
 * test_h7_hw.c: the register sequences of hw/ run on the host against the fake core and
 * peripherals of test/fake (structs in RAM, -DH7_HOST_FAKE). At each WFI a hook plays the
 * hardware: it notes what the core waits with (deep sleep, the overdrive, the system clock, the
 * NVIC) and ends the wait as an STM32H743 would, or not at all.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "h7_board.h"
#include "h7_device.h"
#include "h7_fake.h"
#include "h7_gpio.h"
#include "h7_regs.h"
#include "unit.h"

/* What the core waited with, at the last WFI. */
static struct {
	int deep, oden, sw, pdds, pin_vector_on, rtc_vector_on;
	uint32_t imr;
	h7_gpio_t gpio[5];
	uint32_t i2c_cr1, dcmi_cr, cfgr;
} at_wfi;

static void note(void)
{
	at_wfi.deep = (SCB->SCR & SCB_SCR_SLEEPDEEP_Msk) != 0;
	at_wfi.oden = (H7_SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN) != 0;
	at_wfi.sw = (int)(H7_RCC->CFGR & RCC_CFGR_SW_Msk);
	at_wfi.pdds = (H7_PWR->CPUCR & (PWR_CPUCR_PDDS_D1 | PWR_CPUCR_PDDS_D2 | PWR_CPUCR_PDDS_D3)) != 0;
	at_wfi.pin_vector_on = h7_fake_nvic_enabled(EXTI0_IRQn);
	at_wfi.rtc_vector_on = h7_fake_nvic_enabled(RTC_WKUP_IRQn);
	at_wfi.imr = H7_EXTI->C1IMR1;
	memcpy(at_wfi.gpio, (const void *)h7_fake_gpio, sizeof at_wfi.gpio);
	at_wfi.i2c_cr1 = H7_I2C1->CR1;
	at_wfi.dcmi_cr = H7_DCMI->CR;
	at_wfi.cfgr = H7_RCC->CFGR;
}

/* Stop: PA0's rising edge comes during the Stop. It ends WFI only if its line is unmasked and
 * its vector (EXTI0) enabled in the NVIC; otherwise only the RTC's wake-up can, later, and then
 * both lines are pending; with neither the core would wait forever. */
static void stop_with_a_pin_edge(void)
{
	note();
	bool pin = (H7_EXTI->C1IMR1 & 1u) && h7_fake_nvic_enabled(EXTI0_IRQn);
	bool rtc = (H7_RTC->CR & RTC_CR_WUTE) && (H7_EXTI->C1IMR1 & H7_BIT(EXTI_LINE_RTC_WAKEUP)) &&
	        h7_fake_nvic_enabled(RTC_WKUP_IRQn);
	if (pin) {
		H7_EXTI->C1PR1 = 1u;
		H7_RTC->ISR = RTC_ISR_RSF;
	} else if (rtc) {
		H7_EXTI->C1PR1 = 1u | H7_BIT(EXTI_LINE_RTC_WAKEUP);
		H7_RTC->ISR = RTC_ISR_RSF | RTC_ISR_WUTF;
	} else {
		longjmp(h7_fake_escape, H7_FAKE_ESCAPED_WFI);
	}
}

static void standby(void)
{
	note();
	longjmp(h7_fake_escape, H7_FAKE_ESCAPED_WFI);
}

/* A board after h7_board_init at VOS0 (revision V), its HSE not starting (the fake has no
 * crystal: HSERDY never comes), so on the HSI; then its console set for the PLL's 120 MHz APB1
 * as a board whose HSE ran at boot has it (BRR 130 for 921,600 baud). */
static void booted(void)
{
	h7_fake_reset();
	H7_DBGMCU->IDCODE = (H7_REV_V << 16) | 0x450u;
	H7_PWR->CSR1 = PWR_CSR1_ACTVOSRDY;
	H7_PWR->D3CR = PWR_D3CR_VOSRDY;
	H7_PWR->CR2 = PWR_CR2_BRRDY;
	H7_RCC->CR = RCC_CR_HSIRDY;
	H7_RTC->ISR = RTC_ISR_WUTWF | RTC_ISR_ALRAWF | RTC_ISR_INITF | RTC_ISR_RSF;
	h7_board_init();
	H7_USART3->BRR = 130;
}

UNIT_TEST(stop_ends_on_a_wake_pin)
{
	booted();
	UNIT_ASSERT(H7_SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN); /* 480 MHz asked: VOS0 */
	h7_exti_wake_pin(H7_PORT_A, 0, true);
	h7_fake_wfi_hook = stop_with_a_pin_edge;
	h7_wake_reason_t r = {H7_WAKE_UNKNOWN, false, -1};
	if (setjmp(h7_fake_escape))
		UNIT_FAIL("Stop with a wake pin and no timeout never ended");
	else
		r = h7_enter_stop();
	UNIT_EQ_INT(at_wfi.pin_vector_on, 1);
	UNIT_EQ_INT(at_wfi.imr & 1u, 1);
	UNIT_EQ_INT(at_wfi.deep, 1);
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN);
	UNIT_EQ_INT(r.pin, 0);
	/* After the Stop the pin is no wake source any more. */
	UNIT_EQ_INT(h7_fake_nvic_enabled(EXTI0_IRQn), 0);
	UNIT_EQ_INT(H7_EXTI->C1IMR1 & 1u, 0);
	UNIT_EQ_INT(h7_fake_irq_masked, 0);
}

UNIT_TEST(stop_with_a_pin_and_a_timeout_reports_the_pin)
{
	booted();
	h7_rtc_wakeup_t w;
	UNIT_EQ_INT(h7_rtc_wakeup_compute(32768, 60000000, &w), H7_POWER_OK);
	UNIT_EQ_INT(h7_rtc_set_wakeup(&w), H7_POWER_OK);
	h7_exti_wake_pin(H7_PORT_A, 0, true);
	h7_fake_wfi_hook = stop_with_a_pin_edge;
	h7_wake_reason_t r = {H7_WAKE_UNKNOWN, false, -1};
	if (setjmp(h7_fake_escape))
		UNIT_FAIL("Stop never ended");
	else
		r = h7_enter_stop();
	UNIT_EQ_INT(at_wfi.rtc_vector_on, 1);
	UNIT_EQ_INT(r.cause, H7_WAKE_PIN);
	UNIT_EQ_INT(r.pin, 0);
	UNIT_EQ_INT(h7_fake_wfi_count, 1);
}

UNIT_TEST(stop_and_standby_are_entered_from_vos1_on_the_hsi)
{
	booted();
	H7_RCC->CFGR = RCC_CFGR_SW_PLL1; /* running on PLL1 at VOS0 (SWS reads 0: the switch took) */
	h7_exti_wake_pin(H7_PORT_A, 0, true);
	h7_fake_wfi_hook = stop_with_a_pin_edge;
	if (setjmp(h7_fake_escape)) {
		UNIT_FAIL("Stop never ended");
		return;
	}
	h7_enter_stop();
	UNIT_EQ_INT(at_wfi.deep, 1);
	UNIT_EQ_INT(at_wfi.oden, 0); /* overdrive off: VOS1 */
	UNIT_EQ_INT(at_wfi.sw, 0);   /* SYSCLK on the HSI: VOS1 does not run 480 MHz */
	UNIT_EQ_INT((H7_PWR->D3CR & PWR_D3CR_VOS_Msk) >> PWR_D3CR_VOS_Pos, 3); /* VOS1 */
	UNIT_ASSERT(H7_SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN);                     /* and back to VOS0 for 480 MHz after it */

	H7_RCC->CFGR = RCC_CFGR_SW_PLL1;
	h7_fake_wfi_hook = standby;
	if (setjmp(h7_fake_escape) == 0)
		h7_enter_standby();
	UNIT_EQ_INT(at_wfi.pdds, 1);
	UNIT_EQ_INT(at_wfi.deep, 1);
	UNIT_EQ_INT(at_wfi.oden, 0);
	UNIT_EQ_INT(at_wfi.sw, 0);
}

UNIT_TEST(revision_y_runs_400_mhz_without_the_overdrive)
{
	h7_fake_reset();
	H7_DBGMCU->IDCODE = (H7_REV_Y << 16) | 0x450u;
	H7_PWR->CSR1 = PWR_CSR1_ACTVOSRDY;
	H7_PWR->D3CR = PWR_D3CR_VOSRDY;
	H7_PWR->CR2 = PWR_CR2_BRRDY;
	h7_board_init();
	UNIT_EQ_INT(H7_SYSCFG->PWRCR & SYSCFG_PWRCR_ODEN, 0);
	UNIT_EQ_INT((H7_PWR->D3CR & PWR_D3CR_VOS_Msk) >> PWR_D3CR_VOS_Pos, 3); /* VOS1 */
}

UNIT_TEST(console_divisor_after_the_hse_fails_at_stop_exit)
{
	booted();
	h7_exti_wake_pin(H7_PORT_A, 0, true);
	h7_fake_wfi_hook = stop_with_a_pin_edge;
	if (setjmp(h7_fake_escape)) {
		UNIT_FAIL("Stop never ended");
		return;
	}
	h7_enter_stop();
	/* Back on the 64 MHz HSI (no HSERDY): 64e6 / 921600 = 69.4 -> 69, not the PLL's 130
	 * (492 kbaud), and the USART enabled again. */
	UNIT_EQ_INT(H7_USART3->BRR, 69);
	UNIT_EQ_INT(H7_USART3->CR1 & (USART_CR1_UE | USART_CR1_TE), USART_CR1_UE | USART_CR1_TE);
	UNIT_EQ_INT(SysTick->LOAD, 64000 - 1);
}

UNIT_TEST(rtc_start_keeps_a_running_rtc)
{
	h7_fake_reset();
	H7_RCC->BDCR = RCC_BDCR_LSERDY; /* the crystal starts at once in the fake */
	H7_RTC->ISR = RTC_ISR_INITF;
	UNIT_EQ_INT(h7_rtc_start(), H7_POWER_OK);
	UNIT_EQ_INT(H7_RTC->PRER, (127u << 16) | 255u);
	UNIT_EQ_INT(H7_RTC->BKPR[H7_RTC_MARK_REG], H7_RTC_MARK);
	UNIT_EQ_INT(H7_RCC->BDCR & (RCC_BDCR_RTCEN | RCC_BDCR_LSEON), RCC_BDCR_RTCEN | RCC_BDCR_LSEON);
	/* The next boot (a Standby wake): INITS never set (no year), yet nothing is written again. */
	H7_RTC->ISR = RTC_ISR_RSF;
	H7_RTC->WPR = 0;
	H7_RTC->PRER = (127u << 16) | 255u;
	uint32_t bdcr = H7_RCC->BDCR;
	UNIT_EQ_INT(h7_rtc_start(), H7_POWER_OK);
	UNIT_EQ_INT(H7_RTC->WPR, 0); /* never unlocked */
	UNIT_EQ_INT(H7_RTC->ISR, RTC_ISR_RSF);
	UNIT_EQ_INT(H7_RCC->BDCR, bdcr);
	UNIT_ASSERT(h7_rtc_running());
}

/* SysTick: each WFI lasts until the next tick; the hook counts the time that passes. From VAL
 * the counter reaches 0 (the interrupt) in VAL counts and reloads LOAD one count later. */
void SysTick_Handler(void);
static uint64_t elapsed_ns;
static void next_tick(void)
{
	elapsed_ns += ((uint64_t)SysTick->VAL + 1) * 1000000u / (SysTick->LOAD + 1);
	SysTick_Handler();
	SysTick->VAL = SysTick->LOAD;
}

/* A booted board's camera set up: its supply's turn-on passed in SysTicks. */
static void camera_ready(void)
{
	booted();
	h7_fake_wfi_hook = next_tick;
	h7_camera_supply_on();
	h7_camera_hw_init();
	h7_fake_wfi_hook = NULL;
	h7_fake_wfi_count = 0;
}

UNIT_TEST(delay_lasts_at_least_what_it_is_asked)
{
	h7_fake_reset();
	SysTick_Config(64000);
	h7_fake_wfi_hook = next_tick;
	for (uint32_t left = 1; left <= 64000; left += 6400) {
		/* Started `left` counts before an edge, from a few ns to a whole ms. */
		SysTick->VAL = left - 1;
		elapsed_ns = 0;
		if (setjmp(h7_fake_escape)) {
			UNIT_FAIL("delay never ended");
			return;
		}
		h7_delay_ms(1);
		UNIT_ASSERT(elapsed_ns >= 1000000u);
		UNIT_ASSERT(elapsed_ns <= 2000000u);
		elapsed_ns = 0;
		h7_delay_ms(3);
		UNIT_ASSERT(elapsed_ns >= 3000000u && elapsed_ns <= 4000000u);
	}
}

UNIT_TEST(sccb_runs_at_the_ov7725s_fastest_clock)
{
	camera_ready();
	/* I2C1's kernel clock is APB1's 120 MHz (hw/clock.c); in ps a step of it is (PRESC + 1) x 1e6 / 120. */
	uint32_t t = H7_I2C1->TIMINGR, step_ps = ((t >> 28) + 1u) * 1000000u / 120u;
	uint32_t low_ps = ((t & 0xFFu) + 1u) * step_ps, high_ps = (((t >> 8) & 0xFFu) + 1u) * step_ps;
	UNIT_ASSERT(low_ps >= 1300000u);         /* tLOW, I2C Fast mode and the OV7725's SCCB */
	UNIT_ASSERT(high_ps >= 600000u);         /* tHIGH */
	UNIT_EQ_INT(low_ps + high_ps, 2500000u); /* 400 kHz before the rise time: camera.sccb.clocks' 2.5 us */
	UNIT_ASSERT((((t >> 20) & 0xFu) + 1u) * step_ps >= 100000u); /* SCLDEL: tSU:DAT */
}

/* The camera's supply before its pins: hw_init drives nothing into the sensor until the switch's turn-on
 * has passed since the supply went on, and waits only for what the boot has not spent of it. */
static void supply_wait_ns(uint32_t since_on_ms, uint64_t *waited_ns)
{
	h7_fake_reset();
	SysTick_Config(64000);
	h7_fake_wfi_hook = next_tick;
	h7_camera_supply_on();
	UNIT_EQ_INT((H7_GPIO(H7_PORT_D)->MODER >> 12) & 3u, H7_GPIO_OUTPUT);
	UNIT_EQ_INT(H7_GPIO(H7_PORT_D)->BSRR, 1u << 6);
	elapsed_ns = 0;
	if (since_on_ms)
		h7_delay_ms(since_on_ms);
	uint64_t before = elapsed_ns;
	h7_camera_hw_init();
	UNIT_EQ_INT((H7_GPIO(H7_PORT_A)->MODER >> 20) & 3u, H7_GPIO_OUTPUT); /* RESETB driven after the wait */
	UNIT_ASSERT(elapsed_ns >= H7_CAMERA_SUPPLY_ON_US * 1000u);
	*waited_ns = elapsed_ns - before;
}

UNIT_TEST(camera_pins_wait_for_the_supply_switch)
{
	uint64_t waited;
	supply_wait_ns(0, &waited);
	UNIT_ASSERT(waited >= H7_CAMERA_SUPPLY_ON_US * 1000u);
	supply_wait_ns(2, &waited);
	UNIT_EQ_INT(waited, 0); /* a boot that ran longer than the turn-on waits no more */
}

UNIT_TEST(standby_holds_the_camera_in_power_down_with_its_pins_released)
{
	camera_ready();
	UNIT_EQ_INT((H7_GPIO(H7_PORT_A)->MODER >> 12) & 3u, H7_GPIO_AF); /* PIXCLK on the DCMI */
	h7_camera_power_down();
	h7_fake_wfi_hook = standby;
	if (setjmp(h7_fake_escape) == 0)
		h7_enter_standby();
	/* The supply switch's ON (PD6) driven low, its last write: the sensor unpowered through Standby. */
	UNIT_EQ_INT((at_wfi.gpio[H7_PORT_D].MODER >> 12) & 3u, H7_GPIO_OUTPUT);
	UNIT_EQ_INT(at_wfi.gpio[H7_PORT_D].BSRR, 1u << (6 + 16));
	/* XCLK stopped: MCO1 off, PA8 analog; PWDN (PD7), RESETB (PA10), SCCB (PB8, PB9) and every DCMI pin
	   analog, no pull: nothing driven into the unpowered sensor. */
	UNIT_EQ_INT(at_wfi.cfgr & ((7u << RCC_CFGR_MCO1_Pos) | (0xFu << RCC_CFGR_MCO1PRE_Pos)), 0);
	static const uint8_t analog[][2] = {
	        {H7_PORT_A, 8}, {H7_PORT_D, 7}, {H7_PORT_A, 10}, {H7_PORT_B, 8}, {H7_PORT_B, 9}, {H7_PORT_A, 6},
	        {H7_PORT_A, 4}, {H7_PORT_B, 7}, {H7_PORT_C, 6},  {H7_PORT_C, 7}, {H7_PORT_E, 0}, {H7_PORT_E, 1},
	        {H7_PORT_E, 4}, {H7_PORT_B, 6}, {H7_PORT_E, 5},  {H7_PORT_E, 6},
	};
	for (unsigned i = 0; i < sizeof analog / sizeof analog[0]; i++) {
		const h7_gpio_t *g = &at_wfi.gpio[analog[i][0]];
		unsigned pin = analog[i][1];
		UNIT_EQ_INT((g->MODER >> (2 * pin)) & 3u, H7_GPIO_ANALOG);
		UNIT_EQ_INT((g->PUPDR >> (2 * pin)) & 3u, H7_GPIO_PULL_NONE);
	}
	UNIT_EQ_INT(at_wfi.i2c_cr1 & I2C_CR1_PE, 0);
	UNIT_EQ_INT(at_wfi.dcmi_cr & DCMI_CR_ENABLE, 0);
	UNIT_EQ_INT(at_wfi.pdds, 1);
}

/* The DCMI's frame: DMA1 stream 0 completes after `frame_ticks` ms of WFI, each tick a SysTick
 * interrupt. What the core waited with is noted at each WFI. */
static struct {
	int ticks, frame_ticks, masked, dma_vector_on, dcmi_vector_on;
	uint32_t dma_cr, dcmi_ier;
} readout;
static void frame_readout(void)
{
	readout.masked = h7_fake_irq_masked;
	readout.dma_vector_on = h7_fake_nvic_enabled(DMA1_Stream0_IRQn);
	readout.dcmi_vector_on = h7_fake_nvic_enabled(DCMI_IRQn);
	readout.dma_cr = H7_DMA1->S[0].CR;
	readout.dcmi_ier = H7_DCMI->IER;
	if (++readout.ticks == readout.frame_ticks && (H7_DMA1->S[0].CR & DMA_SxCR_TCIE) && readout.dma_vector_on) {
		/* The last word in memory: transfer complete, its interrupt ends the WFI. */
		H7_DMA1->LISR = DMA_FLAG_TCIF;
		return;
	}
	SysTick_Handler();
}

UNIT_TEST(frame_readout_sleeps_until_the_frame_interrupt)
{
	camera_ready();
	static uint8_t frame[160 * 120] __attribute__((aligned(32)));
	h7_capture_mode_t mode = {320, 240, 2, 1, 1};
	memset(&readout, 0, sizeof readout);
	readout.frame_ticks = 33; /* a frame at 30 fps */
	h7_fake_wfi_hook = frame_readout;
	uint32_t used = 0;
	if (setjmp(h7_fake_escape)) {
		UNIT_FAIL("the readout never ended");
		return;
	}
	UNIT_EQ_INT(h7_dcmi_capture.start(NULL, frame, sizeof frame, &mode), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_dcmi_capture.wait(NULL, &used, 1000), H7_VIDEO_OK);
	UNIT_EQ_INT(used, sizeof frame);
	/* Asleep for the whole readout, one WFI a tick, woken by the DMA's interrupt (vector on,
	 * transfer-complete and error interrupts on) or the DCMI's; masked from check to WFI. */
	UNIT_EQ_INT(h7_fake_wfi_count, 33);
	UNIT_EQ_INT(readout.masked, 1);
	UNIT_EQ_INT(readout.dma_vector_on, 1);
	UNIT_EQ_INT(readout.dcmi_vector_on, 1);
	UNIT_EQ_INT(readout.dma_cr & (DMA_SxCR_TCIE | DMA_SxCR_TEIE), DMA_SxCR_TCIE | DMA_SxCR_TEIE);
	UNIT_EQ_INT(readout.dcmi_ier, DCMI_RIS_FRAME | DCMI_RIS_OVR | DCMI_RIS_ERR);
	UNIT_EQ_INT(h7_fake_irq_masked, 0);
	/* And nothing left on for the rest of the wake. */
	UNIT_EQ_INT(h7_fake_nvic_enabled(DMA1_Stream0_IRQn), 0);
	UNIT_EQ_INT(h7_fake_nvic_enabled(DCMI_IRQn), 0);
	UNIT_EQ_INT(H7_DCMI->IER, 0);
}

UNIT_TEST(frame_readout_without_a_camera_ends_at_its_time_limit)
{
	camera_ready();
	static uint8_t frame[160 * 120] __attribute__((aligned(32)));
	h7_capture_mode_t mode = {320, 240, 2, 1, 1};
	memset(&readout, 0, sizeof readout);
	readout.frame_ticks = -1; /* no PCLK: nothing ever comes */
	h7_fake_wfi_hook = frame_readout;
	uint32_t used = 0;
	if (setjmp(h7_fake_escape)) {
		UNIT_FAIL("the readout never ended");
		return;
	}
	UNIT_EQ_INT(h7_dcmi_capture.start(NULL, frame, sizeof frame, &mode), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_dcmi_capture.wait(NULL, &used, 250), H7_VIDEO_ETIMEDOUT);
	UNIT_EQ_INT(h7_fake_wfi_count, 250);
	UNIT_EQ_INT(h7_fake_irq_masked, 0);
}

int main(void)
{
	UNIT_RUN(stop_ends_on_a_wake_pin);
	UNIT_RUN(stop_with_a_pin_and_a_timeout_reports_the_pin);
	UNIT_RUN(stop_and_standby_are_entered_from_vos1_on_the_hsi);
	UNIT_RUN(revision_y_runs_400_mhz_without_the_overdrive);
	UNIT_RUN(console_divisor_after_the_hse_fails_at_stop_exit);
	UNIT_RUN(rtc_start_keeps_a_running_rtc);
	UNIT_RUN(delay_lasts_at_least_what_it_is_asked);
	UNIT_RUN(sccb_runs_at_the_ov7725s_fastest_clock);
	UNIT_RUN(camera_pins_wait_for_the_supply_switch);
	UNIT_RUN(standby_holds_the_camera_in_power_down_with_its_pins_released);
	UNIT_RUN(frame_readout_sleeps_until_the_frame_interrupt);
	UNIT_RUN(frame_readout_without_a_camera_ends_at_its_time_limit);
	return unit_done();
}
