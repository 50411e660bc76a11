/*
 * h7_fake_regs.h: the peripheral instances of h7_regs.h as structs in RAM (-DH7_HOST_FAKE).
 * Plain memory: a flag reads what was last written or preset, so a test presets the ready
 * flags a sequence waits for and reads back what it wrote.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FAKE_REGS_H
#define XSIGHT_H7_FAKE_REGS_H

extern h7_rcc_t h7_fake_rcc;
extern h7_pwr_t h7_fake_pwr;
extern h7_syscfg_t h7_fake_syscfg;
extern h7_flash_t h7_fake_flash;
extern h7_gpio_t h7_fake_gpio[11];
extern h7_dma_t h7_fake_dma1;
extern h7_dmamux_t h7_fake_dmamux1;
extern h7_dcmi_t h7_fake_dcmi;
extern h7_i2c_t h7_fake_i2c1;
extern h7_usart_t h7_fake_usart3;
extern h7_rtc_t h7_fake_rtc;
extern h7_exti_t h7_fake_exti;
extern h7_iwdg_t h7_fake_iwdg1;
extern h7_dbgmcu_t h7_fake_dbgmcu;

#define H7_RCC     (&h7_fake_rcc)
#define H7_PWR     (&h7_fake_pwr)
#define H7_SYSCFG  (&h7_fake_syscfg)
#define H7_FLASH   (&h7_fake_flash)
#define H7_GPIO(x) (&h7_fake_gpio[(x)])
#define H7_DMA1    (&h7_fake_dma1)
#define H7_DMAMUX1 (&h7_fake_dmamux1)
#define H7_DCMI    (&h7_fake_dcmi)
#define H7_I2C1    (&h7_fake_i2c1)
#define H7_USART3  (&h7_fake_usart3)
#define H7_RTC     (&h7_fake_rtc)
#define H7_EXTI    (&h7_fake_exti)
#define H7_IWDG1   (&h7_fake_iwdg1)
#define H7_DBGMCU  (&h7_fake_dbgmcu)

#endif
