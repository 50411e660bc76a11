/*
 * h7_fault.h: back-off after failed boots and processor faults, and the fault record kept in
 * backup SRAM for the next boot to report (pure C, host-tested; the handlers are hw/startup.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FAULT_H
#define XSIGHT_H7_FAULT_H

#include <stdint.h>

/* A failing board sleeps base_us doubled per failure, at most H7_BACKOFF_MAX_DOUBLINGS times
 * (10 s doubled 8 times is about 43 min): a board that cannot work must not drain its battery
 * in a tight loop of boots, and must still try again within the hour. */
#define H7_BACKOFF_MAX_DOUBLINGS 8u
uint64_t h7_backoff_us(uint64_t base_us, uint32_t doublings);

/* Faults in a row, and the last one: kept in backup SRAM (an h7_retained record) across the
 * Standby that backs off, so the next boot can say where it crashed. Cleared by a boot that
 * reaches its first sleep. */
typedef struct {
	uint32_t count;  /* faults since the last good boot */
	uint32_t pc;     /* stacked pc of the last fault (the instruction that faulted) */
	uint32_t lr;     /* stacked lr: the caller, when pc is in a library */
	uint32_t vector; /* the exception number: 3 HardFault, 4 MemManage, ...; 16 + n IRQ n */
} h7_fault_t;
#define H7_FAULT_RETRY_US 10000000ull /* the first back-off after a fault: 10 s */

/* The record after one more fault (count + 1, pc, lr, vector), and how long to back off for it. */
h7_fault_t h7_fault_next(const h7_fault_t *last, uint32_t pc, uint32_t lr, uint32_t vector, uint64_t *backoff_us);

#endif
