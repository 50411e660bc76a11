/*
 * h7_memory.h: the STM32H743's RAM budget (RM0433 2.3.2), defined once for the firmware's
 * linker script (ld/stm32h743.ld) and the mps2-an500 build that runs the app inside the same
 * budget (boards/mps2-an500/link-h743.ld). Plain numbers: both are run through the C
 * preprocessor, and a linker script reads C's integer expressions as they are.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_MEMORY_H
#define XSIGHT_H7_MEMORY_H

#define H7_DTCM_SIZE       (128 * 1024)
#define H7_AXI_SRAM_SIZE   (512 * 1024)
#define H7_SRAM12_SIZE     (256 * 1024)
#define H7_SRAM3_SIZE      (32 * 1024)
#define H7_SRAM4_SIZE      (64 * 1024)
/* fw.elf's C stack at the bottom of DTCM: XS recurses in C (fxCStackLimit keeps a 16 KB margin). */
#define H7_FW_STACK_SIZE   (64 * 1024)
/* .axi_sram's statics (H7_AXI_SRAM: the flash store's scratch) ahead of the malloc heap; the link
   fails if they outgrow it, so the heap below is the heap every build gets. */
#define H7_AXI_STATIC_SIZE 512
/* newlib's heap (_sbrk): NN arenas, the binding's frames, C scratch, and XS's blocks once the
   banks below are full. */
#define H7_HEAP_SIZE       (H7_AXI_SRAM_SIZE - H7_AXI_STATIC_SIZE)
/* The camera's DMA frame in SRAM1-2 (camera.c): one QVGA gray frame. */
#define H7_DMA_FRAME_BYTES (320 * 240)
/* XS's chunk and slot blocks go first to what the banks leave (boards/common/xs_banks.c, the
   __xs_bank symbols of the linker scripts): SRAM1-3 after the DMA frame, DTCM after the stack
   and statics, SRAM4. */

#endif
