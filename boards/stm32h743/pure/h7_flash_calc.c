/*
 * h7_flash_calc.c: the end of a flash program or erase, from FLASH_SR.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_flash.h"
#include "h7_regs.h"

_Static_assert(H7_FLASH_OP_ERRORS ==
                       (FLASH_SR_WRPERR | FLASH_SR_PGSERR | FLASH_SR_STRBERR | FLASH_SR_INCERR | FLASH_SR_OPERR),
               "the program/erase error flags of RM0433 4.9.5");

int h7_flash_op_status(uint32_t sr)
{
	if (sr & (FLASH_SR_QW | FLASH_SR_BSY | FLASH_SR_WBNE))
		return 1;
	return (sr & H7_FLASH_OP_ERRORS) ? -1 : 0;
}
