/*
 * h7_flash.h: how a finished program or erase of the internal flash ended (pure C, host-tested;
 * the driver is hw/flash.c).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FLASH_H
#define XSIGHT_H7_FLASH_H

#include <stdint.h>

/* The FLASH_SR flags a program or erase sets when it fails (RM0433 4.9.5): write protection,
 * programming sequence, strobe, inconsistency, operation (a write or erase error reported by
 * the flash itself). Not the read flags (RDPERR, RDSERR, SNECCERR, DBECCERR): any read of the
 * bank sets those, for instance the model Resource reads in place while the log is written, and
 * a corrected single-bit error is no failure of the write at all. */
#define H7_FLASH_OP_ERRORS 0x006E0000u

/* A bank's FLASH_SR after an operation: 1 still busy (BSY, QW or WBNE), 0 done, -1 failed. */
int h7_flash_op_status(uint32_t sr);

#endif
