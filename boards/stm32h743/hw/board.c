/*
 * board.c: board start-up, the polled USART console, SysTick time, exit, and
 * the GPIO helper the other drivers use.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_board.h"
#include "h7_device.h"
#include "h7_gpio.h"
#include "h7_regs.h"

static h7_clocks_t clocks;
h7fs_t gH7FileStore;
static uint8_t store_scratch[512] H7_AXI_SRAM;
static h7_wake_reason_t wake;
static volatile uint32_t ticks_ms;

void h7_gpio_config(unsigned port, unsigned pin, unsigned mode, unsigned af, unsigned pull, unsigned speed)
{
	H7_RCC->AHB4ENR |= RCC_AHB4ENR_GPIOEN(port);
	(void)H7_RCC->AHB4ENR;
	h7_gpio_t *g = H7_GPIO(port);
	unsigned s2 = pin * 2, s4 = (pin & 7) * 4;
	g->AFR[pin >> 3] = (g->AFR[pin >> 3] & ~(0xFu << s4)) | ((af & 0xFu) << s4);
	g->OSPEEDR = (g->OSPEEDR & ~(3u << s2)) | ((speed & 3u) << s2);
	g->PUPDR = (g->PUPDR & ~(3u << s2)) | ((pull & 3u) << s2);
	g->OTYPER &= ~(1u << pin);
	g->MODER = (g->MODER & ~(3u << s2)) | ((mode & 3u) << s2);
}

void h7_gpio_write(unsigned port, unsigned pin, bool high)
{
	H7_GPIO(port)->BSRR = high ? (1u << pin) : (1u << (pin + 16));
}

/* ---- Console: USART3 on PB10 (TX) / PB11 (RX), AF7 — the OpenMV Cam H7's P4/P5 UART ---------- */
static bool console_ready;

static void console_init(uint32_t pclk1_hz)
{
	H7_RCC->APB1LENR |= RCC_APB1LENR_USART3EN;
	(void)H7_RCC->APB1LENR;
	/* Kernel clock = rcc_pclk1 (D2CCIP2R.USART234578SEL = 000, its reset value). */
	H7_RCC->D2CCIP2R &= ~(7u << RCC_D2CCIP2R_USART234578SEL_Pos);
	h7_gpio_config(1, 10, H7_GPIO_AF, 7, H7_GPIO_PULL_NONE, 2);
	h7_gpio_config(1, 11, H7_GPIO_AF, 7, H7_GPIO_PULL_UP, 2);
	h7_usart_t *u = H7_USART3;
	u->CR1 = 0;
	u->PRESC = 0;
	u->BRR = h7_usart_brr(pclk1_hz, H7_BOARD_CONSOLE_BAUD);
	u->CR2 = 0;
	u->CR3 = 0;
	u->CR1 = USART_CR1_TE | USART_CR1_RE | USART_CR1_UE;
	console_ready = true;
}

/* A new kernel clock: BRR is written with the USART disabled (RM0433 48.7, USART_BRR: UE = 0);
 * h7_console_write returns only once the last byte has left (TC). */
static void console_clock(uint32_t pclk1_hz)
{
	if (!console_ready)
		return;
	h7_usart_t *u = H7_USART3;
	uint32_t cr1 = u->CR1;
	u->CR1 = cr1 & ~USART_CR1_UE;
	u->BRR = h7_usart_brr(pclk1_hz, H7_BOARD_CONSOLE_BAUD);
	u->CR1 = cr1;
}

void h7_console_write(const char *data, size_t len)
{
	if (!console_ready)
		return;
	h7_usart_t *u = H7_USART3;
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n') {
			while (!(u->ISR & USART_ISR_TXE)) {
			}
			u->TDR = '\r';
		}
		while (!(u->ISR & USART_ISR_TXE)) {
		}
		u->TDR = (uint8_t)data[i];
	}
	while (!(u->ISR & USART_ISR_TC)) {
	}
}

int h7_console_getc(void)
{
	if (!console_ready)
		return -1;
	h7_usart_t *u = H7_USART3;
	if (u->ISR & USART_ISR_ORE)
		u->ICR = USART_ICR_ORECF;
	return (u->ISR & USART_ISR_RXNE) ? (int)(u->RDR & 0xFF) : -1;
}

/* ---- Time: SysTick at 1 kHz from the CPU clock ------------------------------------------------ */
void SysTick_Handler(void)
{
	ticks_ms++;
}

void h7_time_advance_ms(uint32_t ms)
{
	ticks_ms += ms;
}

uint32_t h7_time_ms(void)
{
	return ticks_ms;
}

uint64_t h7_time_us(void)
{
	uint32_t ms, val;
	do {
		ms = ticks_ms;
		val = SysTick->VAL;
	} while (ms != ticks_ms);
	uint32_t load = SysTick->LOAD + 1;
	return (uint64_t)ms * 1000u + (uint64_t)(load - val) * 1000u / load;
}

/* Counted in microseconds, not ticks: a delay that starts just before a SysTick edge would
 * otherwise end at that edge, microseconds later (a camera reset pulse must last 1 ms). */
void h7_wait_until_us(uint64_t since, uint32_t us)
{
	while (h7_time_us() - since < (uint64_t)us)
		__WFI();
}

void h7_delay_ms(uint32_t ms)
{
	h7_wait_until_us(h7_time_us(), ms * 1000u);
}

void h7_exit(int status)
{
	char msg[48];
	int n = 0;
	const char *head = "\nxsight: exit ";
	while (head[n]) {
		msg[n] = head[n];
		n++;
	}
	unsigned v = status < 0 ? (unsigned)-status : (unsigned)status;
	if (status < 0)
		msg[n++] = '-';
	char digits[12];
	int d = 0;
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d)
		msg[n++] = digits[--d];
	msg[n++] = '\n';
	h7_console_write(msg, (size_t)n);
	/* No host to return to: reset, after a pause so a failing boot cannot spin the battery flat
	 * in a tight reset loop (the RTC/standby policy above this decides longer back-offs). */
	if (SysTick->CTRL & SysTick_CTRL_ENABLE_Msk)
		h7_delay_ms(1000);
	NVIC_SystemReset();
	for (;;) {
	}
}

int h7_board_mount_store(void)
{
	return h7fs_mount(&gH7FileStore, &h7_internal_flash, store_scratch, sizeof store_scratch, true);
}

h7_wake_reason_t h7_board_wake_reason(void)
{
	return wake;
}

static uint32_t sysclk_target;

static void clocks_apply(void)
{
	h7_clock_apply(H7_BOARD_HSE_HZ, H7_BOARD_HSE_BYPASS, sysclk_target, &clocks);
	SysTick_Config(clocks.sysclk_hz / 1000u);
}

const h7_clocks_t *h7_board_clocks_restore(void)
{
	clocks_apply();
	console_clock(clocks.buses.pclk_hz);
	return &clocks;
}

const h7_clocks_t *h7_board_init(void)
{
	/* The flags first: clock set-up does not touch them, but nothing else may clear them. */
	wake = h7_wake_reason_at_boot();
	sysclk_target = h7_sysclk_for_rev(H7_DBGMCU->IDCODE, H7_BOARD_SYSCLK_HZ);
	clocks_apply();
	console_init(clocks.buses.pclk_hz);
	h7_backup_sram_enable();
	return &clocks;
}
