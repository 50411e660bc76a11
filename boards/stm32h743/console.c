/*
 * console.c: console_board.h on the console USART (USART3, src/hw/board.c), raw: the text
 * console's h7_console_write turns '\n' into "\r\n", which a binary frame must not get.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "console_board.h"
#include "h7_board.h"
#include "h7_regs.h"

int board_console_read(uint8_t *data, size_t size, uint32_t timeout_ms)
{
	uint32_t start = h7_time_ms();
	size_t got = 0;
	while (got == 0 && size > 0) {
		int c;
		while (got < size && (c = h7_console_getc()) >= 0)
			data[got++] = (uint8_t)c;
		if (got == 0 && h7_time_ms() - start >= timeout_ms)
			break;
	}
	return (int)got;
}

int board_console_write(const uint8_t *data, size_t size)
{
	h7_usart_t *u = H7_USART3;
	for (size_t i = 0; i < size; i++) {
		while (!(u->ISR & USART_ISR_TXE)) {
		}
		u->TDR = data[i];
	}
	while (!(u->ISR & USART_ISR_TC)) {
	}
	return 0;
}

/* A byte latched (RXNE), or one lost to an overrun (ORE): either way the host is talking. */
int board_console_pending(void)
{
	return (H7_USART3->ISR & (USART_ISR_RXNE | USART_ISR_ORE)) ? 1 : 0;
}
