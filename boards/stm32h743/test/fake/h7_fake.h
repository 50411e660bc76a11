/*
 * h7_fake.h: what a host test of hw/ sees of the fake core (h7_fake.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FAKE_H
#define XSIGHT_H7_FAKE_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

/* Every register back to zero, the NVIC off, no hook. */
void h7_fake_reset(void);
bool h7_fake_nvic_enabled(int irqn);
extern bool h7_fake_irq_masked; /* PRIMASK */

/* Called at each WFI, as the core waits: the test plays the hardware (what ends the wait, and
 * which flags it leaves). A WFI with no hook, or a Standby, returns to h7_fake_escape. */
extern void (*h7_fake_wfi_hook)(void);
extern int h7_fake_wfi_count;
extern jmp_buf h7_fake_escape;
#define H7_FAKE_ESCAPED_RESET 1
#define H7_FAKE_ESCAPED_WFI   2

#endif
