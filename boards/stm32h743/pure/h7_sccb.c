/*
 * h7_sccb.c: SCCB register access over the abstract I2C bus.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_sensor.h"

int h7_sccb_write(const h7_i2c_bus_t *bus, uint8_t addr7, uint8_t reg, uint8_t value)
{
	if (!bus || !bus->write)
		return H7_VIDEO_EINVAL;
	const uint8_t data[2] = {reg, value};
	return bus->write(bus->ctx, addr7, data, 2);
}

int h7_sccb_read(const h7_i2c_bus_t *bus, uint8_t addr7, uint8_t reg, uint8_t *value)
{
	if (!bus || !bus->write || !bus->read || !value)
		return H7_VIDEO_EINVAL;
	/* Two transactions with a STOP between them: OmniVision sensors do not take a repeated START. */
	int status = bus->write(bus->ctx, addr7, &reg, 1);
	if (status != H7_VIDEO_OK)
		return status;
	return bus->read(bus->ctx, addr7, value, 1);
}

const char *h7_video_strerror(int status)
{
	switch (status) {
	case H7_VIDEO_OK: return "ok";
	case H7_VIDEO_EINVAL: return "invalid argument or unsupported format";
	case H7_VIDEO_ENACK: return "camera not answering on SCCB (no ACK): check power, reset and PWDN";
	case H7_VIDEO_EIO: return "SCCB bus error";
	case H7_VIDEO_ENODEV: return "unexpected camera ID on SCCB";
	case H7_VIDEO_ETIMEDOUT: return "no frame from the camera in time (no PCLK/VSYNC?)";
	case H7_VIDEO_EOVERRUN: return "DCMI overrun or DMA error: frame dropped";
	default: return "unknown camera error";
	}
}
