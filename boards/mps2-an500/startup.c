/*
 * startup.c: vectors, reset and faults for the Cortex-M7 of mps2-an500.
 * Reset enables the FPU before any C runs (the build uses the hard-float
 * ABI, so even memcpy may touch FP registers), lays out .data and .bss and
 * calls main. A fault prints where it happened and exits QEMU with status 3
 * instead of hanging. SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"

#include <stdio.h>
#include <string.h>

extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[], __stack_top[], __stack_limit[];

#define STACK_PAINT 0xA5A5A5A5u

/* Bytes of the main stack ever used: the painted words nobody overwrote are
   counted from the bottom (__stack_limit) up. */
size_t boardStackPeak(void)
{
	const uint32_t *p = __stack_limit;
	while (p < __stack_top && *p == STACK_PAINT)
		p++;
	return (size_t)((const char *)__stack_top - (const char *)p);
}
extern int main(void);
extern void __libc_init_array(void);
void Reset_Handler(void);
void Fault_Handler(void);
void Default_Handler(void);
void TIMER0_Handler(void);
/* power.c's alarm; programs without power.c (the C tests) never enable it. */
void TIMER1_Handler(void) __attribute__((weak, alias("Default_Handler")));

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88)
#define SCB_CFSR  (*(volatile uint32_t *)0xE000ED28)
#define SCB_HFSR  (*(volatile uint32_t *)0xE000ED2C)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34)
#define SCB_BFAR  (*(volatile uint32_t *)0xE000ED38)
#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24)

enum { BOARD_EXIT_FAULT = 3 };

typedef void (*Vector)(void);

/* 16 system exceptions, then the an500's 32 external interrupts
   (CMSDK timers 0 and 1 are IRQ 8 and 9). */
__attribute__((section(".vectors"), used)) const Vector gVectors[16 + 32] = {
        [0] = (Vector)__stack_top, [1] = Reset_Handler,       [2] = Fault_Handler, /* NMI */
        [3] = Fault_Handler,                                                       /* HardFault */
        [4] = Fault_Handler,                                                       /* MemManage */
        [5] = Fault_Handler,                                                       /* BusFault */
        [6] = Fault_Handler,                                                       /* UsageFault */
        [11] = Default_Handler,                                                    /* SVCall */
        [12] = Default_Handler,                                                    /* DebugMonitor */
        [14] = Default_Handler,                                                    /* PendSV */
        [15] = Default_Handler,                                                    /* SysTick */
        [16 + 8] = TIMER0_Handler, [16 + 9] = TIMER1_Handler,                      /* the power module's alarm */
};

/* newlib calls these around static constructors; there are none. */
void _init(void) {}
void _fini(void) {}

__attribute__((noreturn)) void Reset_Handler(void)
{
	SCB_CPACR |= (0xFu << 20); /* CP10 and CP11: full access */
	__asm__ volatile("dsb\n isb");
	memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
	memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
	/* Paint the stack below this frame (with room for memset's own) for boardStackPeak. */
	uint32_t *sp;
	__asm__ volatile("mov %0, sp" : "=r"(sp));
	for (uint32_t *p = __stack_limit; p < sp - 64; p++)
		*p = STACK_PAINT;
	SCB_SHCSR |= (7u << 16); /* separate MemManage, BusFault and UsageFault */
	__libc_init_array();
	boardExit(main());
}

/* The frame the core pushed tells where the fault happened. */
__attribute__((used)) void boardFault(uint32_t *frame, uint32_t exception)
{
	char text[200];
	int n = snprintf(text, sizeof(text),
	                 "fatal: %s (exception %lu) at pc 0x%08lx lr 0x%08lx; CFSR 0x%08lx HFSR 0x%08lx MMFAR 0x%08lx BFAR "
	                 "0x%08lx\n",
	                 exception == 3           ? "HardFault"
	                         : exception == 4 ? "MemManage fault"
	                         : exception == 5 ? "BusFault"
	                         : exception == 6 ? "UsageFault"
	                                          : "fault",
	                 (unsigned long)exception, (unsigned long)frame[6], (unsigned long)frame[5],
	                 (unsigned long)SCB_CFSR, (unsigned long)SCB_HFSR, (unsigned long)SCB_MMFAR,
	                 (unsigned long)SCB_BFAR);
	if (n > 0)
		boardConsoleWrite(text, (size_t)n < sizeof(text) ? (size_t)n : sizeof(text) - 1, 1);
	boardExit(BOARD_EXIT_FAULT);
}

__attribute__((naked)) void Fault_Handler(void)
{
	__asm__ volatile("tst lr, #4\n"
	                 "ite eq\n"
	                 "mrseq r0, msp\n"
	                 "mrsne r0, psp\n"
	                 "mrs r1, ipsr\n"
	                 "b boardFault\n");
}

void Default_Handler(void)
{
	static const char text[] = "fatal: unexpected interrupt\n";
	boardConsoleWrite(text, sizeof(text) - 1, 1);
	boardExit(BOARD_EXIT_FAULT);
}
