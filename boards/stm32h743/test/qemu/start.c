/*
 * start.c: runs the board's host unit tests on a Cortex-M7 under QEMU
 * (-M mps2-an500), compiled by arm-none-eabi-gcc with the board's flags, so
 * the pure C is checked on the target's ABI (hard float, newlib's 32-bit
 * types), not only on the host. Output and exit status go through
 * semihosting (newlib's rdimon).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern uint32_t __stack_top_q, __data_start__, __data_end__, __etext, __bss_start__, __bss_end__;
extern int main(void);
extern void initialise_monitor_handles(void);

void _init(void) {}
void _fini(void) {}

void reset(void)
{
	/* FPU on before any C that may use it (CPACR CP10/CP11 full access). */
	*(volatile uint32_t *)0xE000ED88 |= 0xFu << 20;
	__asm volatile("dsb\n isb");
	memcpy(&__data_start__, &__etext, (size_t)((char *)&__data_end__ - (char *)&__data_start__));
	memset(&__bss_start__, 0, (size_t)((char *)&__bss_end__ - (char *)&__bss_start__));
	initialise_monitor_handles();
	exit(main());
}

/* Any fault ends the run with a distinct status instead of locking up QEMU. */
static void fault(void)
{
	exit(99);
}

__attribute__((section(".vectors"), used)) const void *const qemu_vectors[16] = {
        &__stack_top_q, (void *)reset, (void *)fault, (void *)fault, (void *)fault, (void *)fault, (void *)fault,
};
