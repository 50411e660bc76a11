/*
 * flash.c: the internal-flash driver under the file store (RM0433 4.3.9
 * programming, 4.3.10 sector erase): bank 2, sectors 4-7 at 0x08180000 (h7_fstore.h), one
 * 256-bit flash word per program operation. Code runs from bank 1, so reads
 * of code continue while bank 2 is busy.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "h7_board.h"
#include "h7_device.h"
#include "h7_flash.h"
#include "h7_fstore.h"
#include "h7_regs.h"

#define STORE_BASE ((uint32_t)H7_FSTORE_BASE)
#define STORE_SIZE ((uint32_t)H7_FSTORE_SIZE)
/* Whole sectors of bank 2 only (fs_erase numbers sectors within bank 2; code runs from bank 1),
   and two halves of whole sectors (h7fs). */
_Static_assert(STORE_BASE >= H7_FLASH_BANK2 && (STORE_BASE - H7_FLASH_BANK2) % H7_FLASH_SECTOR == 0,
               "the store starts on a bank 2 sector");
_Static_assert(STORE_SIZE % (2 * H7_FLASH_SECTOR) == 0 &&
                       STORE_SIZE <= H7_FLASH_BANK2 + 8 * H7_FLASH_SECTOR - STORE_BASE,
               "the store is two halves of whole sectors inside bank 2");
#define BUSY_LIMIT 50000000u

static int wait_done(void)
{
	for (uint32_t i = 0; i < BUSY_LIMIT; i++) {
		int status = h7_flash_op_status(H7_FLASH->SR2);
		if (status <= 0) {
			H7_FLASH->CCR2 = FLASH_CCR_ALL;
			return status;
		}
	}
	return -1;
}

static void unlock(void)
{
	if (H7_FLASH->CR2 & FLASH_CR_LOCK) {
		H7_FLASH->KEYR2 = FLASH_KEY1;
		H7_FLASH->KEYR2 = FLASH_KEY2;
	}
}

static void lock(void)
{
	H7_FLASH->CR2 |= FLASH_CR_LOCK;
}

/* A flash word torn by a power cut can hold a double ECC error, and reading it raises a bus
 * fault (RM0433 4.7): a fault at mount would become a reset loop. So reads run with bus
 * faults ignored (CCR.BFHFNMIGN under FAULTMASK, PM0253 4.3.x) and a word that failed ECC
 * reads as zeros: the store sees a torn record and skips it. */
static int fs_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	(void)ctx;
	if (off > STORE_SIZE || len > STORE_SIZE - off)
		return -1;
	H7_FLASH->CCR2 = FLASH_CCR_ALL;
	uint32_t ccr = SCB->CCR;
	__set_FAULTMASK(1);
	SCB->CCR = ccr | SCB_CCR_BFHFNMIGN_Msk;
	__DSB();
	__ISB();
	memcpy(buf, (const void *)(uintptr_t)(STORE_BASE + off), len);
	__DSB();
	SCB->CCR = ccr;
	__DSB();
	__ISB();
	__set_FAULTMASK(0);
	if (H7_FLASH->SR2 & FLASH_SR_DBECCERR) {
		H7_FLASH->CCR2 = FLASH_CCR_ALL;
		memset(buf, 0, len);
	}
	return 0;
}

static int fs_program(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	if ((off | len) % H7_FLASH_WORD || off > STORE_SIZE || len > STORE_SIZE - off)
		return -1;
	int status = 0;
	unlock();
	H7_FLASH->CCR2 = FLASH_CCR_ALL;
	H7_FLASH->CR2 = (H7_FLASH->CR2 & ~(3u << FLASH_CR_PSIZE_Pos)) | (3u << FLASH_CR_PSIZE_Pos) | FLASH_CR_PG;
	for (uint32_t w = 0; w < len && !status; w += H7_FLASH_WORD) {
		uint32_t word[8];
		memcpy(word, (const uint8_t *)buf + w, sizeof word);
		volatile uint32_t *dst = (volatile uint32_t *)(uintptr_t)(STORE_BASE + off + w);
		/* Eight 32-bit writes fill the write buffer; the ninth-word boundary starts programming. */
		for (int i = 0; i < 8; i++)
			dst[i] = word[i];
		__DSB();
		status = wait_done();
	}
	H7_FLASH->CR2 &= ~FLASH_CR_PG;
	lock();
	SCB_InvalidateDCache_by_Addr((void *)(uintptr_t)(STORE_BASE + off), (int32_t)len);
	return status;
}

static int fs_erase(void *ctx, uint32_t off)
{
	(void)ctx;
	if (off % H7_FLASH_SECTOR || off >= STORE_SIZE)
		return -1;
	uint32_t sector = (STORE_BASE + off - H7_FLASH_BANK2) / H7_FLASH_SECTOR;
	if (STORE_BASE + off < H7_FLASH_BANK2 || sector > 7)
		return -1; /* never erase bank 1 (code) */
	unlock();
	H7_FLASH->CCR2 = FLASH_CCR_ALL;
	H7_FLASH->CR2 = (H7_FLASH->CR2 & ~((7u << FLASH_CR_SNB_Pos) | (3u << FLASH_CR_PSIZE_Pos))) | FLASH_CR_SER |
	        (3u << FLASH_CR_PSIZE_Pos) | (sector << FLASH_CR_SNB_Pos);
	H7_FLASH->CR2 |= FLASH_CR_START;
	int status = wait_done();
	H7_FLASH->CR2 &= ~FLASH_CR_SER;
	lock();
	SCB_InvalidateDCache_by_Addr((void *)(uintptr_t)(STORE_BASE + off), (int32_t)H7_FLASH_SECTOR);
	return status;
}

/* The same size the linker script's FSTORE and the store image tool take from h7_fstore.h. */
const h7fs_flash_t h7_internal_flash = {NULL, STORE_SIZE, H7_FLASH_SECTOR, fs_read, fs_program, fs_erase};
