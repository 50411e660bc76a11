/*
 * h7_sensor.h: the STM32H743 camera driver's parts under camera_board.h (camera.c): a sensor
 * through an ops table (OV7725 today; another sensor adds one table) on an abstract I2C bus
 * (SCCB transactions, so its register sequencing is tested on the host against a fake bus), and
 * a capture backend that reads one frame into a buffer (DCMI + DMA on the board, a fake on the
 * host). h7_camera_adapter.h puts them together under the one settle policy (native/camera).
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_SENSOR_H
#define XSIGHT_H7_SENSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	H7_VIDEO_OK = 0,
	H7_VIDEO_EINVAL = -1,    /* bad argument or unsupported format */
	H7_VIDEO_ENACK = -2,     /* the sensor did not acknowledge on SCCB: not connected or not powered */
	H7_VIDEO_EIO = -3,       /* bus error or arbitration loss */
	H7_VIDEO_ENODEV = -4,    /* something answered, but its ID is not this sensor's */
	H7_VIDEO_ETIMEDOUT = -7, /* no frame within the timeout: no PCLK/VSYNC from the sensor */
	H7_VIDEO_EOVERRUN = -9,  /* DCMI overrun / DMA error: the frame was dropped */
} h7_video_status_t;

const char *h7_video_strerror(int status);

/* FourCC like V4L2/Zephyr: 'GREY' is 8-bit luma. */
#define H7_FOURCC(a, b, c, d) ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))
#define H7_PIX_FMT_GREY       H7_FOURCC('G', 'R', 'E', 'Y')

typedef struct {
	uint32_t pixelformat;
	uint16_t width, height;
	uint32_t pitch; /* bytes per line */
} h7_video_format_t;

/* ---- Abstract I2C bus: each call is one complete transaction, START .. STOP ---------------- */
typedef struct {
	void *ctx;
	int (*write)(void *ctx, uint8_t addr7, const uint8_t *data, size_t len);
	int (*read)(void *ctx, uint8_t addr7, uint8_t *data, size_t len);
} h7_i2c_bus_t;

typedef struct {
	uint8_t reg, value;
} h7_sccb_reg_t;

/* SCCB (OmniVision's I2C subset): a register write is one 2-byte write; a read is a 1-byte
 * write (the address) and a separate 1-byte read — SCCB has no repeated START. */
int h7_sccb_write(const h7_i2c_bus_t *bus, uint8_t addr7, uint8_t reg, uint8_t value);
int h7_sccb_read(const h7_i2c_bus_t *bus, uint8_t addr7, uint8_t reg, uint8_t *value);

/* ---- Sensors -------------------------------------------------------------------------------- */
typedef enum {
	H7_CTRL_EXPOSURE = 1,      /* sensor units (OV7725: line periods, 16 bits) */
	H7_CTRL_GAIN = 2,          /* sensor units (OV7725: GAIN register, 8 bits) */
	H7_CTRL_AUTO_EXPOSURE = 3, /* 0/1 */
	H7_CTRL_AUTO_GAIN = 4,     /* 0/1 */
} h7_video_ctrl_t;

/* How the capture side must sample what the sensor sends for a format. */
typedef struct {
	uint16_t sensor_width, sensor_height; /* what the sensor outputs (YUV422, 2 bytes/pixel) */
	uint8_t byte_select;                  /* DCMI BSM: 1 = every other byte (Y of YUYV), 2 = one byte in four */
	uint8_t line_select;                  /* DCMI LSM: 0 = every line, 1 = every other line */
	uint8_t y_first;                      /* 1: Y is the first byte of each pair (YUYV) */
} h7_capture_mode_t;

typedef struct h7_sensor h7_sensor_t;
typedef struct {
	const char *name;
	int (*init)(h7_sensor_t *s); /* hardware reset, ID check, defaults */
	int (*set_format)(h7_sensor_t *s, const h7_video_format_t *fmt, h7_capture_mode_t *mode);
	int (*set_sleep)(h7_sensor_t *s, bool sleep);
	int (*get_ctrl)(h7_sensor_t *s, h7_video_ctrl_t id, int32_t *value);
	int (*set_ctrl)(h7_sensor_t *s, h7_video_ctrl_t id, int32_t value);
} h7_sensor_ops_t;

/* Board hooks for the sensor's control pins and a delay; either may be NULL (tied off). */
typedef struct {
	void *ctx;
	void (*reset)(void *ctx, bool asserted);      /* RESETB held low while asserted */
	void (*power_down)(void *ctx, bool asserted); /* PWDN high while asserted */
	void (*delay_ms)(void *ctx, uint32_t ms);
} h7_sensor_pins_t;

struct h7_sensor {
	const h7_sensor_ops_t *ops;
	const h7_i2c_bus_t *bus;
	const h7_sensor_pins_t *pins;
	uint8_t addr7;
	int last_error;   /* status of the last failed bus operation */
	uint8_t last_reg; /* register it was addressing */
	uint32_t xclk_hz; /* the clock the board feeds the sensor (XCLK) */
	uint32_t fps;     /* the frame rate init sets the sensor's clock for */
	/* The driver's copy of the control registers it changes bit by bit (which ones is the driver's:
	 * registers the sensor never changes itself), bit i of shadow_known for shadow[i]: a change is one
	 * write, not a read and a write. Cleared by init (a reset). */
	uint8_t shadow[4];
	uint8_t shadow_known;
};

/* ---- Capture backends (DCMI+DMA on the board, a fake on the host) --------------------------- */
typedef struct {
	/* Arm a one-frame (snapshot) capture of len bytes into buf (on the board DMA-reachable: not DTCM). */
	int (*start)(void *ctx, uint8_t *buf, uint32_t len, const h7_capture_mode_t *mode);
	/* Wait, the core asleep, for the armed frame: H7_VIDEO_OK with *bytesused, an error (the capture
	 * stopped), or H7_VIDEO_ETIMEDOUT after timeout_ms. */
	int (*wait)(void *ctx, uint32_t *bytesused, uint32_t timeout_ms);
	void (*stop)(void *ctx);
} h7_capture_ops_t;

/* ---- OV7725 ----------------------------------------------------------------------------------- */
#define OV7725_ADDR7 0x21 /* 0x42 write / 0x43 read in 8-bit terms */
extern const h7_sensor_ops_t h7_ov7725_ops;

/* The sensor's clock (OV7725 datasheet: COM4[7:6] PLL bypass, 4x, 6x, 8x; CLKRC[6] XCLK used
 * directly, else divided by (CLKRC[5:0] + 1) x 2). In YUV the sensor sends one byte per PCLK of
 * that clock, 784 x 2 PCLK a row, 510 rows a frame (the VGA frame timing, which the QVGA window
 * is read out of): 799,680 PCLK a frame, 30 fps at 24 MHz. h7_ov7725_clock() picks the slowest
 * clock that gives at least fps frames a second, at most 48 MHz (60 fps, the datasheet's VGA
 * maximum); EINVAL when none does or the XCLK is outside 10-48 MHz. */
#define OV7725_ROW_PCLK   1568u
#define OV7725_FRAME_ROWS 510u
typedef struct {
	uint8_t clkrc;    /* CLKRC */
	uint8_t com4_pll; /* COM4 bits 7:6 */
	uint32_t pclk_hz;
	uint32_t line_ns; /* one row: the exposure unit */
} h7_ov7725_clock_t;
int h7_ov7725_clock(uint32_t xclk_hz, uint32_t fps, h7_ov7725_clock_t *out);

/* The register tables, exposed for tests and for review against the OV7725 datasheet. */
extern const h7_sccb_reg_t h7_ov7725_defaults[];
extern const size_t h7_ov7725_defaults_count;
extern const h7_sccb_reg_t h7_ov7725_qvga[];
extern const size_t h7_ov7725_qvga_count;

#endif
