/*
 * test_h7_camera.c: SCCB sequencing, the OV7725 driver and the video queue,
 * against a fake I2C bus that models an OV7725's register file and records
 * every transaction, and a fake capture backend.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <string.h>

#include "h7_video.h"
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
	return (h7_sensor_t){&h7_ov7725_ops, &bus, &pins, OV7725_ADDR7, 0, 0, 12000000, 30};
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

UNIT_TEST(sccb_update_skips_unchanged_write)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(h7_sccb_update(s.bus, OV7725_ADDR7, 0x13, 0x01, 0x01), H7_VIDEO_OK); /* already set */
	UNIT_EQ_INT(bus_state.count, 2);
	UNIT_EQ_INT(h7_sccb_update(s.bus, OV7725_ADDR7, 0x13, 0x01, 0x00), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.count, 5);
	UNIT_EQ_INT(bus_state.regs[0x13], 0x8E);
}

UNIT_TEST(init_sequence_pins_id_reset_defaults)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	/* PWDN released, RESETB pulsed with a delay before SCCB is touched. */
	UNIT_ASSERT(strncmp(pin_state.events, "pRdrd", 5) == 0);
	UNIT_ASSERT(pin_state.delays_ms >= 2);
	/* ID read (2 x write+read), then SCCB reset, then every default in table order. */
	UNIT_EQ_INT(bus_state.log[0].data[0], 0x0A);
	UNIT_EQ_INT(bus_state.log[2].data[0], 0x0B);
	UNIT_EQ_INT(bus_state.log[4].kind, 'W');
	UNIT_EQ_INT(bus_state.log[4].data[0], 0x12);
	UNIT_EQ_INT(bus_state.log[4].data[1], 0x80);
	UNIT_EQ_INT(bus_state.resets, 1);
	for (size_t i = 0; i < h7_ov7725_defaults_count; i++) {
		UNIT_EQ_INT(bus_state.log[5 + i].data[0], h7_ov7725_defaults[i].reg);
		if (h7_ov7725_defaults[i].reg != 0x0D)
			UNIT_EQ_INT(bus_state.regs[h7_ov7725_defaults[i].reg], h7_ov7725_defaults[i].value);
	}
	/* Then the clock for 30 fps from 12 MHz: PLL 4x, divided by (0 + 1) x 2: 24 MHz. */
	UNIT_EQ_INT(bus_state.regs[0x11], 0x00);
	UNIT_EQ_INT(bus_state.regs[0x0D], 0x41);
	UNIT_EQ_INT(bus_state.count, 5 + (int)h7_ov7725_defaults_count + 4); /* CLKRC; COM4 read (2) and write */
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
	bus_state.nack_at = 7; /* third default write: 5 + 2 */
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_ENACK);
	UNIT_EQ_INT(s.last_reg, h7_ov7725_defaults[2].reg);
	UNIT_EQ_INT(bus_state.count, 8);
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

UNIT_TEST(exposure_kept_across_sleep_in_retained_state)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	/* AEC/AGC settled somewhere: */
	bus_state.regs[0x08] = 0x02;
	bus_state.regs[0x10] = 0x9A;
	bus_state.regs[0x00] = 0x25;
	h7_camera_retained_t r;
	UNIT_EQ_INT(h7_ov7725_save_exposure(&s, &r), H7_VIDEO_OK);
	UNIT_EQ_INT(r.exposure, 0x029A);
	UNIT_EQ_INT(r.gain, 0x25);
	/* Standby power-cycles the sensor: registers back to defaults. */
	fake_reset_regs(&bus_state);
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_ov7725_restore_exposure(&s, &r, true), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x08], 0x02);
	UNIT_EQ_INT(bus_state.regs[0x10], 0x9A);
	UNIT_EQ_INT(bus_state.regs[0x00], 0x25);
	UNIT_EQ_INT(bus_state.regs[0x13] & 0x05, 0x05); /* auto resumed from there */
	h7_camera_retained_t blank = {0};
	UNIT_EQ_INT(h7_ov7725_restore_exposure(&s, &blank, true), H7_VIDEO_EINVAL);
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

/* ---- Fake capture backend: completes a frame after `latency` polls, filling a ramp ------------ */
typedef struct {
	uint8_t *buf;
	uint32_t len;
	int busy, latency, fail_next, starts, stops;
	uint32_t clock_ms;
	h7_capture_mode_t mode;
} fake_cap_t;

static int cap_start(void *ctx, uint8_t *buf, uint32_t len, const h7_capture_mode_t *mode)
{
	fake_cap_t *c = ctx;
	c->buf = buf;
	c->len = len;
	c->busy = c->latency;
	c->mode = *mode;
	c->starts++;
	return 0;
}

static int cap_poll(void *ctx, uint32_t *used)
{
	fake_cap_t *c = ctx;
	c->clock_ms++;
	if (c->busy < 0)
		return 0; /* a camera that never sends a frame */
	if (c->busy > 0) {
		c->busy--;
		return 0;
	}
	if (c->fail_next) {
		c->fail_next = 0;
		return H7_VIDEO_EOVERRUN;
	}
	for (uint32_t i = 0; i < c->len; i++)
		c->buf[i] = (uint8_t)(i + c->starts);
	*used = c->len;
	return 1;
}

static void cap_stop(void *ctx)
{
	((fake_cap_t *)ctx)->stops++;
}
static uint32_t cap_now(void *ctx)
{
	return ((fake_cap_t *)ctx)->clock_ms;
}
static const h7_capture_ops_t cap_ops = {cap_start, cap_poll, cap_stop, cap_now};

UNIT_TEST(video_stream_enqueue_dequeue)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	fake_cap_t cap = {.latency = 3};
	h7_video_t v;
	UNIT_EQ_INT(h7_video_init(&v, &s, &cap_ops, &cap), H7_VIDEO_OK);
	const h7_video_format_t *caps;
	size_t ncaps;
	UNIT_EQ_INT(h7_video_get_caps(&v, &caps, &ncaps), H7_VIDEO_OK);
	UNIT_EQ_INT(ncaps, 2);
	static uint8_t a[160 * 120], b[160 * 120], small[100];
	h7_video_buffer_t ba = {a, sizeof a, 0, 0}, bb = {b, sizeof b, 0, 0}, bs = {small, sizeof small, 0, 0};
	UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_EINVAL); /* no format yet */
	h7_video_format_t f = {H7_PIX_FMT_GREY, 160, 120, 0};
	UNIT_EQ_INT(h7_video_set_format(&v, &f), H7_VIDEO_OK);
	h7_video_format_t got;
	UNIT_EQ_INT(h7_video_get_format(&v, &got), H7_VIDEO_OK);
	UNIT_EQ_INT(got.pitch, 160);
	UNIT_EQ_INT(h7_video_enqueue(&v, &bs), H7_VIDEO_EINVAL); /* too small for the format */
	UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_video_enqueue(&v, &bb), H7_VIDEO_OK);
	UNIT_EQ_INT(cap.starts, 0); /* nothing captured before stream start */
	UNIT_EQ_INT(h7_video_stream_start(&v), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x09] & 0x10, 0); /* sensor awake */
	UNIT_EQ_INT(h7_video_set_format(&v, &f), H7_VIDEO_EBUSY);
	UNIT_EQ_INT(cap.starts, 1);
	UNIT_EQ_INT(cap.mode.byte_select, 2);
	h7_video_buffer_t *out;
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 0), H7_VIDEO_EAGAIN);
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 100), H7_VIDEO_OK);
	UNIT_ASSERT(out == &ba);
	UNIT_EQ_INT(out->bytesused, 160 * 120);
	UNIT_EQ_INT(a[10], 11);
	UNIT_EQ_INT(cap.starts, 2); /* re-armed on the next queued buffer */
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 100), H7_VIDEO_OK);
	UNIT_ASSERT(out == &bb);
	/* Nothing queued: dequeue says so instead of waiting. */
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 100), H7_VIDEO_ENOBUFS);
	UNIT_EQ_INT(h7_video_stream_stop(&v), H7_VIDEO_OK);
	UNIT_EQ_INT(bus_state.regs[0x09] & 0x10, 0x10); /* sensor asleep */
	UNIT_EQ_INT(v.frames, 2);
}

UNIT_TEST(video_errors_timeouts_and_stop)
{
	h7_sensor_t s = fresh_sensor();
	UNIT_EQ_INT(s.ops->init(&s), H7_VIDEO_OK);
	fake_cap_t cap = {.latency = 0, .fail_next = 1};
	h7_video_t v;
	UNIT_EQ_INT(h7_video_init(&v, &s, &cap_ops, &cap), H7_VIDEO_OK);
	h7_video_format_t f = {H7_PIX_FMT_GREY, 320, 240, 0};
	UNIT_EQ_INT(h7_video_set_format(&v, &f), H7_VIDEO_OK);
	static uint8_t a[320 * 240];
	h7_video_buffer_t ba = {a, sizeof a, 0, 0};
	UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_video_stream_start(&v), H7_VIDEO_OK);
	h7_video_buffer_t *out;
	/* An overrun is reported, the buffer is re-armed, the next frame arrives. */
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 10), H7_VIDEO_EOVERRUN);
	UNIT_EQ_INT(v.errors, 1);
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 10), H7_VIDEO_OK);
	UNIT_ASSERT(out == &ba);
	/* A camera that stops sending frames times out, it does not hang. */
	UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_OK);
	cap.busy = -1;
	UNIT_EQ_INT(h7_video_dequeue(&v, &out, 50), H7_VIDEO_ETIMEDOUT);
	/* Stopping gives the buffer back to the queue and stops the backend. */
	UNIT_EQ_INT(h7_video_stream_stop(&v), H7_VIDEO_OK);
	UNIT_EQ_INT(cap.stops, 1);
	UNIT_EQ_INT(v.in_count, 1);
	UNIT_ASSERT(v.active == NULL);
	/* Queue bound: at most H7_VIDEO_QUEUE buffers held. */
	for (int i = 1; i < H7_VIDEO_QUEUE; i++)
		UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_OK);
	UNIT_EQ_INT(h7_video_enqueue(&v, &ba), H7_VIDEO_ENOBUFS);
}

int main(void)
{
	UNIT_RUN(sccb_read_is_write_then_separate_read);
	UNIT_RUN(sccb_update_skips_unchanged_write);
	UNIT_RUN(init_sequence_pins_id_reset_defaults);
	UNIT_RUN(sensor_clock_for_the_frame_rate);
	UNIT_RUN(init_without_camera_is_a_clear_nack);
	UNIT_RUN(init_with_wrong_id_is_enodev);
	UNIT_RUN(nack_mid_table_stops_and_names_the_register);
	UNIT_RUN(mode_selection_qvga_and_qqvga);
	UNIT_RUN(exposure_and_gain_controls);
	UNIT_RUN(exposure_kept_across_sleep_in_retained_state);
	UNIT_RUN(sleep_and_wake_toggle_soft_sleep_only);
	UNIT_RUN(video_stream_enqueue_dequeue);
	UNIT_RUN(video_errors_timeouts_and_stop);
	return unit_done();
}
