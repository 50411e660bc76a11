/*
 * h7_device.h: what CMSIS Core needs to know about the STM32H743 core, then
 * core_cm7.h itself (from npm @xpack-3rd-party/arm-cmsis-core). Target only.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Interrupt numbers: RM0433 19.1.2, Table 139 (vector table for STM32H743).
 */
#ifndef XSIGHT_H7_DEVICE_H
#define XSIGHT_H7_DEVICE_H

typedef enum {
	NonMaskableInt_IRQn = -14,
	HardFault_IRQn = -13,
	MemoryManagement_IRQn = -12,
	BusFault_IRQn = -11,
	UsageFault_IRQn = -10,
	SVCall_IRQn = -5,
	DebugMonitor_IRQn = -4,
	PendSV_IRQn = -2,
	SysTick_IRQn = -1,
	RTC_WKUP_IRQn = 3,
	EXTI0_IRQn = 6, /* .. EXTI4_IRQn = 10: h7_exti_irqn() */
	DMA1_Stream0_IRQn = 11,
	EXTI9_5_IRQn = 23,
	EXTI15_10_IRQn = 40,
	RTC_Alarm_IRQn = 41,
	DCMI_IRQn = 78,
} IRQn_Type;

#define H7_IRQ_COUNT 150 /* external interrupt vectors on the STM32H743 */

#define __CM7_REV              0x0101U /* r1p1 */
#define __MPU_PRESENT          1U
#define __NVIC_PRIO_BITS       4U
#define __Vendor_SysTickConfig 0U
#define __FPU_PRESENT          1U
#define __ICACHE_PRESENT       1U
#define __DCACHE_PRESENT       1U
#define __DTCM_PRESENT         1U

#ifdef H7_HOST_FAKE
#include "h7_fake_core.h" /* the host tests of hw/: the core's registers in RAM (test/fake) */
#else
#include "core_cm7.h"
#endif

#endif
