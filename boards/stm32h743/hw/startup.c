/*
 * startup.c: vector table, reset handler and early core set-up (FPU, caches,
 * MPU) for the STM32H743.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stdint.h>
#include <string.h>

#include "h7_board.h"
#include "h7_device.h"
#include "h7_fault.h"
#include "h7_regs.h"
#include "h7_retained.h"

extern uint32_t __stack_top, __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __axi_sram_start, __axi_sram_end, __dma_buffer_start, __dma_buffer_end;
extern int main(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK_ALIAS __attribute__((weak, alias("Default_Handler")))
void HardFault_Handler(void) WEAK_ALIAS;
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
void EXTI0_IRQHandler(void) WEAK_ALIAS;
void EXTI1_IRQHandler(void) WEAK_ALIAS;
void EXTI2_IRQHandler(void) WEAK_ALIAS;
void EXTI3_IRQHandler(void) WEAK_ALIAS;
void EXTI4_IRQHandler(void) WEAK_ALIAS;
void EXTI9_5_IRQHandler(void) WEAK_ALIAS;
void EXTI15_10_IRQHandler(void) WEAK_ALIAS;
void DMA1_Stream0_IRQHandler(void) WEAK_ALIAS;
void DCMI_IRQHandler(void) WEAK_ALIAS;

typedef void (*vector_t)(void);

/* 16 core vectors + H7_IRQ_COUNT external ones (RM0433 Table 139). Every slot defaults to
 * Default_Handler, then the ones we use are named (GCC range designator, overridden). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
__attribute__((section(".isr_vector"), used)) const vector_t h7_vectors[16 + H7_IRQ_COUNT] = {
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
        [16 + EXTI0_IRQn] = EXTI0_IRQHandler,
        [16 + EXTI0_IRQn + 1] = EXTI1_IRQHandler,
        [16 + EXTI0_IRQn + 2] = EXTI2_IRQHandler,
        [16 + EXTI0_IRQn + 3] = EXTI3_IRQHandler,
        [16 + EXTI0_IRQn + 4] = EXTI4_IRQHandler,
        [16 + EXTI9_5_IRQn] = EXTI9_5_IRQHandler,
        [16 + EXTI15_10_IRQn] = EXTI15_10_IRQHandler,
        [16 + DMA1_Stream0_IRQn] = DMA1_Stream0_IRQHandler,
        [16 + RTC_Alarm_IRQn] = RTC_Alarm_IRQHandler,
        [16 + DCMI_IRQn] = DCMI_IRQHandler,
};
#pragma GCC diagnostic pop

/* ---- Faults: counted in backup SRAM, backed off in Standby, reported at the next boot -------- */
static uint8_t fault_area[H7_RETAINED_AREA_SIZE(sizeof(h7_fault_t))] H7_RETAINED;

bool h7_fault_last(h7_fault_t *out)
{
	return h7_retained_load(fault_area, sizeof fault_area, out, sizeof *out) == H7_RETAINED_OK && out->count > 0;
}

void h7_fault_clear(void)
{
	h7_fault_t f;
	if (h7_fault_last(&f))
		h7_retained_save(fault_area, sizeof fault_area, &(h7_fault_t){0}, sizeof f);
}

static void put_hex(char *at, uint32_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 4)
		at[i] = "0123456789abcdef"[v & 15u];
}

/* Called with the stacked exception frame (r0 r1 r2 r3 r12 lr pc xpsr). A fault that reset at
 * once would fault again at once: a boot loop that drains the battery and scrolls the reason
 * away. So the fault is counted, the console says where, and the board sleeps in Standby for
 * 10 s doubled per fault in a row before it tries again. */
void h7_fault_entry(const uint32_t *frame)
{
	uint32_t vector = __get_IPSR() & 0x1FFu;
	h7_backup_sram_enable(); /* the fault may come before h7_board_init set it up */
	h7_fault_t last;
	if (!h7_fault_last(&last))
		last = (h7_fault_t){0};
	uint64_t backoff_us;
	h7_fault_t f = h7_fault_next(&last, frame[6], frame[5], vector, &backoff_us);
	h7_retained_save(fault_area, sizeof fault_area, &f, sizeof f);
	char msg[] = "\r\nxsight: fault, exception 00000000 at pc 00000000, lr 00000000; backing off\r\n";
	put_hex(msg + 27, vector);
	put_hex(msg + 42, f.pc);
	put_hex(msg + 55, f.lr);
	h7_console_write(msg, sizeof msg - 1);
	h7_rtc_wakeup_t w;
	if (h7_rtc_running() && h7_rtc_wakeup_compute(32768u, backoff_us, &w) == H7_POWER_OK &&
	    h7_rtc_set_wakeup(&w) == H7_POWER_OK)
		h7_enter_standby();
	/* No RTC to wake Standby: wait the back-off on SysTick's wraps (its interrupt cannot run
	 * under a fault, its counter does), then reset. */
	if (SysTick->CTRL & SysTick_CTRL_ENABLE_Msk)
		for (uint64_t ms = backoff_us / 1000u; ms; ms--)
			while (!(SysTick->CTRL & SysTick_CTRL_COUNTFLAG_Msk)) {
			}
	NVIC_SystemReset();
}

/* Every fault and unexpected interrupt: the stacked frame is on the stack the exception came
 * from (EXC_RETURN bit 2: 0 main, 1 process). */
__attribute__((naked)) void Default_Handler(void)
{
	__asm volatile("tst lr, #4\n"
	               "ite eq\n"
	               "mrseq r0, msp\n"
	               "mrsne r0, psp\n"
	               "b h7_fault_entry\n");
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
	while ((1u << size_log2) < used + (base - H7_SRAM1_BASE))
		size_log2++;
	ARM_MPU_Disable();
	ARM_MPU_SetRegion(ARM_MPU_RBAR(0, H7_SRAM1_BASE), ARM_MPU_RASR(1, ARM_MPU_AP_FULL, 1, 1, 0, 0, 0, size_log2 - 1));
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
