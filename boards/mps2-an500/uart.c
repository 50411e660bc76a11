/*
 * uart.c: console_board.h on UART0, the CMSDK APB UART at 0x40004000 (QEMU: `-serial pty`
 * makes it a pseudo-terminal on the host; with `-serial none` what is written goes nowhere and
 * nothing arrives). Polled: the console protocol reads only during a wake that asked for it.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"
#include "console_board.h"

typedef struct {
	volatile uint32_t DATA;
	volatile uint32_t STATE; /* bit 0 TX buffer full, bit 1 RX buffer full */
	volatile uint32_t CTRL;  /* bit 0 TX enable, bit 1 RX enable */
	volatile uint32_t INTSTATUS;
	volatile uint32_t BAUDDIV;
} cmsdk_uart_t;

#define UART0        ((cmsdk_uart_t *)0x40004000u)
#define STATE_TXFULL 1u
#define STATE_RXFULL 2u

/* On first use (every boot: a Standby resets the UART): until then the receiver takes nothing, and
   QEMU keeps what the host sent, so a host holding the line is seen at the wake's end all the same;
   and a transmitter left off would keep TXFULL set forever. */
static void uartInit(void)
{
	static int ready;
	if (ready)
		return;
	UART0->BAUDDIV = BOARD_TIMER_HZ / 115200u; /* the APB clock is the timer's */
	UART0->CTRL = 3u;
	/* QEMU looks for input again only when DATA is read (qemu_chr_fe_accept_input), not when the
	   receiver is turned on: without this read a byte the host sent could wait for some other event. */
	(void)UART0->DATA;
	ready = 1;
}

int board_console_read(uint8_t *data, size_t size, uint32_t timeout_ms)
{
	uartInit();
	uint64_t deadline = boardTicks() + (uint64_t)timeout_ms * (BOARD_TIMER_HZ / 1000u);
	size_t got = 0;
	while (got == 0 && size > 0) {
		while (got < size && (UART0->STATE & STATE_RXFULL))
			data[got++] = (uint8_t)UART0->DATA;
		if (got == 0 && boardTicks() >= deadline)
			break;
	}
	return (int)got;
}

/* A byte leaves a real UART in 87 us at 115200 baud whoever listens; QEMU's holds it while the
   pseudo-terminal takes nothing (no reader, or one whose terminal is not raw yet). Past this wait
   the rest is dropped, as a wire with nobody on it would: the board never stalls on its console. */
#define WRITE_STALL_MS 20u

int board_console_write(const uint8_t *data, size_t size)
{
	uartInit();
	for (size_t i = 0; i < size; i++) {
		uint64_t deadline = boardTicks() + WRITE_STALL_MS * (BOARD_TIMER_HZ / 1000u);
		while (UART0->STATE & STATE_TXFULL)
			if (boardTicks() >= deadline)
				return 0;
		UART0->DATA = data[i];
	}
	return 0;
}

int board_console_pending(void)
{
	uartInit();
	return (UART0->STATE & STATE_RXFULL) ? 1 : 0;
}
