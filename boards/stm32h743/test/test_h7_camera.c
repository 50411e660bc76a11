/*
 * test_h7_camera.c: SCCB sequencing, the OV7725 driver and a capture under the settle policy
 * (h7_camera_settle), against a fake I2C bus that models an OV7725's register file and records
 * every transaction, and a fake capture backend whose frames are as bright as the sensor's
 * exposure makes them.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "camera.h"
#include "h7_board.h"
#include "h7_camera_adapter.h"
#include "unit.h"

/* ---- Fake bus: an OV7725 at 0x21 with 256 registers ------------------------------------------ */
typedef struct {
	char kind;
	uint8_t addr;
	uint8_t len;
	uint8_t data[2];
} txn_t;
typedef struct {
	uint8_t regs[256];
	uint8_t pointer;
	uint8_t present_addr;
	txn_t log[512];
	int count;
	int nack_at; /* transaction index that gets no ACK, -1: none */
	int resets;  /* COM7 SCCB resets seen */
} fake_bus_t;

static void fake_reset_regs(fake_bus_t *b)
{
	memset(b->regs, 0, sizeof b->regs);
	b->regs[0x0A] = 0x77; /* PID */
	b->regs[0x0B] = 0x21; /* VER */
	b->regs[0x13] = 0x8F; /* COM8 power-on value: AGC/AWB/AEC on */
	b->regs[0x08] = 0x01; /* AECH */
	b->regs[0x10] = 0x40; /* AEC */
	b->regs[0x00] = 0x10; /* GAIN */
}

static int fake_write(void *ctx, uint8_t addr, const uint8_t *data, size_t len)
{
	fake_bus_t *b = ctx;
	txn_t *t = &b->log[b->count < 512 ? b->count : 511];
	int index = b->count++;
	t->kind = 'W';
	t->addr = addr;
	t->len = (uint8_t)len;
	memcpy(t->data, data, len < 2 ? len : 2);
	if (index == b->nack_at || addr != b->present_addr)
		return H7_VIDEO_ENACK;
	b->pointer = data[0];
	if (len == 2) {
		if (data[0] == 0x12 && (data[1] & 0x80)) {
			fake_reset_regs(b);
			b->resets++;
		} else {
			b->regs[data[0]] = data[1];
		}
	}
	return H7_VIDEO_OK;
}

static int fake_read(void *ctx, uint8_t addr, uint8_t *data, size_t len)
{
	fake_bus_t *b = ctx;
	txn_t *t = &b->log[b->count < 512 ? b->count : 511];
	int index = b->count++;
	t->kind = 'R';
	t->addr = addr;
	t->len = (uint8_t)len;
	if (index == b->nack_at || addr != b->present_addr)
		return H7_VIDEO_ENACK;
	for (size_t i = 0; i < len; i++)
		data[i] = b->regs[(uint8_t)(b->pointer + i)];
	t->data[0] = data[0];
	return H7_VIDEO_OK;
}

typedef struct {
	int reset_low, pwdn_high, delays_ms;
	char events[16];
	int n;
} fake_pins_t;
static void pin_reset(void *ctx, bool a)
{
	fake_pins_t *p = ctx;
	p->reset_low = a;
	if (p->n < 15)
		p->events[p->n++] = a ? 'R' : 'r';
}
static void pin_pwdn(void *ctx, bool a)
{
	fake_pins_t *p = ctx;
	p->pwdn_high = a;
	if (p->n < 15)
		p->events[p->n++] = a ? 'P' : 'p';
}
static void pin_delay(void *ctx, uint32_t ms)
{
	fake_pins_t *p = ctx;
	p->delays_ms += (int)ms;
	if (p->n < 15)
		p->events[p->n++] = 'd';
}

static fake_bus_t bus_state;
static h7_i2c_bus_t bus = {&bus_state, fake_write, fake_read};
static fake_pins_t pin_state;
static h7_sensor_pins_t pins = {&pin_state, pin_reset, pin_pwdn, pin_delay};

static h7_sensor_t fresh_sensor(void)
{
	memset(&bus_state, 0, sizeof bus_state);
	memset(&pin_state, 0, sizeof pin_state);
	fake_reset_regs(&bus_state);
	bus_state.present_addr = OV7725_ADDR7;
	bus_state.nack_at = -1;
	return (h7_sensor_t){
	        .ops = &h7_ov7725_ops, .bus = &bus, .pins = &pins, .addr7 = OV7725_ADDR7, .xclk_hz = 12000000, .fps = 30};
}

UNIT_TEST(sccb_read_is_write_then_separate_read)
{
	h7_sensor_t s = fresh_sensor();
	uint8_t v = 0;
	UNIT_EQ_INT(h7_sccb_read(s.bus, OV7725_ADDR7, 0x0A, &v), H7_VIDEO_OK);
	UNIT_EQ_INT(v, 0x77);
	UNIT_EQ_INT(bus_state.count, 2);
	UNIT_EQ_INT(bus_state.log[0].kind, 'W');
	UNIT_EQ_INT(bus_state.log[0].len, 1);
	UNIT_EQ_INT(bus_state.log[0].data[0], 0x0A);
	UNIT_EQ_INT(bus_state.log[1].kind, 'R');
	UNIT_EQ_INT(bus_state.log[1].len, 1);
	UNIT_EQ_INT(bus_state.log[1].addr, 0x21);
}

UNIT_TEST(a_control_register_the_driver_wrote_changes_with_one_write)
{
	h7_sensor_t s = fresh_sensor();
	/* Not written yet: read, then written. */
	UNIT_EQ_INT(s.ops->set_sleep(&s, true), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.count, 3);
	UNIT_EQ_INT(bus_state.regs[0x09], 0x10);
	/* Known now: a change is one write, no change none. */
	UNIT_EQ_INT(s.ops->set_sleep(&s, true), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.count, 3);
	UNIT_EQ_INT(s.ops->set_sleep(&s, false), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.count, 4);
	UNIT_EQ_INT(bus_state.log[3].kind, 'W');
	UNIT_EQ_INT(bus_state.regs[0x09], 0x00);
	/* After a reset (init) the copy is gone: the defaults write it again. */
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	UNIT_EQ_INT(s.ops->set_ctrl(&s, H7_CTRL_AUTO_EXPOSURE, 0), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.log[bus_state.count - 1].kind, 'W');
	UNIT_EQ_INT(bus_state.regs[0x13], 0xC6);
}

UNIT_TEST(init_sequence_pins_id_reset_defaults)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	/* PWDN released, RESETB pulsed with a delay before SCCB is touched. */
	UNIT_ASSERT(strncmp(pin_state.events, "pRdrd", 5) == 0);
	UNIT_EQ_INT(pin_state.delays_ms, 2);
	/* ID read (2 x write+read), then every default in table order: the pulse reset the sensor, no SCCB reset. */
	UNIT_EQ_INT(bus_state.log[0].data[0], 0x0A);
	UNIT_EQ_INT(bus_state.log[2].data[0], 0x0B);
	UNIT_EQ_INT(bus_state.resets, 0);
	for (size_t i = 0; i < h7_ov7725_defaults_count; i++) {
		UNIT_EQ_INT(bus_state.log[4 + i].kind, 'W');
		UNIT_EQ_INT(bus_state.log[4 + i].data[0], h7_ov7725_defaults[i].reg);
		if (h7_ov7725_defaults[i].reg != 0x0D)
			UNIT_EQ_INT(bus_state.regs[h7_ov7725_defaults[i].reg], h7_ov7725_defaults[i].value);
	}
	/* Then the clock for 30 fps from 12 MHz: PLL 4x, divided by (0 + 1) x 2: 24 MHz. */
	UNIT_EQ_INT(bus_state.regs[0x11], 0x00);
	UNIT_EQ_INT(bus_state.regs[0x0D], 0x41);
	UNIT_EQ_INT(bus_state.count, 4 + (int)h7_ov7725_defaults_count + 2); /* CLKRC; COM4, known: one write */
}

UNIT_TEST(init_without_a_reset_pin_resets_over_sccb)
{
	h7_sensor_t s = fresh_sensor();
	static const h7_sensor_pins_t no_reset = {&pin_state, NULL, pin_pwdn, pin_delay};
	s.pins = &no_reset;
	bus_state.regs[0x11] = 0x3F; /* left over from before: the reset must clear it */
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.log[4].kind, 'W');
	UNIT_EQ_INT(bus_state.log[4].data[0], 0x12);
	UNIT_EQ_INT(bus_state.log[4].data[1], 0x80);
	UNIT_EQ_INT(bus_state.resets, 1);
	UNIT_EQ_INT(bus_state.log[5].data[0], h7_ov7725_defaults[0].reg);
	UNIT_EQ_INT(pin_state.delays_ms, 1); /* the datasheet's settling after the reset */
	UNIT_EQ_INT(bus_state.regs[0x11], 0x00);
}

UNIT_TEST(sensor_clock_for_the_frame_rate)
{
	/* A frame is 1568 PCLK x 510 rows = 799,680 PCLK (VGA timing, YUV: a byte per PCLK). */
	h7_ov7725_clock_t c;
	/* 30 fps (the energy budget's 33.3 ms frame) from the 12 MHz HSE: 23.99 MHz needed;
	 * 12 x 4 / 2 = 24 MHz is the slowest clock that reaches it. */
	UNIT_EQ_INT(h7_ov7725_clock(12000000, 30, &c), H7_VIDEO_OK);
	UNIT_EQ_INT(c.pclk_hz, 24000000);
	UNIT_EQ_INT(c.clkrc, 0x00);
	UNIT_EQ_INT(c.com4_pll, 0x40);
	UNIT_EQ_INT(c.line_ns, 65333); /* 1568 / 24 MHz */
	/* 60 fps: 47.98 MHz; 12 x 4 straight through (CLKRC[6]), what the old 12 MHz clock was 4x below. */
	UNIT_EQ_INT(h7_ov7725_clock(12000000, 60, &c), H7_VIDEO_OK);
	UNIT_EQ_INT(c.pclk_hz, 48000000);
	UNIT_EQ_INT(c.clkrc, 0x40);
	UNIT_EQ_INT(c.com4_pll, 0x40);
	UNIT_EQ_INT(c.line_ns, 32667);
	/* 15 fps: 12 MHz = 12 x 4 / 4 (CLKRC 1) ties 12 straight through (PLL bypass, CLKRC[6]):
	 * the same clock, the lower PLL wins. */
	UNIT_EQ_INT(h7_ov7725_clock(12000000, 15, &c), H7_VIDEO_OK);
	UNIT_EQ_INT(c.pclk_hz, 12000000);
	UNIT_EQ_INT(c.com4_pll, 0x00);
	UNIT_EQ_INT(c.clkrc, 0x40);
	/* 25 MHz XCLK, 30 fps: 25 x 1 straight through = 25 MHz is the slowest at or above 23.99. */
	UNIT_EQ_INT(h7_ov7725_clock(25000000, 30, &c), H7_VIDEO_OK);
	UNIT_EQ_INT(c.pclk_hz, 25000000);
	/* Every answer gives the frame rate and stays within 48 MHz. */
	for (uint32_t fps = 1; fps <= 60; fps++) {
		UNIT_EQ_INT(h7_ov7725_clock(12000000, fps, &c), H7_VIDEO_OK);
		UNIT_ASSERT((uint64_t)c.pclk_hz >= (uint64_t)fps * 799680u && c.pclk_hz <= 48000000);
	}
	/* More than 60 fps, no frame rate, an XCLK outside 10-48 MHz: errors. */
	UNIT_EQ_INT(h7_ov7725_clock(12000000, 61, &c), H7_VIDEO_EINVAL);
	UNIT_EQ_INT(h7_ov7725_clock(12000000, 0, &c), H7_VIDEO_EINVAL);
	UNIT_EQ_INT(h7_ov7725_clock(8000000, 30, &c), H7_VIDEO_EINVAL);
	/* init refuses a sensor with no clock before touching the bus. */
	h7_sensor_t s = fresh_sensor();
	s.xclk_hz = 0;
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_EINVAL);
	UNIT_EQ_INT(bus_state.count, 0);
	UNIT_EQ_INT(s.last_reg, 0x11);
}

UNIT_TEST(init_without_camera_is_a_clear_nack)
{
	h7_sensor_t s = fresh_sensor();
	bus_state.present_addr = 0x30; /* nothing at 0x21 */
	int status = s.ops->init(&s);
	UNIT_EQ_INT(status, H7_VIDEO_ENACK);
	UNIT_EQ_INT(s.last_error, H7_VIDEO_ENACK);
	UNIT_EQ_INT(s.last_reg, 0x0A);
	UNIT_EQ_INT(bus_state.count, 1); /* stops at the first failure, no retries hammering the bus */
	UNIT_ASSERT(strstr(h7_video_strerror(status), "not answering") != NULL);
}

UNIT_TEST(init_with_wrong_id_is_enodev)
{
	h7_sensor_t s = fresh_sensor();
	bus_state.regs[0x0A] = 0x76; /* an OV7670-class PID */
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_ENODEV);
	UNIT_EQ_INT(bus_state.resets, 0);
}

UNIT_TEST(nack_mid_table_stops_and_names_the_register)
{
	h7_sensor_t s = fresh_sensor();
	bus_state.nack_at = 6; /* third default write: 4 + 2 */
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_ENACK);
	UNIT_EQ_INT(s.last_reg, h7_ov7725_defaults[2].reg);
	UNIT_EQ_INT(bus_state.count, 7);
	/* The bus recovers: the next init succeeds. */
	bus_state.nack_at = -1;
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
}

UNIT_TEST(mode_selection_qvga_and_qqvga)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	h7_capture_mode_t m;
	h7_video_format_t qvga = {H7_PIX_FMT_GREY, 320, 240, 320};
	UNIT_EQ_INT(s.ops->set_format(&s, &qvga, &m), H7_VIDEO_OK);
	UNIT_EQ_INT(m.byte_select, 1);
	UNIT_EQ_INT(m.line_select, 0);
	UNIT_EQ_INT(bus_state.regs[0x12], 0x40);    /* COM7: QVGA, YUV */
	UNIT_EQ_INT(bus_state.regs[0x29] * 4, 320); /* HOutSize counts 4 pixels */
	UNIT_EQ_INT(bus_state.regs[0x2C] * 2, 240); /* VOutSize counts 2 lines */
	UNIT_EQ_INT(bus_state.regs[0x18] * 4, 320); /* HSIZE */
	UNIT_EQ_INT(bus_state.regs[0x1A] * 2, 240); /* VSIZE */
	h7_video_format_t qqvga = {H7_PIX_FMT_GREY, 160, 120, 160};
	UNIT_EQ_INT(s.ops->set_format(&s, &qqvga, &m), H7_VIDEO_OK);
	UNIT_EQ_INT(m.sensor_width, 320);
	UNIT_EQ_INT(m.byte_select, 2);
	UNIT_EQ_INT(m.line_select, 1);
	/* What the DCMI keeps of a 320x240 YUYV frame must be exactly 160x120 bytes. */
	UNIT_EQ_INT((m.sensor_width * 2 / (m.byte_select == 1 ? 2 : 4)) * (m.sensor_height >> m.line_select), 160 * 120);
	h7_video_format_t vga = {H7_PIX_FMT_GREY, 640, 480, 640};
	UNIT_EQ_INT(s.ops->set_format(&s, &vga, &m), H7_VIDEO_EINVAL);
	h7_video_format_t rgb = {H7_FOURCC('R', 'G', 'B', 'P'), 320, 240, 640};
	UNIT_EQ_INT(s.ops->set_format(&s, &rgb, &m), H7_VIDEO_EINVAL);
}

UNIT_TEST(exposure_and_gain_controls)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	int32_t v;
	UNIT_EQ_INT(s.ops->get_ctrl(&s, H7_CTRL_AUTO_EXPOSURE, &v), H7_VIDEO_OK);
	UNIT_EQ_INT(v, 1);
	UNIT_EQ_INT(s.ops->set_ctrl(&s, H7_CTRL_EXPOSURE, 0x1234), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x08], 0x12);
	UNIT_EQ_INT(bus_state.regs[0x10], 0x34);
	UNIT_EQ_INT(bus_state.regs[0x13] & 0x01, 0); /* AEC turned off so the value sticks */
	UNIT_EQ_INT(s.ops->get_ctrl(&s, H7_CTRL_EXPOSURE, &v), H7_VIDEO_OK);
	UNIT_EQ_INT(v, 0x1234);
	UNIT_EQ_INT(s.ops->set_ctrl(&s, H7_CTRL_GAIN, 0x3F), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x00], 0x3F);
	UNIT_EQ_INT(bus_state.regs[0x13] & 0x04, 0);
	UNIT_EQ_INT(s.ops->set_ctrl(&s, H7_CTRL_EXPOSURE, 0x10000), H7_VIDEO_EINVAL);
	UNIT_EQ_INT(s.ops->set_ctrl(&s, H7_CTRL_GAIN, -1), H7_VIDEO_EINVAL);
}

UNIT_TEST(sleep_and_wake_toggle_soft_sleep_only)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	uint8_t before = bus_state.regs[0x09];
	UNIT_EQ_INT(s.ops->set_sleep(&s, true), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x09], before | 0x10);
	UNIT_EQ_INT(s.ops->set_sleep(&s, false), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x09], before);
}

/* ---- Fake capture backend: a scene that wants `wanted` lines of exposure. A frame's pixels are
 * 128 x the sensor's exposure (AECH:AEC) / wanted, saturating at 255; in the blanking after it the
 * sensor's auto exposure moves 2x towards the scene, or onto it from within 2x. ----------------- */
#define LINE_NS 100000u /* 100 us a row: exposure_us = lines x 100 */
typedef struct {
	uint32_t wanted;
	int fail_next, never, short_frame, starts, stops;
	uint32_t waited_ms;
	h7_capture_mode_t mode;
	uint8_t *buf;
	uint32_t len;
} fake_cap_t;

static uint32_t sensor_lines(void)
{
	return ((uint32_t)bus_state.regs[0x08] << 8) | bus_state.regs[0x10];
}

static int cap_start(void *ctx, uint8_t *buf, uint32_t len, const h7_capture_mode_t *mode)
{
	fake_cap_t *c = ctx;
	c->buf = buf;
	c->len = len;
	c->mode = *mode;
	c->starts++;
	return 0;
}

static int cap_wait(void *ctx, uint32_t *used, uint32_t timeout_ms)
{
	fake_cap_t *c = ctx;
	if (c->never) {
		c->waited_ms += timeout_ms;
		return H7_VIDEO_ETIMEDOUT; /* a camera that never sends a frame */
	}
	if (c->fail_next) {
		c->fail_next = 0;
		return H7_VIDEO_EOVERRUN;
	}
	uint32_t lines = sensor_lines();
	uint32_t mean = (uint32_t)((uint64_t)128 * lines / c->wanted);
	memset(c->buf, mean > 255 ? 255 : (int)mean, c->len);
	*used = c->short_frame ? c->len / 2 : c->len;
	if (bus_state.regs[0x13] & 0x01) {
		uint32_t next = lines < c->wanted ? (lines * 2 > 0xFFFF ? 0xFFFF : lines * 2) : lines / 2;
		if ((lines < c->wanted && next >= c->wanted) || (lines > c->wanted && next <= c->wanted))
			next = c->wanted;
		bus_state.regs[0x08] = (uint8_t)(next >> 8);
		bus_state.regs[0x10] = (uint8_t)next;
	}
	return H7_VIDEO_OK;
}

static void cap_stop(void *ctx)
{
	((fake_cap_t *)ctx)->stops++;
}
static const h7_capture_ops_t cap_ops = {cap_start, cap_wait, cap_stop};

static uint8_t dma[160 * 120];

/* The sensor set up for QQVGA as camera.c does, auto exposure started from kept_us. */
static void sensor_for_capture(h7_sensor_t *s, int32_t kept_us, h7_capture_mode_t *mode, h7_camera_plan_t *plan)
{
	*s = fresh_sensor();
	char error[96];
	UNIT_EQ_INT(s->ops->init(s), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_camera_plan(160, 120, 160, sizeof dma, plan, error, sizeof error), 0);
	h7_video_format_t f = {H7_PIX_FMT_GREY, 160, 120, 160};
	UNIT_EQ_INT(s->ops->set_format(s, &f, mode), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_camera_start_exposure(s, kept_us, LINE_NS), H7_VIDEO_OK);
}

UNIT_TEST(capture_reads_frames_until_the_exposure_settles)
{
	/* From the sensor's default (0x0140 lines = 32 ms) or a kept exposure, to a scene that wants
	 * 2.5 ms: the frames read are the replay camera's count for the same start and scene. */
	static const int32_t kept[] = {-1, 32000, 2500, 3000, 300};
	for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		h7_capture_mode_t mode;
		h7_camera_plan_t plan;
		h7_sensor_t s;
		sensor_for_capture(&s, kept[i], &mode, &plan);
		int32_t start_us = (int32_t)sensor_lines() * (int32_t)(LINE_NS / 1000);
		UNIT_EQ_INT(start_us, kept[i] < 0 ? 0x140 * 100 : kept[i]);
		UNIT_EQ_INT(bus_state.regs[0x13] & 0x01, 0x01); /* auto exposure on, from there */
		fake_cap_t cap = {.wanted = 25};
		h7_camera_shot_t shot;
		UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 1000, &shot), H7_VIDEO_OK);
		UNIT_EQ_INT(shot.frames, camera_settle_frames(start_us, 2500));
		UNIT_EQ_INT(cap.starts, shot.frames);
		UNIT_EQ_INT(cap.mode.byte_select, 2);
		UNIT_EQ_INT(shot.bytes, 160 * 120);
		/* What the scene wants, for the next wake's start: within one frame's step of 2.5 ms. */
		UNIT_EQ_INT(camera_settle_frames(shot.exposure_us, 2500), 1);
		UNIT_EQ_INT(bus_state.regs[0x09] & 0x10, 0x10); /* the sensor back in soft sleep */
	}
}

UNIT_TEST(capture_gives_up_settling_after_the_most_frames)
{
	/* A scene far darker than the longest exposure (the sensor's 16 bits of rows): every frame
	 * black, none settled. */
	h7_capture_mode_t mode;
	h7_camera_plan_t plan;
	h7_sensor_t s;
	sensor_for_capture(&s, -1, &mode, &plan);
	fake_cap_t cap = {.wanted = 10000000};
	h7_camera_shot_t shot;
	UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 1000, &shot), H7_VIDEO_OK);
	UNIT_EQ_INT(shot.frames, CAMERA_SETTLE_MAX_FRAMES);
	UNIT_EQ_INT(shot.exposure_us, CAMERA_EXPOSURE_MAX_US);
}

UNIT_TEST(capture_errors_stop_the_backend_and_sleep_the_sensor)
{
	h7_capture_mode_t mode;
	h7_camera_plan_t plan;
	h7_sensor_t s;
	sensor_for_capture(&s, 2000, &mode, &plan);
	fake_cap_t cap = {.wanted = 20, .fail_next = 1};
	h7_camera_shot_t shot;
	/* An overrun fails the capture, named; nothing was kept. */
	UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 1000, &shot), H7_VIDEO_EOVERRUN);
	UNIT_EQ_INT(shot.frames, 0);
	UNIT_EQ_INT(cap.stops, 1);
	UNIT_EQ_INT(bus_state.regs[0x09] & 0x10, 0x10);
	/* A camera that sends nothing times out once, with the limit asked for: it does not hang. */
	cap.never = 1;
	UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 250, &shot), H7_VIDEO_ETIMEDOUT);
	UNIT_EQ_INT(cap.waited_ms, 250);
	UNIT_EQ_INT(cap.stops, 2);
	/* A short frame ends the capture with what arrived, for the caller to refuse. */
	cap.never = 0;
	cap.short_frame = 1;
	UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 1000, &shot), H7_VIDEO_OK);
	UNIT_EQ_INT(shot.frames, 1);
	UNIT_EQ_INT(shot.bytes, 160 * 120 / 2);
}

/* SCCB clock periods of the transactions logged from `from` on: a byte 9 (8 bits and the ACK), a START
 * and a STOP one each (camera.h). */
static int32_t clocks_since(int from)
{
	int32_t clocks = 0;
	for (int i = from; i < bus_state.count; i++)
		clocks += 9 * (1 + bus_state.log[i].len) + 2;
	return clocks;
}

UNIT_TEST(a_wake_set_up_costs_what_the_replay_camera_charges)
{
	/* camera.c's wake: open (init), QVGA, the kept exposure, a capture of `frames`, standby. The
	 * simulator charges camera.h's figures for it (boards/common/camera_replay.c). */
	for (uint32_t wanted = 25; wanted <= 100; wanted += 75) { /* one frame, then two */
		h7_sensor_t s = fresh_sensor();
		s.xclk_hz = H7_BOARD_HSE_HZ; /* as camera.c: the board's XCLK and frame rate */
		s.fps = H7_BOARD_CAMERA_FPS;
		UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
		UNIT_EQ_INT(clocks_since(0), CAMERA_SCCB_OPEN_CLOCKS);
		UNIT_EQ_INT(pin_state.delays_ms * 1000, CAMERA_OPEN_WAIT_US);
		int at = bus_state.count;
		h7_capture_mode_t mode;
		h7_camera_plan_t plan;
		char error[96];
		UNIT_EQ_INT(h7_camera_plan(160, 120, 160, sizeof dma, &plan, error, sizeof error), 0);
		h7_video_format_t f = {H7_PIX_FMT_GREY, 160, 120, 160};
		UNIT_EQ_INT(s.ops->set_format(&s, &f, &mode), H7_VIDEO_OK);
		UNIT_EQ_INT(clocks_since(at), CAMERA_SCCB_FORMAT_CLOCKS);
		at = bus_state.count;
		UNIT_EQ_INT(h7_camera_start_exposure(&s, 2500, LINE_NS), H7_VIDEO_OK);
		UNIT_EQ_INT(clocks_since(at), CAMERA_SCCB_EXPOSURE_CLOCKS);
		at = bus_state.count;
		fake_cap_t cap = {.wanted = wanted};
		h7_camera_shot_t shot;
		UNIT_EQ_INT(h7_camera_settle(&s, &cap_ops, &cap, &mode, &plan, dma, LINE_NS, 1000, &shot), H7_VIDEO_OK);
		UNIT_EQ_INT(shot.frames, camera_settle_frames(2500, (int32_t)wanted * 100));
		UNIT_EQ_INT(clocks_since(at), CAMERA_SCCB_CAPTURE_CLOCKS + CAMERA_SCCB_FRAME_CLOCKS * shot.frames);
		at = bus_state.count;
		UNIT_EQ_INT(s.ops->set_sleep(&s, true), H7_VIDEO_OK);
		UNIT_EQ_INT(clocks_since(at), 0); /* in soft sleep already */
		UNIT_EQ_INT(pin_state.delays_ms * 1000, CAMERA_OPEN_WAIT_US);
	}
}

int main(void)
{
	UNIT_RUN(sccb_read_is_write_then_separate_read);
	UNIT_RUN(a_control_register_the_driver_wrote_changes_with_one_write);
	UNIT_RUN(init_sequence_pins_id_reset_defaults);
	UNIT_RUN(init_without_a_reset_pin_resets_over_sccb);
	UNIT_RUN(sensor_clock_for_the_frame_rate);
	UNIT_RUN(init_without_camera_is_a_clear_nack);
	UNIT_RUN(init_with_wrong_id_is_enodev);
	UNIT_RUN(nack_mid_table_stops_and_names_the_register);
	UNIT_RUN(mode_selection_qvga_and_qqvga);
	UNIT_RUN(exposure_and_gain_controls);
	UNIT_RUN(sleep_and_wake_toggle_soft_sleep_only);
	UNIT_RUN(capture_reads_frames_until_the_exposure_settles);
	UNIT_RUN(capture_gives_up_settling_after_the_most_frames);
	UNIT_RUN(capture_errors_stop_the_backend_and_sleep_the_sensor);
	UNIT_RUN(a_wake_set_up_costs_what_the_replay_camera_charges);
	return unit_done();
}
