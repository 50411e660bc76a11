/*
 * camera.c: the OV7725's wiring on this board: SCCB on I2C1, reset/power-down
 * GPIOs, XCLK from MCO1, and the DCMI + DMA1 stream 0 snapshot capture
 * (RM0433 chapters DCMI, DMA (15) and DMAMUX (17); DMAMUX1 request 75 is the DCMI), read out with
 * the core in Sleep (WFI) until the frame's interrupt, as the energy model charges it.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Pins (OpenMV Cam H7; check against the schematic of the board in hand):
 *   I2C1 SCL PB8, SDA PB9 (AF4); RESETB PA10, PWDN PD7; XCLK = MCO1 on PA8 (AF0);
 *   the camera module's supply switch ON PD6 (docs/boards/stm32h743.md: a TPS22919 whose own pull-down
 *   holds it off while the pin floats in Standby; a board without one leaves PD6 unconnected);
 *   DCMI (AF13): PIXCLK PA6, HSYNC PA4, VSYNC PB7, D0 PC6, D1 PC7, D2 PE0, D3 PE1,
 *   D4 PE4, D5 PB6, D6 PE5, D7 PE6.
 */
#include "h7_board.h"
#include "h7_device.h"
#include "h7_gpio.h"
#include "h7_regs.h"

#define I2C_TIMEOUT_MS 10u
#define DMA_STREAM     0u

/* ---- SCCB over I2C1 ---------------------------------------------------------------------- */
static int i2c_wait(uint32_t flags)
{
	uint32_t start = h7_time_ms();
	for (;;) {
		uint32_t isr = H7_I2C1->ISR;
		if (isr & I2C_ISR_NACKF) {
			/* The hardware sends STOP after a NACK with AUTOEND; wait for it, then clear. */
			while (!(H7_I2C1->ISR & I2C_ISR_STOPF) && h7_time_ms() - start < I2C_TIMEOUT_MS) {
			}
			H7_I2C1->ICR = I2C_ICR_ALL;
			return H7_VIDEO_ENACK;
		}
		if (isr & (I2C_ISR_BERR | I2C_ISR_ARLO)) {
			H7_I2C1->ICR = I2C_ICR_ALL;
			return H7_VIDEO_EIO;
		}
		if (isr & flags)
			return H7_VIDEO_OK;
		if (h7_time_ms() - start >= I2C_TIMEOUT_MS) {
			/* A stuck bus: a PE toggle resets the peripheral's state machine (RM0433 47.4.6). */
			H7_I2C1->CR1 &= ~I2C_CR1_PE;
			H7_I2C1->CR1 |= I2C_CR1_PE;
			return H7_VIDEO_EIO;
		}
	}
}

static int i2c_transfer(uint8_t addr7, uint8_t *data, size_t len, bool read)
{
	if (len == 0 || len > 255)
		return H7_VIDEO_EINVAL;
	H7_I2C1->ICR = I2C_ICR_ALL;
	H7_I2C1->CR2 = ((uint32_t)addr7 << 1) | ((uint32_t)len << I2C_CR2_NBYTES_Pos) | I2C_CR2_AUTOEND |
	        (read ? I2C_CR2_RD_WRN : 0) | I2C_CR2_START;
	for (size_t i = 0; i < len; i++) {
		int status = i2c_wait(read ? I2C_ISR_RXNE : I2C_ISR_TXIS);
		if (status)
			return status;
		if (read)
			data[i] = (uint8_t)H7_I2C1->RXDR;
		else
			H7_I2C1->TXDR = data[i];
	}
	int status = i2c_wait(I2C_ISR_STOPF);
	H7_I2C1->ICR = I2C_ICR_ALL;
	return status;
}

static int sccb_write(void *ctx, uint8_t addr7, const uint8_t *data, size_t len)
{
	(void)ctx;
	return i2c_transfer(addr7, (uint8_t *)data, len, false);
}

static int sccb_read(void *ctx, uint8_t addr7, uint8_t *data, size_t len)
{
	(void)ctx;
	return i2c_transfer(addr7, data, len, true);
}

const h7_i2c_bus_t h7_sccb_bus = {NULL, sccb_write, sccb_read};

/* ---- Reset / power-down pins -------------------------------------------------------------- */
static void pin_reset(void *ctx, bool asserted)
{
	(void)ctx;
	h7_gpio_write(H7_PORT_A, 10, !asserted);
}
static void pin_pwdn(void *ctx, bool asserted)
{
	(void)ctx;
	h7_gpio_write(H7_PORT_D, 7, asserted);
}
static void pin_delay(void *ctx, uint32_t ms)
{
	(void)ctx;
	h7_delay_ms(ms);
}
const h7_sensor_pins_t h7_camera_pins = {NULL, pin_reset, pin_pwdn, pin_delay};

static const uint8_t dcmi_pins[][2] = {
        {H7_PORT_A, 6}, {H7_PORT_A, 4}, {H7_PORT_B, 7}, {H7_PORT_C, 6}, {H7_PORT_C, 7}, {H7_PORT_E, 0},
        {H7_PORT_E, 1}, {H7_PORT_E, 4}, {H7_PORT_B, 6}, {H7_PORT_E, 5}, {H7_PORT_E, 6},
};

/* ---- The camera module's supply --------------------------------------------------------------- */
static uint64_t supply_on_at;
static bool supply_on;

void h7_camera_supply_on(void)
{
	h7_gpio_config(H7_PORT_D, 6, H7_GPIO_OUTPUT, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_write(H7_PORT_D, 6, true);
	supply_on_at = h7_time_us();
	supply_on = true;
}

void h7_camera_hw_init(void)
{
	/* No pin is driven into the sensor before its supply is up: the switch's turn-on, what the boot has
	   not already spent of it. */
	if (!supply_on)
		h7_camera_supply_on();
	h7_wait_until_us(supply_on_at, H7_CAMERA_SUPPLY_ON_US);
	/* XCLK: MCO1 = HSE / 1 on PA8 (the OV7725 takes 10-48 MHz). */
	h7_gpio_config(H7_PORT_A, 8, H7_GPIO_AF, 0, H7_GPIO_PULL_NONE, 3);
	H7_RCC->CFGR = (H7_RCC->CFGR & ~((7u << RCC_CFGR_MCO1_Pos) | (0xFu << RCC_CFGR_MCO1PRE_Pos))) |
	        (2u << RCC_CFGR_MCO1_Pos) | (1u << RCC_CFGR_MCO1PRE_Pos);
	h7_gpio_config(H7_PORT_A, 10, H7_GPIO_OUTPUT, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_config(H7_PORT_D, 7, H7_GPIO_OUTPUT, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_write(H7_PORT_A, 10, true);
	h7_gpio_write(H7_PORT_D, 7, false);

	/* I2C1, open drain with pull-ups, kernel clock rcc_pclk1 (D2CCIP2R.I2C123SEL = 00). */
	H7_RCC->APB1LENR |= RCC_APB1LENR_I2C1EN;
	(void)H7_RCC->APB1LENR;
	h7_gpio_config(H7_PORT_B, 8, H7_GPIO_AF, 4, H7_GPIO_PULL_UP, 1);
	h7_gpio_config(H7_PORT_B, 9, H7_GPIO_AF, 4, H7_GPIO_PULL_UP, 1);
	H7_GPIO(H7_PORT_B)->OTYPER |= (1u << 8) | (1u << 9);
	H7_I2C1->CR1 = 0;
	/* Fast mode, at most 400 kHz (the OV7725 datasheet's SCCB maximum, fSCL), from a 120 MHz kernel
	 * clock (RM0433 47.4.9): PRESC 14 -> 125 ns steps; SCLL 10 -> 11 steps low (1.375 us >= tLOW
	 * 1.3 us), SCLH 8 -> 9 steps high (1.125 us >= tHIGH 0.6 us): 2.5 us a period, and the bus's rise
	 * time on top; SDADEL 3 (375 ns), SCLDEL 3 -> 4 steps (500 ns >= tSU:DAT 100 ns). Recompute if
	 * APB1 changes. */
	H7_I2C1->TIMINGR = (14u << 28) | (3u << 20) | (3u << 16) | (8u << 8) | 10u;
	H7_I2C1->CR1 = I2C_CR1_PE;

	/* DCMI pins, AF13. */
	for (unsigned i = 0; i < sizeof dcmi_pins / sizeof dcmi_pins[0]; i++)
		h7_gpio_config(dcmi_pins[i][0], dcmi_pins[i][1], H7_GPIO_AF, 13, H7_GPIO_PULL_NONE, 3);
	H7_RCC->AHB2ENR |= RCC_AHB2ENR_DCMIEN;
	H7_RCC->AHB1ENR |= RCC_AHB1ENR_DMA1EN;
	(void)H7_RCC->AHB1ENR;
	/* DMAMUX1 channel 0 feeds DMA1 stream 0; route the DCMI request to it. */
	H7_DMAMUX1->CCR[DMA_STREAM] = DMAMUX_REQ_DCMI;
}

/* Before Standby. In Standby every I/O but the WKUP pins and the RTC's outputs is high impedance
 * (RM0433 6.7, Standby mode), and no pin the OV7725 could use is one of those: what holds the sensor
 * across Standby is the board's (docs/boards/stm32h743.md). XCLK stops (MCO1's prescaler off, its
 * pin analog); PWDN, RESETB, the DCMI and SCCB pins go to analog mode, the state with the input
 * Schmitt trigger off and no pull (RM0433 11.3, analog configuration: the lowest leakage), so nothing
 * is driven into the sensor's pads once its supply is off (a driven pin would feed it through its
 * protection diodes) and no pull fights the camera board's pull-ups: PWDN's holds the sensor in
 * power-down where its supply stays on. Then the supply switch goes off (and stays off: its own
 * pull-down holds ON low while PD6 floats). The wake is a reset: h7_camera_supply_on,
 * h7_camera_hw_init and the sensor's init set them up again. */
void h7_camera_power_down(void)
{
	h7_gpio_config(H7_PORT_D, 7, H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_config(H7_PORT_A, 10, H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	H7_I2C1->CR1 = 0;
	H7_DCMI->CR = 0;
	H7_RCC->CFGR &= ~((7u << RCC_CFGR_MCO1_Pos) | (0xFu << RCC_CFGR_MCO1PRE_Pos)); /* MCO1 prescaler 0: off */
	h7_gpio_config(H7_PORT_A, 8, H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_config(H7_PORT_B, 8, H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_config(H7_PORT_B, 9, H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	for (unsigned i = 0; i < sizeof dcmi_pins / sizeof dcmi_pins[0]; i++)
		h7_gpio_config(dcmi_pins[i][0], dcmi_pins[i][1], H7_GPIO_ANALOG, 0, H7_GPIO_PULL_NONE, 0);
	h7_gpio_write(H7_PORT_D, 6, false);
	supply_on = false;
}

/* ---- DCMI + DMA snapshot capture ----------------------------------------------------------- */
static uint32_t capture_len;

static void dma_clear_flags(void)
{
	uint32_t shift = DMA_FLAG_SHIFT(DMA_STREAM);
	if (DMA_STREAM < 4)
		H7_DMA1->LIFCR = DMA_FLAGS_ALL << shift;
	else
		H7_DMA1->HIFCR = DMA_FLAGS_ALL << shift;
}

static uint32_t dma_flags(void)
{
	uint32_t isr = DMA_STREAM < 4 ? H7_DMA1->LISR : H7_DMA1->HISR;
	return (isr >> DMA_FLAG_SHIFT(DMA_STREAM)) & DMA_FLAGS_ALL;
}

static int dcmi_start(void *ctx, uint8_t *buf, uint32_t len, const h7_capture_mode_t *mode)
{
	(void)ctx;
	uintptr_t a = (uintptr_t)buf;
	/* DMA1 cannot reach DTCM (RM0433 2.1 bus matrix); 32-byte alignment keeps the MPU/cache
	 * line rules simple; NDTR counts 32-bit words, at most 65535. */
	if (a >= H7_DTCM_BASE && a < H7_DTCM_BASE + 0x20000u)
		return H7_VIDEO_EINVAL;
	if ((a & 31u) || (len & 3u) || len / 4 > 0xFFFFu || len == 0)
		return H7_VIDEO_EINVAL;
	h7_dma_stream_t *s = &H7_DMA1->S[DMA_STREAM];
	s->CR &= ~DMA_SxCR_EN;
	while (s->CR & DMA_SxCR_EN) {
	}
	dma_clear_flags();
	s->PAR = (uint32_t)(uintptr_t)&H7_DCMI->DR;
	s->M0AR = (uint32_t)a;
	s->NDTR = len / 4;
	/* Peripheral to memory, word in / word out, memory increments, FIFO full threshold with
	 * INCR4 bursts (RM0433 15.3.13: FTH full allows MBURST INCR4 with word size). */
	s->FCR = DMA_SxFCR_DMDIS | (3u << DMA_SxFCR_FTH_Pos);
	s->CR = DMA_SxCR_DIR_P2M | DMA_SxCR_MINC | (2u << DMA_SxCR_PSIZE_Pos) | (2u << DMA_SxCR_MSIZE_Pos) |
	        (3u << DMA_SxCR_PL_Pos) | (1u << DMA_SxCR_MBURST_Pos);
	s->CR |= DMA_SxCR_EN;
	/* The buffer is in the MPU's non-cacheable region; invalidating anyway guards against a
	 * caller that put a frame elsewhere in cacheable RAM. */
	SCB_InvalidateDCache_by_Addr(buf, (int32_t)len);

	uint32_t cr = DCMI_CR_CM | DCMI_CR_PCKPOL | DCMI_CR_VSPOL; /* snapshot; OV7725 timing (COM10 = 0) */
	cr |= (uint32_t)(mode->byte_select & 3u) << DCMI_CR_BSM_Pos;
	if (!mode->y_first)
		cr |= DCMI_CR_OEBS;
	if (mode->line_select)
		cr |= DCMI_CR_LSM; /* first line kept (OELS 0) */
	H7_DCMI->CR = 0;
	H7_DCMI->ICR = DCMI_ICR_ALL;
	/* The frame's end (DMA transfer complete, or the DCMI's frame flag for a short frame), an
	 * overrun or a DMA error raise an interrupt, which ends dcmi_wait's WFI. */
	s->CR |= DMA_SxCR_TCIE | DMA_SxCR_TEIE;
	H7_DCMI->IER = DCMI_RIS_FRAME | DCMI_RIS_OVR | DCMI_RIS_ERR;
	NVIC_ClearPendingIRQ(DMA1_Stream0_IRQn);
	NVIC_ClearPendingIRQ(DCMI_IRQn);
	NVIC_EnableIRQ(DMA1_Stream0_IRQn);
	NVIC_EnableIRQ(DCMI_IRQn);
	H7_DCMI->CR = cr | DCMI_CR_ENABLE;
	H7_DCMI->CR |= DCMI_CR_CAPTURE;
	capture_len = len;
	return H7_VIDEO_OK;
}

/* The handlers only mask their interrupt again: it has ended the WFI, and dcmi_poll reads the
 * flags it left. */
void DMA1_Stream0_IRQHandler(void)
{
	H7_DMA1->S[DMA_STREAM].CR &= ~(DMA_SxCR_TCIE | DMA_SxCR_TEIE);
}

void DCMI_IRQHandler(void)
{
	H7_DCMI->IER = 0;
}

static void dcmi_interrupts_off(void)
{
	H7_DMA1->S[DMA_STREAM].CR &= ~(DMA_SxCR_TCIE | DMA_SxCR_TEIE);
	H7_DCMI->IER = 0;
	NVIC_DisableIRQ(DMA1_Stream0_IRQn);
	NVIC_DisableIRQ(DCMI_IRQn);
	NVIC_ClearPendingIRQ(DMA1_Stream0_IRQn);
	NVIC_ClearPendingIRQ(DCMI_IRQn);
}

/* 1: the frame is in (*used set), 0: still capturing, < 0: error (capture stopped). */
static int dcmi_poll(uint32_t *used)
{
	uint32_t ris = H7_DCMI->RIS, f = dma_flags();
	h7_dma_stream_t *s = &H7_DMA1->S[DMA_STREAM];
	if ((ris & (DCMI_RIS_OVR | DCMI_RIS_ERR)) || (f & (DMA_FLAG_TEIF | DMA_FLAG_DMEIF))) {
		H7_DCMI->ICR = DCMI_ICR_ALL;
		s->CR &= ~DMA_SxCR_EN;
		dma_clear_flags();
		return H7_VIDEO_EOVERRUN;
	}
	if (f & DMA_FLAG_TCIF) {
		/* Every word is in memory: the DMA counts to zero only after draining its FIFO. */
		H7_DCMI->ICR = DCMI_ICR_ALL;
		dma_clear_flags();
		*used = capture_len;
		return 1;
	}
	if (!(ris & DCMI_RIS_FRAME))
		return 0;
	/* Frame ended before the buffer filled (the sensor sent fewer lines than the format):
	 * disabling the stream flushes its FIFO to memory (RM0433 15.3.14), then NDTR says how much
	 * arrived. The caller sees bytesused below the frame size. */
	H7_DCMI->ICR = DCMI_ICR_ALL;
	s->CR &= ~DMA_SxCR_EN;
	for (uint32_t i = 0; i < 100000u && (s->CR & DMA_SxCR_EN); i++) {
	}
	*used = capture_len - s->NDTR * 4u;
	dma_clear_flags();
	return 1;
}

/* Sleep (WFI, SysTick's 1 ms interrupt running) until the frame's interrupt, or timeout_ms. */
static int dcmi_wait(void *ctx, uint32_t *used, uint32_t timeout_ms)
{
	(void)ctx;
	uint32_t start = h7_time_ms();
	int r;
	for (;;) {
		/* Interrupts masked from the check to the WFI: one that comes in between stays pending and
		 * ends the WFI at once, so no frame's end is slept through. */
		__disable_irq();
		r = dcmi_poll(used);
		if (r || h7_time_ms() - start >= timeout_ms) {
			__enable_irq();
			break;
		}
		__WFI();
		__enable_irq();
	}
	dcmi_interrupts_off();
	if (r == 0)
		return H7_VIDEO_ETIMEDOUT;
	return r < 0 ? r : H7_VIDEO_OK;
}

static void dcmi_stop(void *ctx)
{
	(void)ctx;
	dcmi_interrupts_off();
	H7_DCMI->CR &= ~DCMI_CR_CAPTURE;
	H7_DCMI->CR &= ~DCMI_CR_ENABLE;
	H7_DMA1->S[DMA_STREAM].CR &= ~DMA_SxCR_EN;
	dma_clear_flags();
}

const h7_capture_ops_t h7_dcmi_capture = {dcmi_start, dcmi_wait, dcmi_stop};
