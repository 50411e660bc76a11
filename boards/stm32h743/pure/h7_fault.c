/*
 * h7_fault.c: back-off periods and the fault record.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_fault.h"

uint64_t h7_backoff_us(uint64_t base_us, uint32_t doublings)
{
	return base_us << (doublings < H7_BACKOFF_MAX_DOUBLINGS ? doublings : H7_BACKOFF_MAX_DOUBLINGS);
}

h7_fault_t h7_fault_next(const h7_fault_t *last, uint32_t pc, uint32_t lr, uint32_t vector, uint64_t *backoff_us)
{
	uint32_t count = last ? last->count : 0;
	h7_fault_t next = {count < UINT32_MAX ? count + 1 : count, pc, lr, vector};
	if (backoff_us)
		*backoff_us = h7_backoff_us(H7_FAULT_RETRY_US, next.count - 1);
	return next;
}
