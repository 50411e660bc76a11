/*
 * h7_fake.c: the fake core and peripherals in RAM for the host tests of hw/.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "h7_fake.h"

#include <string.h>

#include "h7_device.h"
#include "h7_regs.h"

h7_rcc_t h7_fake_rcc;
h7_pwr_t h7_fake_pwr;
h7_syscfg_t h7_fake_syscfg;
h7_flash_t h7_fake_flash;
h7_gpio_t h7_fake_gpio[11];
h7_dma_t h7_fake_dma1;
h7_dmamux_t h7_fake_dmamux1;
h7_dcmi_t h7_fake_dcmi;
h7_i2c_t h7_fake_i2c1;
h7_usart_t h7_fake_usart3;
h7_rtc_t h7_fake_rtc;
h7_exti_t h7_fake_exti;
h7_iwdg_t h7_fake_iwdg1;
h7_dbgmcu_t h7_fake_dbgmcu;
h7_fake_scb_t h7_fake_scb;
h7_fake_systick_t h7_fake_systick;

static uint8_t nvic_enabled[16 + H7_IRQ_COUNT];
bool h7_fake_irq_masked;
void (*h7_fake_wfi_hook)(void);
int h7_fake_wfi_count;
jmp_buf h7_fake_escape;

#define CLEAR(x) memset((void *)&(x), 0, sizeof(x))
void h7_fake_reset(void)
{
	CLEAR(h7_fake_rcc);
	CLEAR(h7_fake_pwr);
	CLEAR(h7_fake_syscfg);
	CLEAR(h7_fake_flash);
	CLEAR(h7_fake_gpio);
	CLEAR(h7_fake_dma1);
	CLEAR(h7_fake_dmamux1);
	CLEAR(h7_fake_dcmi);
	CLEAR(h7_fake_i2c1);
	CLEAR(h7_fake_usart3);
	CLEAR(h7_fake_rtc);
	CLEAR(h7_fake_exti);
	CLEAR(h7_fake_iwdg1);
	CLEAR(h7_fake_dbgmcu);
	CLEAR(h7_fake_scb);
	CLEAR(h7_fake_systick);
	memset(nvic_enabled, 0, sizeof nvic_enabled);
	h7_fake_irq_masked = false;
	h7_fake_wfi_hook = NULL;
	h7_fake_wfi_count = 0;
}

bool h7_fake_nvic_enabled(int irqn)
{
	return irqn >= 0 && irqn < H7_IRQ_COUNT && nvic_enabled[irqn];
}

void NVIC_EnableIRQ(IRQn_Type irqn)
{
	if (irqn >= 0 && irqn < H7_IRQ_COUNT)
		nvic_enabled[irqn] = 1;
}
void NVIC_DisableIRQ(IRQn_Type irqn)
{
	if (irqn >= 0 && irqn < H7_IRQ_COUNT)
		nvic_enabled[irqn] = 0;
}
void NVIC_ClearPendingIRQ(IRQn_Type irqn)
{
	(void)irqn;
}
void NVIC_SystemReset(void)
{
	longjmp(h7_fake_escape, H7_FAKE_ESCAPED_RESET);
}

uint32_t SysTick_Config(uint32_t ticks)
{
	SysTick->LOAD = ticks - 1;
	SysTick->VAL = 0;
	SysTick->CTRL = SysTick_CTRL_ENABLE_Msk | SysTick_CTRL_TICKINT_Msk;
	return 0;
}

void __WFI(void)
{
	h7_fake_wfi_count++;
	if (!h7_fake_wfi_hook)
		longjmp(h7_fake_escape, H7_FAKE_ESCAPED_WFI);
	h7_fake_wfi_hook();
}

void __disable_irq(void)
{
	h7_fake_irq_masked = true;
}
void __enable_irq(void)
{
	h7_fake_irq_masked = false;
}
uint32_t __get_IPSR(void)
{
	return 0;
}
void __set_FAULTMASK(uint32_t mask)
{
	(void)mask;
}
