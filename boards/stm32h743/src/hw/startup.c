/*
 * startup.c: vector table, reset handler and early core set-up (FPU, caches,
 * MPU) for the STM32H743.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <string.h>

#include "h7_board.h"
#include "h7_device.h"
#include "h7_regs.h"

extern uint32_t __stack_top, __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __axi_sram_start, __axi_sram_end, __dma_buffer_start, __dma_buffer_end;
extern int main(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void Default_Handler(void);
void HardFault_Handler(void);

#define WEAK_ALIAS __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_ALIAS;
void MemManage_Handler(void) WEAK_ALIAS;
void BusFault_Handler(void) WEAK_ALIAS;
void UsageFault_Handler(void) WEAK_ALIAS;
void SVC_Handler(void) WEAK_ALIAS;
void DebugMon_Handler(void) WEAK_ALIAS;
void PendSV_Handler(void) WEAK_ALIAS;
void SysTick_Handler(void) WEAK_ALIAS;
void RTC_WKUP_IRQHandler(void) WEAK_ALIAS;
void RTC_Alarm_IRQHandler(void) WEAK_ALIAS;
void DMA1_Stream0_IRQHandler(void) WEAK_ALIAS;
void DCMI_IRQHandler(void) WEAK_ALIAS;

typedef void (*vector_t)(void);

/* 16 core vectors + H7_IRQ_COUNT external ones (RM0433 Table 139). Every slot defaults to
 * Default_Handler, then the ones we use are named (GCC range designator, overridden). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".isr_vector"), used))
const vector_t h7_vectors[16 + H7_IRQ_COUNT] = {
	[2 ... 16 + H7_IRQ_COUNT - 1] = Default_Handler,
	[0] = (vector_t)(uintptr_t)&__stack_top,
	[1] = Reset_Handler,
	[2] = NMI_Handler,
	[3] = HardFault_Handler,
	[4] = MemManage_Handler,
	[5] = BusFault_Handler,
	[6] = UsageFault_Handler,
	[11] = SVC_Handler,
	[12] = DebugMon_Handler,
	[14] = PendSV_Handler,
	[15] = SysTick_Handler,
	[16 + RTC_WKUP_IRQn] = RTC_WKUP_IRQHandler,
	[16 + DMA1_Stream0_IRQn] = DMA1_Stream0_IRQHandler,
	[16 + RTC_Alarm_IRQn] = RTC_Alarm_IRQHandler,
	[16 + DCMI_IRQn] = DCMI_IRQHandler,
};
#pragma GCC diagnostic pop

void Default_Handler(void)
{
	static const char msg[] = "\r\nxsight: unexpected interrupt, resetting\r\n";
	h7_console_write(msg, sizeof msg - 1);
	NVIC_SystemReset();
}

void HardFault_Handler(void)
{
	static const char msg[] = "\r\nxsight: HardFault, resetting\r\n";
	h7_console_write(msg, sizeof msg - 1);
	NVIC_SystemReset();
}

/* MPU region 0: the DMA frame buffers, normal memory, non-cacheable, shareable, no execute
 * (PM0253 4.6; TEX=1 C=0 B=0). The DCMI's DMA writes behind the D-cache: with the region
 * non-cacheable the CPU always reads what the DMA wrote, without cache maintenance. */
static void mpu_init(void)
{
	uint32_t base = (uint32_t)(uintptr_t)&__dma_buffer_start;
	uint32_t used = (uint32_t)((uintptr_t)&__dma_buffer_end - (uintptr_t)&__dma_buffer_start);
	/* Smallest power-of-two region from the bank start covering the buffers (at least 32 B). */
	uint32_t size_log2 = 5;
	while ((1u << size_log2) < used + (base - H7_SRAM1_BASE)) size_log2++;
	ARM_MPU_Disable();
	ARM_MPU_SetRegion(ARM_MPU_RBAR(0, H7_SRAM1_BASE),
		ARM_MPU_RASR(1, ARM_MPU_AP_FULL, 1, 1, 0, 0, 0, size_log2 - 1));
	/* Region 1: the backup SRAM, non-cacheable too, so a retained record is in the SRAM the
	 * moment it is written — not in a dirty cache line that Standby or a reset would drop. */
	ARM_MPU_SetRegion(ARM_MPU_RBAR(1, H7_BKPSRAM_BASE), ARM_MPU_RASR(1, ARM_MPU_AP_FULL, 1, 1, 0, 0, 0, 12 - 1));
	ARM_MPU_Enable(MPU_CTRL_PRIVDEFENA_Msk);
}

void h7_board_early_init(void)
{
	SCB->VTOR = (uint32_t)(uintptr_t)h7_vectors;
	/* FPU: full access for CP10/CP11 before any C that may use it (PM0253 4.6.x CPACR). */
	SCB->CPACR |= (3u << 20) | (3u << 22);
	__DSB();
	__ISB();
	/* D2 SRAMs clocked (RM0433 8.7.46) before anything touches .dma_buffer. */
	H7_RCC->AHB2ENR |= RCC_AHB2ENR_SRAM1EN | RCC_AHB2ENR_SRAM2EN | RCC_AHB2ENR_SRAM3EN;
	(void)H7_RCC->AHB2ENR;
	mpu_init();
	SCB_EnableICache();
	SCB_EnableDCache();
}

void Reset_Handler(void)
{
	h7_board_early_init();
	memcpy(&__data_start, &__data_load, (size_t)((uintptr_t)&__data_end - (uintptr_t)&__data_start));
	memset(&__bss_start, 0, (size_t)((uintptr_t)&__bss_end - (uintptr_t)&__bss_start));
	memset(&__axi_sram_start, 0, (size_t)((uintptr_t)&__axi_sram_end - (uintptr_t)&__axi_sram_start));
	__libc_init_array();
	h7_exit(main());
}

/* newlib's __libc_init_array calls these. */
void _init(void) {}
void _fini(void) {}
