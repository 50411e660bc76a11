/*
 * test_h7_fault.c: the back-off after failures and faults, the fault record, and the end of a
 * flash program or erase from FLASH_SR (RM0433 4.9.5).
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_fault.h"
#include "h7_flash.h"
#include "h7_regs.h"
#include "h7_retained.h"
#include "unit.h"

#include <string.h>

UNIT_TEST(backoff_doubles_up_to_eight_times)
{
	UNIT_EQ_INT(h7_backoff_us(10000000, 0), 10000000);
	UNIT_EQ_INT(h7_backoff_us(10000000, 1), 20000000);
	UNIT_EQ_INT(h7_backoff_us(10000000, 8), 2560000000ll); /* 42 min 40 s */
	UNIT_EQ_INT(h7_backoff_us(10000000, 9), 2560000000ll);
	UNIT_EQ_INT(h7_backoff_us(10000000, 0xFFFFFFFFu), 2560000000ll);
}

UNIT_TEST(faults_in_a_row_back_off_longer)
{
	uint64_t backoff = 0;
	h7_fault_t f = h7_fault_next(NULL, 0x08001234u, 0x08005679u, 3, &backoff);
	UNIT_EQ_INT(f.count, 1);
	UNIT_EQ_INT(f.pc, 0x08001234u);
	UNIT_EQ_INT(f.lr, 0x08005679u);
	UNIT_EQ_INT(f.vector, 3);
	UNIT_EQ_INT(backoff, 10000000); /* the first fault: 10 s, not a reset at once */
	f = h7_fault_next(&f, 0x08002000u, 0, 6, &backoff);
	UNIT_EQ_INT(f.count, 2);
	UNIT_EQ_INT(f.pc, 0x08002000u);
	UNIT_EQ_INT(f.vector, 6);
	UNIT_EQ_INT(backoff, 20000000);
	for (int i = 0; i < 20; i++)
		f = h7_fault_next(&f, 1, 2, 3, &backoff);
	UNIT_EQ_INT(f.count, 22);
	UNIT_EQ_INT(backoff, 2560000000ll);
	f.count = 0xFFFFFFFFu; /* no wrap to zero, which would read as "no fault" */
	f = h7_fault_next(&f, 1, 2, 3, &backoff);
	UNIT_EQ_INT(f.count, 0xFFFFFFFFu);
}

UNIT_TEST(fault_record_survives_in_a_retained_area)
{
	/* What the handler saves the next boot loads, through the same two-slot record. */
	uint8_t area[H7_RETAINED_AREA_SIZE(sizeof(h7_fault_t))];
	memset(area, 0xA5, sizeof area); /* backup SRAM after power-up: garbage */
	h7_fault_t f = {0};
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &f, sizeof f), H7_RETAINED_ENOENT);
	f = h7_fault_next(NULL, 0x0800ABCDu, 0x0800BEEFu, 4, NULL);
	UNIT_EQ_INT(h7_retained_save(area, sizeof area, &f, sizeof f), H7_RETAINED_OK);
	h7_fault_t back = {0};
	UNIT_EQ_INT(h7_retained_load(area, sizeof area, &back, sizeof back), H7_RETAINED_OK);
	UNIT_EQ_INT(back.count, 1);
	UNIT_EQ_INT(back.pc, 0x0800ABCDu);
	UNIT_EQ_INT(back.lr, 0x0800BEEFu);
	UNIT_EQ_INT(back.vector, 4);
	UNIT_ASSERT(sizeof area <=
	            64); /* what the backup SRAM has left next to the boot record (392 B) and the app's 3584 B */
}

UNIT_TEST(flash_op_status_ignores_read_flags)
{
	UNIT_EQ_INT(h7_flash_op_status(0), 0);
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_EOP), 0);
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_QW), 1);
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_BSY | FLASH_SR_PGSERR), 1); /* not done yet */
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_WBNE), 1);
	/* A corrected (single) or uncorrectable (double) ECC error is a read's, anywhere in the bank
	 * (the model Resource reads in place during a log write): the write still succeeded. */
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_EOP | FLASH_SR_SNECCERR), 0);
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_EOP | FLASH_SR_DBECCERR), 0);
	UNIT_EQ_INT(h7_flash_op_status(FLASH_SR_RDPERR | FLASH_SR_RDSERR), 0);
	/* Every program/erase error fails the operation, each alone. */
	const uint32_t errors[] = {FLASH_SR_WRPERR, FLASH_SR_PGSERR, FLASH_SR_STRBERR, FLASH_SR_INCERR, FLASH_SR_OPERR};
	for (unsigned i = 0; i < sizeof errors / sizeof errors[0]; i++) {
		UNIT_EQ_INT(h7_flash_op_status(errors[i]), -1);
		UNIT_EQ_INT(h7_flash_op_status(errors[i] | FLASH_SR_SNECCERR), -1);
	}
	/* The bits by hand from RM0433 4.9.5: WRPERR 17, PGSERR 18, STRBERR 19, INCERR 21, OPERR 22. */
	UNIT_EQ_INT(H7_FLASH_OP_ERRORS, (1u << 17) | (1u << 18) | (1u << 19) | (1u << 21) | (1u << 22));
	UNIT_EQ_INT(FLASH_SR_SNECCERR, 1u << 25);
	UNIT_EQ_INT(FLASH_SR_DBECCERR, 1u << 26);
}

int main(void)
{
	UNIT_RUN(backoff_doubles_up_to_eight_times);
	UNIT_RUN(faults_in_a_row_back_off_longer);
	UNIT_RUN(fault_record_survives_in_a_retained_area);
	UNIT_RUN(flash_op_status_ignores_read_flags);
	return unit_done();
}
