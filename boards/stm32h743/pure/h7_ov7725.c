/*
 * h7_ov7725.c: OmniVision OV7725 sensor over SCCB (register values from the
 * OV7725 datasheet's register table; sequencing host-tested on a fake bus).
 * SPDX-License-Identifier: Apache-2.0
 *
 * Grayscale comes from the sensor's YUV422 output: the DCMI keeps only the Y
 * bytes (byte select), and for QQVGA also drops every other Y and every other
 * line, so both sizes use the sensor's well-documented QVGA window.
 */
#include "h7_sensor.h"

/* Registers (OV7725 datasheet, "Device Control Register List"). */
enum {
	OV_GAIN = 0x00,
	OV_AECH = 0x08,
	OV_COM2 = 0x09,
	OV_PID = 0x0A,
	OV_VER = 0x0B,
	OV_COM4 = 0x0D,
	OV_AEC = 0x10,
	OV_CLKRC = 0x11,
	OV_COM7 = 0x12,
	OV_COM8 = 0x13,
	OV_COM10 = 0x15,
	OV_HSTART = 0x17,
	OV_HSIZE = 0x18,
	OV_VSTART = 0x19,
	OV_VSIZE = 0x1A,
	OV_HOUTSIZE = 0x29,
	OV_EXHCH = 0x2A,
	OV_VOUTSIZE = 0x2C,
	OV_HREF = 0x32,
};
#define OV7725_PID      0x77
#define OV7725_VER      0x21
#define COM2_SOFT_SLEEP 0x10
#define COM7_SCCB_RESET 0x80
#define COM7_QVGA       0x40 /* bit 6: QVGA; bits 1:0 = 00: YUV */
#define COM8_AEC        0x01
#define COM8_AGC        0x04
#define COM4_PLL_MASK   0xC0
#define CLKRC_DIRECT    0x40
#define OV7725_PCLK_MAX 48000000u

const h7_sccb_reg_t h7_ov7725_defaults[] = {
        {OV_COM2, 0x03},  /* soft sleep off, output drive 4x (long flex cable to the DCMI) */
        {OV_COM4, 0x01},  /* AEC over the full window; the PLL bits are the clock's (h7_ov7725_clock) */
        {OV_COM8, 0xC7},  /* fast AGC/AEC, unlimited AEC step, AGC + AWB + AEC on */
        {OV_COM10, 0x00}, /* VSYNC high in blanking, HREF high on data, PCLK free-running */
};
const size_t h7_ov7725_defaults_count = sizeof h7_ov7725_defaults / sizeof h7_ov7725_defaults[0];

/* QVGA window and output size: HSIZE/HOUTSIZE count 4 pixels, VSIZE/VOUTSIZE 2 lines. */
const h7_sccb_reg_t h7_ov7725_qvga[] = {
        {OV_COM7, COM7_QVGA}, {OV_HSTART, 0x3F},   {OV_HSIZE, 0x50},    {OV_VSTART, 0x03}, {OV_VSIZE, 0x78},
        {OV_HREF, 0x00},      {OV_HOUTSIZE, 0x50}, {OV_VOUTSIZE, 0x78}, {OV_EXHCH, 0x00},
};
const size_t h7_ov7725_qvga_count = sizeof h7_ov7725_qvga / sizeof h7_ov7725_qvga[0];

static int fail(h7_sensor_t *s, int status, uint8_t reg)
{
	s->last_error = status;
	s->last_reg = reg;
	return status;
}

/* The registers upd() changes, which the sensor never changes itself: kept in s->shadow once written or read. */
static int shadow_slot(uint8_t reg)
{
	return reg == OV_COM2 ? 0 : reg == OV_COM4 ? 1 : reg == OV_COM8 ? 2 : -1;
}

static void remember(h7_sensor_t *s, uint8_t reg, uint8_t value)
{
	int slot = shadow_slot(reg);
	if (slot >= 0) {
		s->shadow[slot] = value;
		s->shadow_known |= (uint8_t)(1u << slot);
	}
}

static int wr(h7_sensor_t *s, uint8_t reg, uint8_t value)
{
	int status = h7_sccb_write(s->bus, s->addr7, reg, value);
	if (status)
		return fail(s, status, reg);
	remember(s, reg, value);
	return 0;
}

static int rd(h7_sensor_t *s, uint8_t reg, uint8_t *value)
{
	int status = h7_sccb_read(s->bus, s->addr7, reg, value);
	return status ? fail(s, status, reg) : 0;
}

/* The bits `mask` of `reg` set to `value`'s: from the shadow when the driver knows the register (one write, or
   none when nothing changes), else read, changed and written. */
static int upd(h7_sensor_t *s, uint8_t reg, uint8_t mask, uint8_t value)
{
	int slot = shadow_slot(reg);
	uint8_t old;
	if (slot >= 0 && (s->shadow_known & (1u << slot))) {
		old = s->shadow[slot];
	} else {
		int status = rd(s, reg, &old);
		if (status)
			return status;
		remember(s, reg, old);
	}
	uint8_t next = (uint8_t)((old & ~mask) | (value & mask));
	return next == old ? 0 : wr(s, reg, next);
}

static int table(h7_sensor_t *s, const h7_sccb_reg_t *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int status = wr(s, t[i].reg, t[i].value);
		if (status)
			return status;
	}
	return 0;
}

static void delay(h7_sensor_t *s, uint32_t ms)
{
	if (s->pins && s->pins->delay_ms)
		s->pins->delay_ms(s->pins->ctx, ms);
}

int h7_ov7725_clock(uint32_t xclk_hz, uint32_t fps, h7_ov7725_clock_t *out)
{
	if (!out || fps == 0 || xclk_hz < 10000000u || xclk_hz > 48000000u)
		return H7_VIDEO_EINVAL;
	static const uint8_t mult[4] = {1, 4, 6, 8};
	uint64_t need = (uint64_t)fps * OV7725_ROW_PCLK * OV7725_FRAME_ROWS;
	h7_ov7725_clock_t best = {0};
	uint32_t best_mult = 0;
	for (uint32_t pll = 0; pll < 4; pll++) {
		/* Divider 1 (CLKRC[6]), then 2, 4, 6 .. 128 (CLKRC[5:0] = 0 .. 63). */
		for (int n = -1; n <= 63; n++) {
			uint32_t div = n < 0 ? 1u : ((uint32_t)n + 1u) * 2u;
			uint64_t f = (uint64_t)xclk_hz * mult[pll] / div;
			if (f > OV7725_PCLK_MAX || f < need)
				continue;
			/* Slowest clock that is fast enough (least sensor power), then the lowest PLL. */
			if (best_mult && (f > best.pclk_hz || (f == best.pclk_hz && mult[pll] >= best_mult)))
				continue;
			best = (h7_ov7725_clock_t){n < 0 ? CLKRC_DIRECT : (uint8_t)n, (uint8_t)(pll << 6), (uint32_t)f,
			                           (uint32_t)(((uint64_t)OV7725_ROW_PCLK * 1000000000u + f / 2) / f)};
			best_mult = mult[pll];
		}
	}
	if (!best_mult)
		return H7_VIDEO_EINVAL;
	*out = best;
	return H7_VIDEO_OK;
}

static int ov_init(h7_sensor_t *s)
{
	if (!s || !s->bus)
		return H7_VIDEO_EINVAL;
	s->last_error = 0;
	h7_ov7725_clock_t clock;
	int status = h7_ov7725_clock(s->xclk_hz, s->fps, &clock);
	if (status)
		return fail(s, status, OV_CLKRC);
	s->shadow_known = 0;
	if (s->pins && s->pins->power_down)
		s->pins->power_down(s->pins->ctx, false);
	const bool hard_reset = s->pins && s->pins->reset;
	if (hard_reset) {
		/* RESETB low for 1 ms, then the datasheet's settling after a reset (tS:RESET, 1 ms) before SCCB. */
		s->pins->reset(s->pins->ctx, true);
		delay(s, 1);
		s->pins->reset(s->pins->ctx, false);
		delay(s, 1);
	}
	uint8_t pid, ver;
	status = rd(s, OV_PID, &pid);
	if (!status)
		status = rd(s, OV_VER, &ver);
	if (status)
		return status;
	if (pid != OV7725_PID || ver != OV7725_VER)
		return fail(s, H7_VIDEO_ENODEV, OV_PID);
	/* A sensor without a reset pin is reset over SCCB (the pulse already left every register at its default). */
	if (!hard_reset) {
		if ((status = wr(s, OV_COM7, COM7_SCCB_RESET)))
			return status;
		delay(s, 1);
	}
	if ((status = table(s, h7_ov7725_defaults, h7_ov7725_defaults_count)))
		return status;
	if ((status = wr(s, OV_CLKRC, clock.clkrc)))
		return status;
	return upd(s, OV_COM4, COM4_PLL_MASK, clock.com4_pll);
}

static int ov_set_format(h7_sensor_t *s, const h7_video_format_t *fmt, h7_capture_mode_t *mode)
{
	if (!s || !fmt || !mode || fmt->pixelformat != H7_PIX_FMT_GREY)
		return H7_VIDEO_EINVAL;
	h7_capture_mode_t m = {320, 240, 1, 0, 1};
	if (fmt->width == 320 && fmt->height == 240) {
		/* Y of every YUYV pair: one byte in two. */
	} else if (fmt->width == 160 && fmt->height == 120) {
		m.byte_select = 2; /* Y of every other pair: one byte in four */
		m.line_select = 1; /* every other line */
	} else {
		return H7_VIDEO_EINVAL;
	}
	int status = table(s, h7_ov7725_qvga, h7_ov7725_qvga_count);
	if (status)
		return status;
	*mode = m;
	return H7_VIDEO_OK;
}

static int ov_set_sleep(h7_sensor_t *s, bool sleep)
{
	if (!s)
		return H7_VIDEO_EINVAL;
	/* Soft sleep keeps every register, so a wake needs no re-initialisation. */
	return upd(s, OV_COM2, COM2_SOFT_SLEEP, sleep ? COM2_SOFT_SLEEP : 0);
}

static int ov_get_ctrl(h7_sensor_t *s, h7_video_ctrl_t id, int32_t *value)
{
	if (!s || !value)
		return H7_VIDEO_EINVAL;
	uint8_t a, b;
	int status;
	switch (id) {
	case H7_CTRL_EXPOSURE:
		if ((status = rd(s, OV_AECH, &a)) || (status = rd(s, OV_AEC, &b)))
			return status;
		*value = (int32_t)((a << 8) | b);
		return H7_VIDEO_OK;
	case H7_CTRL_GAIN:
		if ((status = rd(s, OV_GAIN, &a)))
			return status;
		*value = a;
		return H7_VIDEO_OK;
	case H7_CTRL_AUTO_EXPOSURE:
	case H7_CTRL_AUTO_GAIN:
		if ((status = rd(s, OV_COM8, &a)))
			return status;
		*value = (a & (id == H7_CTRL_AUTO_EXPOSURE ? COM8_AEC : COM8_AGC)) != 0;
		return H7_VIDEO_OK;
	default: return H7_VIDEO_EINVAL;
	}
}

static int ov_set_ctrl(h7_sensor_t *s, h7_video_ctrl_t id, int32_t value)
{
	if (!s)
		return H7_VIDEO_EINVAL;
	int status;
	switch (id) {
	case H7_CTRL_EXPOSURE:
		if (value < 0 || value > 0xFFFF)
			return H7_VIDEO_EINVAL;
		/* A manual value only sticks with AEC off. */
		if ((status = upd(s, OV_COM8, COM8_AEC, 0)))
			return status;
		if ((status = wr(s, OV_AECH, (uint8_t)(value >> 8))))
			return status;
		return wr(s, OV_AEC, (uint8_t)value);
	case H7_CTRL_GAIN:
		if (value < 0 || value > 0xFF)
			return H7_VIDEO_EINVAL;
		if ((status = upd(s, OV_COM8, COM8_AGC, 0)))
			return status;
		return wr(s, OV_GAIN, (uint8_t)value);
	case H7_CTRL_AUTO_EXPOSURE: return upd(s, OV_COM8, COM8_AEC, value ? COM8_AEC : 0);
	case H7_CTRL_AUTO_GAIN: return upd(s, OV_COM8, COM8_AGC, value ? COM8_AGC : 0);
	default: return H7_VIDEO_EINVAL;
	}
}

const h7_sensor_ops_t h7_ov7725_ops = {
        .name = "OV7725",
        .init = ov_init,
        .set_format = ov_set_format,
        .set_sleep = ov_set_sleep,
        .get_ctrl = ov_get_ctrl,
        .set_ctrl = ov_set_ctrl,
};
