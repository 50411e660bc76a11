/*
 * h7_fake_core.h: the part of CMSIS Core that hw/ uses, for the host tests of the register
 * sequences (built with -DH7_HOST_FAKE, h7_device.h includes this instead of core_cm7.h). The
 * core's registers are structs in RAM; WFI and the NVIC calls go to h7_fake.c, which records
 * them and lets a test play the hardware at the moment the core waits.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_FAKE_CORE_H
#define XSIGHT_H7_FAKE_CORE_H

#include <stdint.h>

typedef struct {
	volatile uint32_t SCR, CCR, CPACR, VTOR;
} h7_fake_scb_t;
typedef struct {
	volatile uint32_t CTRL, LOAD, VAL, CALIB;
} h7_fake_systick_t;
extern h7_fake_scb_t h7_fake_scb;
extern h7_fake_systick_t h7_fake_systick;
#define SCB                        (&h7_fake_scb)
#define SysTick                    (&h7_fake_systick)
#define SCB_SCR_SLEEPDEEP_Msk      (1u << 2)
#define SCB_CCR_BFHFNMIGN_Msk      (1u << 8)
#define SysTick_CTRL_ENABLE_Msk    (1u << 0)
#define SysTick_CTRL_TICKINT_Msk   (1u << 1)
#define SysTick_CTRL_COUNTFLAG_Msk (1u << 16)

void NVIC_EnableIRQ(IRQn_Type irqn);
void NVIC_DisableIRQ(IRQn_Type irqn);
void NVIC_ClearPendingIRQ(IRQn_Type irqn);
void NVIC_SystemReset(void) __attribute__((noreturn));
uint32_t SysTick_Config(uint32_t ticks);
void __WFI(void);
void __disable_irq(void);
void __enable_irq(void);
uint32_t __get_IPSR(void);
void __set_FAULTMASK(uint32_t mask);
static inline void __DSB(void) {}
static inline void __ISB(void) {}
static inline void SCB_CleanDCache(void) {}
static inline void SCB_InvalidateDCache_by_Addr(void *addr, int32_t size)
{
	(void)addr;
	(void)size;
}

#endif
