/*
 * bringup/main.c: the first program to flash on a new board. It exercises every
 * driver once and prints what it found, then sleeps and does it again:
 * clocks, wake reason, backup-SRAM retention, RTC, file store, camera frame,
 * Stop or Standby. docs/boards/stm32h743.md walks through its output.
 * It is also the image the linker-placement test links.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdio.h>
#include <string.h>

#include "h7_board.h"
#include "h7_camera_adapter.h"
#include "h7_retained.h"

#define WAKE_PERIOD_S 10u

typedef struct {
	uint32_t boots;
	uint32_t failures;   /* consecutive wakes where the camera or the store failed */
	int32_t exposure_us; /* where the camera's auto exposure starts, as the firmware's app keeps it */
} retained_t;

/* The backup-SRAM area (two CRC-checked slots) and its working copy in RAM. */
static uint8_t retained_area[H7_RETAINED_AREA_SIZE(sizeof(retained_t))] H7_RETAINED;
static retained_t retained;
static uint8_t frame[320 * 240] H7_DMA_BUFFER;
#define fs gH7FileStore

static void log_line(bool fs_ok, const char *line)
{
	printf("%s\n", line);
	if (!fs_ok)
		return;
	/* One write per line: each write is one atomic record in the store. */
	char rec[200];
	int n = snprintf(rec, sizeof rec, "%lu %s\n", (unsigned long)retained.boots, line);
	uint32_t fd, size;
	if (n < 0 || h7fs_open(&fs, "boot.log", true, &fd) || h7fs_size(&fs, fd, &size))
		return;
	h7fs_write(&fs, fd, size, rec, (uint32_t)(n < (int)sizeof rec ? n : (int)sizeof rec - 1));
}

/* One capture as the firmware takes it (camera.c): the kept exposure, then frames until one
 * is settled. */
static bool camera_frame(char *report, size_t cap)
{
	h7_camera_hw_init();
	static h7_sensor_t sensor = H7_BOARD_SENSOR;
	h7_ov7725_clock_t clock;
	int status = sensor.ops->init(&sensor);
	if (status) {
		snprintf(report, cap, "camera: %s (register 0x%02X)", h7_video_strerror(status), sensor.last_reg);
		return false;
	}
	h7_ov7725_clock(sensor.xclk_hz, sensor.fps, &clock);
	h7_camera_plan_t plan;
	h7_capture_mode_t mode;
	h7_video_format_t fmt = {H7_PIX_FMT_GREY, 160, 120, 160};
	h7_camera_shot_t shot = {0, -1, 0};
	uint32_t t0 = h7_time_ms();
	if (h7_camera_plan(fmt.width, fmt.height, fmt.width, sizeof frame, &plan, report, cap))
		return false;
	if (!(status = sensor.ops->set_format(&sensor, &fmt, &mode)) &&
	    !(status = h7_camera_start_exposure(&sensor, retained.exposure_us > 0 ? retained.exposure_us : -1,
	                                        clock.line_ns)))
		status = h7_camera_settle(&sensor, &h7_dcmi_capture, NULL, &mode, &plan, frame, clock.line_ns, 1000, &shot);
	uint32_t took = h7_time_ms() - t0;
	if (status) {
		snprintf(report, cap, "camera: frame %ld: %s", (long)shot.frames + 1, h7_video_strerror(status));
		return false;
	}
	uint32_t sum = 0, lo = 255, hi = 0;
	for (uint32_t i = 0; i < shot.bytes; i++) {
		sum += frame[i];
		if (frame[i] < lo)
			lo = frame[i];
		if (frame[i] > hi)
			hi = frame[i];
	}
	retained.exposure_us = shot.exposure_us;
	snprintf(report, cap, "camera: %lu bytes in %lu ms, %ld frames, mean %lu min %lu max %lu, next exposure %ld us",
	         (unsigned long)shot.bytes, (unsigned long)took, (long)shot.frames,
	         (unsigned long)(shot.bytes ? sum / shot.bytes : 0), (unsigned long)lo, (unsigned long)hi,
	         (long)shot.exposure_us);
	return shot.bytes == plan.bytes;
}

int main(void)
{
	const h7_clocks_t *c = h7_board_init();
	h7_wake_reason_t wake = h7_board_wake_reason();
	if (h7_retained_load(retained_area, sizeof retained_area, &retained, sizeof retained) != H7_RETAINED_OK)
		memset(&retained, 0, sizeof retained); /* first power-up, or the backup domain lost power */
	retained.boots++;
	printf("\nxsight stm32h743 bring-up, boot %lu, wake: %s%s\n", (unsigned long)retained.boots,
	       h7_wake_cause_name(wake.cause), wake.from_standby ? " (from Standby)" : "");
	printf("clocks: %s, SYSCLK %lu Hz, HSE %s, PLL1 M%lu N%lu P%lu (VCO %lu Hz), AXI %lu Hz, APB %lu Hz, VOS%d, flash "
	       "%lu WS\n",
	       c->status == H7_CLOCK_OK ? "ok" : "FALLBACK to HSI", (unsigned long)c->sysclk_hz,
	       c->hse_ok ? "ok" : "not running", (unsigned long)c->pll.m, (unsigned long)c->pll.n, (unsigned long)c->pll.p,
	       (unsigned long)c->pll.vco_hz, (unsigned long)c->buses.hclk_hz, (unsigned long)c->buses.pclk_hz,
	       (int)c->buses.vos, (unsigned long)c->buses.latency);
	h7_fault_t fault;
	if (h7_fault_last(&fault))
		printf("fault: exception %lu at pc 0x%08lx, lr 0x%08lx, %lu in a row\n", (unsigned long)fault.vector,
		       (unsigned long)fault.pc, (unsigned long)fault.lr, (unsigned long)fault.count);
	h7_fault_clear();
	h7_mco2_sysclk(10); /* PC9: SYSCLK / 10 = 48 MHz at 480 MHz */
	h7_power_status_t rtc = h7_rtc_start();
	printf("rtc: %s\n", rtc == H7_POWER_OK ? "LSE running" : "LSE did not start");

	int st = h7_board_mount_store();
	bool fs_ok = st == H7FS_OK;
	uint32_t now = 0, after = 0;
	if (fs_ok)
		h7fs_free(&fs, &now, &after);
	printf("store: %s, %lu bytes free (%lu after compaction)\n", h7fs_strerror(st), (unsigned long)now,
	       (unsigned long)after);

	char line[160];
	bool cam_ok = camera_frame(line, sizeof line);
	log_line(fs_ok, line);
	retained.failures = (cam_ok && fs_ok) ? 0 : retained.failures + 1;
	h7_retained_save(retained_area, sizeof retained_area, &retained, sizeof retained);

	/* Back off on repeated failures so a missing camera or full store cannot drain the battery
	 * through fast wake cycles. */
	uint64_t period_us = h7_backoff_us((uint64_t)WAKE_PERIOD_S * 1000000u, retained.failures);
	h7_rtc_wakeup_t w;
	if (rtc != H7_POWER_OK || h7_rtc_wakeup_compute(32768u, period_us, &w) || h7_rtc_set_wakeup(&w)) {
		printf("no RTC wake-up: staying awake\n");
		for (;;)
			h7_delay_ms(1000);
	}
	printf("press 's' within 2 s for Stop (SVOS5) instead of Standby; sleeping %lu s\n",
	       (unsigned long)(period_us / 1000000u));
	uint32_t t0 = h7_time_ms();
	while (h7_time_ms() - t0 < 2000) {
		if (h7_console_getc() == 's') {
			h7_wake_reason_t r = h7_enter_stop();
			printf("back from Stop: %s\n", h7_wake_cause_name(r.cause));
			break;
		}
	}
	h7_enter_standby();
}
