/*
 * h7_fstore.h: where the internal-flash file store lives, defined once for
 * everything that must agree on it: the linker script (ld/stm32h743.ld, run
 * through the C preprocessor, so FLASH ends where FSTORE begins), the flash
 * driver (hw/flash.c), and the host tool that builds store images
 * (tools/h7fs_image.c). An image packed for another size would not mount.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Bank 2 sectors 4-7: two halves of two 128 KB sectors each, so one file of up
 * to about 256 KB fits (a 64x64-input smile model of ~50 KB next to the 77 KB
 * cascade leaves room for the log). Code keeps bank 1 and bank 2 sectors 0-3.
 * Plain integer constants without a `u` suffix: the linker reads them too. The
 * erase unit is H7_FLASH_SECTOR (h7_regs.h).
 */
#ifndef XSIGHT_H7_FSTORE_H
#define XSIGHT_H7_FSTORE_H

#define H7_FSTORE_BASE 0x08180000 /* bank 2 (0x08100000) + 4 sectors */
#define H7_FSTORE_SIZE 0x80000    /* 512 KB: bank 2 sectors 4-7, up to the end of flash */

#endif
