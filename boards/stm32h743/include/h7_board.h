/*
 * h7_board.h: the STM32H743 board layer as the firmware sees it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Console, time and exit are the three services every xsight board provides
 * (the mps2-an500 board has the same trio); the rest is this board's hardware.
 * Pin choices follow the OpenMV Cam H7 (see docs/boards/stm32h743.md for the
 * table to check against the schematic of the board in hand).
 */
#ifndef XSIGHT_H7_BOARD_H
#define XSIGHT_H7_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "h7_clock.h"
#include "h7_power.h"
#include "h7_sensor.h"
#include "h7fs.h"

#ifndef H7_BOARD_HSE_HZ
/* Must match the board's crystal/oscillator: a value lower than the real HSE overclocks the PLL.
 * 12 MHz is what we understand the OpenMV Cam H7 to use (check the part on your board);
 * Nucleo-H743ZI: 8 MHz from the ST-LINK in bypass mode; many other H743 boards: 25 MHz. */
#define H7_BOARD_HSE_HZ 12000000u
#endif
#ifndef H7_BOARD_HSE_BYPASS
#define H7_BOARD_HSE_BYPASS 0
#endif
#ifndef H7_BOARD_SYSCLK_HZ
#define H7_BOARD_SYSCLK_HZ 480000000u
#endif
#ifndef H7_BOARD_CAMERA_FPS
/* The frame rate the OV7725's clock is chosen for (h7_ov7725_clock): what the energy budget
 * assumes, a frame read out in 16.7 ms (tools/power/profile.ts, camera.frames). 60 fps is the
 * datasheet's VGA maximum and the clock OpenMV's driver runs the sensor at (48 MHz from the 12 MHz
 * XCLK): the seed's camera. A frame is half the awake time of 30 fps's; the exposure cannot be
 * longer than a frame, 16.7 ms (a darker scene takes more gain). */
#define H7_BOARD_CAMERA_FPS 60u
#endif
#ifndef H7_BOARD_CONSOLE_BAUD
/* The console UART's rate, 8N1. A wake sends about 390 bytes (its #wake line and its record's
 * frame, docs/console-protocol.md) and the core waits for each (console.c): 34 ms at 115200 baud,
 * at Run current, as long as the wake's work; 4.2 ms at 921,600 (tools/power/profile.ts,
 * console.bytes). USB-serial adapters take it (FTDI's FT232R up to 3 Mbaud, Silicon Labs' CP2102
 * up to 921,600); USART3's BRR from the 120 MHz APB1 is 130 (923 kbaud, 0.2% off). */
#define H7_BOARD_CONSOLE_BAUD 921600u
#endif

typedef struct {
	h7_clock_status_t status; /* OK, or why we stayed on the 64 MHz HSI */
	bool hse_ok;
	h7_pll_t pll;
	h7_buses_t buses;
	uint32_t sysclk_hz;
} h7_clocks_t;

/* Startup (hw/startup.c) calls h7_board_early_init() before main: FPU, caches, MPU. */
void h7_board_early_init(void);
/* Clocks (H7_BOARD_SYSCLK_HZ, capped at 400 MHz below silicon revision V), SysTick, console,
 * backup SRAM, wake reason. Call first in main. */
const h7_clocks_t *h7_board_init(void);
/* After a Stop (the core wakes on the 64 MHz HSI): the clocks again, SysTick and the console's
 * baud rate divisor for what was reached (the HSI when the HSE does not restart). */
const h7_clocks_t *h7_board_clocks_restore(void);
h7_clock_status_t h7_clock_apply(uint32_t hse_hz, bool hse_bypass, uint32_t sysclk_hz, h7_clocks_t *out);
/* Before Stop or Standby: SYSCLK on the HSI and VOS1 if the overdrive (VOS0) is on. */
void h7_clock_leave_vos0(void);
/* Clock out for bring-up: MCO2 (PC9) = SYSCLK / div, div 1..15. */
void h7_mco2_sysclk(uint32_t div);

/* ---- The board interface shared with the other boards --------------------------------------- */
void h7_console_write(const char *data, size_t len);
int h7_console_getc(void); /* -1 when nothing arrived */
uint32_t h7_time_ms(void); /* since boot, SysTick */
uint64_t h7_time_us(void);
void h7_delay_ms(uint32_t ms);                      /* at least ms, however close to a tick it starts */
void h7_wait_until_us(uint64_t since, uint32_t us); /* in WFI until us have passed since h7_time_us() `since` */
void h7_time_advance_ms(uint32_t ms);               /* time that passed while SysTick was stopped (Stop mode) */
void h7_exit(int status) __attribute__((noreturn)); /* prints the status, then resets */

/* ---- Faults (hw/startup.c): counted in backup SRAM, each backed off in Standby ------------ */
#include "h7_fault.h"
bool h7_fault_last(h7_fault_t *out); /* the faults since the last good boot, if any */
void h7_fault_clear(void);           /* a boot that reached its sleep: the count starts again */

/* ---- Wake reason of this boot (read once in h7_board_init, flags cleared) ------------------- */
h7_wake_reason_t h7_board_wake_reason(void);

/* ---- Camera: OV7725 on I2C1 (SCCB) + DCMI/DMA1 stream 0 ------------------------------------- */
extern const h7_i2c_bus_t h7_sccb_bus;
extern const h7_sensor_pins_t h7_camera_pins;
extern const h7_capture_ops_t h7_dcmi_capture;
/* The board's sensor, as the firmware (camera.c) and the bring-up image drive it: an OV7725 on SCCB, its
 * XCLK the HSE, its clock set for H7_BOARD_CAMERA_FPS. */
#define H7_BOARD_SENSOR                                                                                                \
	{                                                                                                                  \
		.ops = &h7_ov7725_ops, .bus = &h7_sccb_bus, .pins = &h7_camera_pins, .addr7 = OV7725_ADDR7,                    \
		.xclk_hz = H7_BOARD_HSE_HZ, .fps = H7_BOARD_CAMERA_FPS                                                         \
	}
/* The camera module's supply switch (a TPS22919 load switch, ON on PD6): on at the start of a boot, so
 * that its turn-on (tON 1.75 ms) passes while XS starts; h7_camera_hw_init waits for what is left. */
#define H7_CAMERA_SUPPLY_ON_US 1750u
void h7_camera_supply_on(void);
void h7_camera_hw_init(void);    /* the supply, then clocks, pins, XCLK on MCO1, I2C1, DCMI, DMA */
void h7_camera_power_down(void); /* before Standby: XCLK off, every camera pin analog, the supply off */

/* ---- Internal flash file store: bank 2 sectors 4-7 (h7_fstore.h: 0x08180000, 2 x 256 KB) ---- */
extern const h7fs_flash_t h7_internal_flash;
extern h7fs_t gH7FileStore;     /* what the `file` module (file.c) uses */
int h7_board_mount_store(void); /* mounts gH7FileStore, formatting a blank region */

/* ---- Memory placement (linker script sections) ----------------------------------------------- */
#define H7_DMA_BUFFER __attribute__((section(".dma_buffer"), aligned(32)))
#define H7_RETAINED   __attribute__((section(".retained")))
#define H7_AXI_SRAM   __attribute__((section(".axi_sram"), aligned(32)))

#endif
