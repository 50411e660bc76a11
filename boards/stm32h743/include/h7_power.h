/*
 * h7_power.h: RTC wake-up, alarm, watchdog and wake-reason logic for the
 * STM32H743. The arithmetic and decoding are pure C (host-tested); the
 * register sequences (LSE/RTC start, Stop, Standby, IWDG) are in hw/power.c.
 * SPDX-License-Identifier: Apache-2.0
 */
#ifndef XSIGHT_H7_POWER_H
#define XSIGHT_H7_POWER_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
	H7_POWER_OK = 0,
	H7_POWER_EINVAL = -1,
	H7_POWER_ERANGE = -2,   /* period/timeout outside what the hardware can count */
	H7_POWER_ETIMEOUT = -3, /* a ready flag never came (LSE not oscillating, RTC not initialising) */
} h7_power_status_t;

/* ---- RTC wake-up timer (RM0433 46.3.6) -------------------------------------------------------
 * WUCKSEL 000..011 count RTCCLK/16, /8, /4, /2; 10x counts ck_spre (1 Hz with the prescalers
 * h7_rtc_start() sets); 11x adds 2^16 to WUT. The timer fires every WUT + 1 counts. */
typedef struct {
	uint32_t wucksel;   /* RTC_CR.WUCKSEL */
	uint32_t wut;       /* RTC_WUTR.WUT, 16 bits */
	uint64_t actual_us; /* the period the hardware will produce */
} h7_rtc_wakeup_t;

/* Finest clock that can count period_us, rounded to the nearest count.
 * ERANGE when the period rounds to zero counts or exceeds 2^17 s (about 36.4 h). */
h7_power_status_t h7_rtc_wakeup_compute(uint32_t rtcclk_hz, uint64_t period_us, h7_rtc_wakeup_t *out);

/* RTC_PRER for a 1 Hz ck_spre: PREDIV_A as large as possible (lowest power, RM0433 46.3.4). */
h7_power_status_t h7_rtc_prescalers(uint32_t rtcclk_hz, uint32_t *prediv_a, uint32_t *prediv_s);

/* RTC_ALRMAR value matching hh:mm:ss (BCD, 24 h); a negative field is "don't care". The date
 * is always masked: alarms here are daily or finer. */
h7_power_status_t h7_rtc_alarm_bits(int hours, int minutes, int seconds, uint32_t *alrmar);

/* Milliseconds since midnight from RTC_TR (BCD, 24 h) and RTC_SSR (counts down from PREDIV_S),
 * and the time from a to b across at most one midnight: how long a Stop lasted, since SysTick
 * does not count in Stop. */
uint32_t h7_rtc_ms_of_day(uint32_t tr, uint32_t ssr, uint32_t prediv_s);
uint32_t h7_rtc_elapsed_ms(uint32_t a_ms_of_day, uint32_t b_ms_of_day);

/* ---- IWDG (RM0433 45.3) --------------------------------------------------------------------
 * Timeout = (RLR + 1) * 4 * 2^PR / f_LSI. With the 32 kHz LSI the longest is about 32.8 s:
 * the IWDG keeps counting in Stop and Standby unless the IWDG1_FZ_STOP/SDBY option bits
 * freeze it, which docs/boards/stm32h743.md explains. */
typedef struct {
	uint32_t pr, rlr;
	uint32_t actual_ms;
} h7_iwdg_cfg_t;
h7_power_status_t h7_iwdg_compute(uint32_t lsi_hz, uint32_t timeout_ms, h7_iwdg_cfg_t *out);

/* ---- Why did we start? ----------------------------------------------------------------------- */
typedef enum {
	H7_WAKE_UNKNOWN = 0,
	H7_WAKE_POWER_ON,  /* PORRSTF: first power or VDD came back */
	H7_WAKE_BROWNOUT,  /* BORRSTF without PORRSTF */
	H7_WAKE_PIN_RESET, /* NRST pressed */
	H7_WAKE_SOFTWARE,  /* NVIC_SystemReset */
	H7_WAKE_IWDG,      /* the independent watchdog expired */
	H7_WAKE_WWDG,
	H7_WAKE_LOW_POWER_ERROR, /* LPWRRSTF: illegal Stop/Standby entry */
	H7_WAKE_RTC_WAKEUP,      /* out of Standby/Stop by the RTC wake-up timer */
	H7_WAKE_RTC_ALARM,       /* out of Standby/Stop by RTC alarm A or B */
	H7_WAKE_PIN,             /* out of Standby by a WKUP pin, or out of Stop by an EXTI GPIO line */
	H7_WAKE_STANDBY_OTHER,   /* SBF set but no known source flag */
} h7_wake_cause_t;

typedef struct {
	h7_wake_cause_t cause;
	bool from_standby; /* PWR_CPUCR.SBF: RAM other than backup SRAM is lost */
	int pin;           /* WKUP pin 1..6 or EXTI line 0..15 for H7_WAKE_PIN, else -1 */
} h7_wake_reason_t;

/* Decode a reset: RCC_RSR, PWR_CPUCR, PWR_WKUPFR and RTC_ISR as read at boot, before clearing. */
h7_wake_reason_t h7_wake_decode_reset(uint32_t rcc_rsr, uint32_t pwr_cpucr, uint32_t pwr_wkupfr, uint32_t rtc_isr);
/* Decode a return from Stop (no reset): EXTI_C1PR1 and RTC_ISR, and the GPIO lines armed for it.
 * A pin comes first: the core wakes at the first event, and a pin pending with the RTC's flag is
 * one that fired as the period ended, an event the app asked to see; the RTC period comes again. */
h7_wake_reason_t h7_wake_decode_stop(uint32_t exti_pr1, uint32_t rtc_isr, uint32_t armed_lines);
const char *h7_wake_cause_name(h7_wake_cause_t cause);

/* ---- Wake pins in Stop (RM0433 20.3, Table 139) ----------------------------------------------
 * A GPIO's EXTI line ends Stop only through its NVIC interrupt: WFI returns for an interrupt
 * that is enabled in the NVIC (even with PRIMASK set), and lines 0-15 share seven vectors:
 * EXTI0..EXTI4 (6..10), EXTI9_5 (23), EXTI15_10 (40). -1 for a line that is no GPIO's. */
int h7_exti_irqn(unsigned line);

/* ---- Is the RTC already what h7_rtc_start() sets up? -----------------------------------------
 * Backup-domain registers survive Standby and a reset, so after the first boot the RTC runs on;
 * starting it again would stop the calendar and rewrite the prescaler and the LSE drive. It is
 * running as configured when RCC_BDCR has RTCEN, RTCSEL = LSE and LSERDY, RTC_PRER holds the 1 Hz
 * prescalers for the LSE, and the backup register H7_RTC_MARK_REG holds H7_RTC_MARK (written
 * last, so a set-up cut short by a reset is done again). Not RTC_ISR.INITS: that says the calendar
 * year was set, which this board never does. */
#define H7_RTC_MARK_REG 0u
#define H7_RTC_MARK     0x58535254u /* "TRSX" */
bool h7_rtc_configured(uint32_t rcc_bdcr, uint32_t rtc_prer, uint32_t mark, uint32_t lse_hz);

/* ---- Hardware sequences (target only, hw/power.c) ---------------------------------------- */
h7_power_status_t h7_rtc_start(void);                          /* LSE on, RTC on LSE, 1 Hz ck_spre */
bool h7_rtc_running(void);                                     /* h7_rtc_configured on the registers */
h7_power_status_t h7_rtc_set_wakeup(const h7_rtc_wakeup_t *w); /* also enables EXTI line 19 */
h7_power_status_t h7_rtc_set_alarm_a(uint32_t alrmar);         /* also enables EXTI line 17 */
void h7_exti_wake_pin(unsigned port, unsigned pin, bool rising);
void h7_wkup_pin_enable(unsigned wkup, bool falling); /* PWR WKUP1..6 for Standby */
h7_wake_reason_t h7_wake_reason_at_boot(void);        /* reads and clears the flags */
void h7_backup_sram_enable(void);                     /* BKPRAM clock + PWR_CR2.BREN */
h7_wake_reason_t h7_enter_stop(void);                 /* SVOS5, returns on wake with clocks restored */
void h7_enter_standby(void) __attribute__((noreturn));
h7_power_status_t h7_iwdg_start(const h7_iwdg_cfg_t *cfg);
void h7_iwdg_kick(void);

#endif
