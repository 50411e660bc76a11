/*
 * xs_banks.c: XS's chunk and slot blocks in the RAM banks the board's linker script gives
 * them (__xs_bank<N>_start/_end: the STM32H743's SRAM1-3 after the DMA frame, what DTCM leaves
 * after the stack and statics, SRAM4), before malloc's heap. XS takes its blocks once and keeps
 * them for the machine's life (a device's is the boot's), so each bank is filled from its start,
 * a block going to the bank with the least room that holds it, and consecutive blocks in a bank
 * are contiguous, which XS merges into one chunk block. A request no bank can hold, and every
 * one on a board without banks, goes to malloc.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "xs_port.h"

#include <stdint.h>
#include <stdlib.h>

extern char __xs_bank0_start[] __attribute__((weak)), __xs_bank0_end[] __attribute__((weak));
extern char __xs_bank1_start[] __attribute__((weak)), __xs_bank1_end[] __attribute__((weak));
extern char __xs_bank2_start[] __attribute__((weak)), __xs_bank2_end[] __attribute__((weak));

static struct {
	char *next;
	char *end;
} gBanks[3];
static int gBanksReady;

static int inBanks(const void *p)
{
	const char *at = p;
	return (at >= __xs_bank0_start && at < __xs_bank0_end) || (at >= __xs_bank1_start && at < __xs_bank1_end) ||
	        (at >= __xs_bank2_start && at < __xs_bank2_end);
}

static void *bankAllocate(size_t size)
{
	if (!gBanksReady) {
		gBanks[0].next = __xs_bank0_start, gBanks[0].end = __xs_bank0_end;
		gBanks[1].next = __xs_bank1_start, gBanks[1].end = __xs_bank1_end;
		gBanks[2].next = __xs_bank2_start, gBanks[2].end = __xs_bank2_end;
		gBanksReady = 1;
	}
	size = (size + 7) & ~(size_t)7;
	/* The bank with the least room that holds the block: XS asks for its chunk block first, and a small
	   one must not take the room of the large slot block that follows (on the STM32H743 the 56-KB chunk
	   block fits DTCM's rest and the 212-KB slot block SRAM1-3's, so malloc holds neither). */
	int best = -1;
	for (int i = 0; i < 3; i++) {
		const size_t room = gBanks[i].next ? (size_t)(gBanks[i].end - gBanks[i].next) : 0;
		if (room >= size && (best < 0 || room < (size_t)(gBanks[best].end - gBanks[best].next)))
			best = i;
	}
	if (best >= 0) {
		void *block = gBanks[best].next;
		gBanks[best].next += size;
		return block;
	}
	return malloc(size);
}

/* A block in a bank is the machine's until the board resets. */
static void bankFree(void *block)
{
	if (!inBanks(block))
		free(block);
}

/* Bytes of the banks XS took (for the board's --stats). */
size_t xsBanksUsed(void)
{
	size_t used = 0;
	if (gBanksReady)
		used = (size_t)(gBanks[0].next - __xs_bank0_start) + (size_t)(gBanks[1].next - __xs_bank1_start) +
		        (size_t)(gBanks[2].next - __xs_bank2_start);
	return used;
}

void *fxAllocateChunks(txMachine *the, txSize size)
{
	return bankAllocate((size_t)size);
}

void fxFreeChunks(txMachine *the, void *chunks)
{
	bankFree(chunks);
}

txSlot *fxAllocateSlots(txMachine *the, txSize count)
{
	return bankAllocate((size_t)count * sizeof(txSlot));
}

void fxFreeSlots(txMachine *the, void *slots)
{
	bankFree(slots);
}
