/*
 * h7_regs.h: the STM32H743 device registers this board uses.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Written from the reference manual RM0433 (STM32H742/743/750/753), not from
 * ST's device headers (no registry package ships them). Each block names its
 * RM0433 chapter; every struct's offsets are pinned by static asserts below so
 * a reviewer can check them against the register maps line by line, and the
 * host tests compile this header too (it touches no hardware by itself).
 * Only the registers and bits we use are named; reserved words keep offsets.
 * Chapter, section and table numbers are RM0433 Rev 7's as far as the author
 * knows them; the register names (RCC_PLLCKSELR, DCMI_CR, ...) are the key to
 * look them up if a number has moved in another revision.
 */
#ifndef XSIGHT_H7_REGS_H
#define XSIGHT_H7_REGS_H

#include <stddef.h>
#include <stdint.h>

#define H7_IO                volatile uint32_t
#define H7_BIT(n)            (1u << (n))
#define H7_FIELD(value, pos) ((uint32_t)(value) << (pos))

/* ---- Memory map (RM0433 2.3.2, Table 7/8) ------------------------------------------------ */
#define H7_FLASH_BANK1   0x08000000u /* 1 MB, 8 sectors of 128 KB */
#define H7_FLASH_BANK2   0x08100000u /* 1 MB, 8 sectors of 128 KB */
#define H7_FLASH_SECTOR  (128u * 1024u)
#define H7_FLASH_WORD    32u         /* 256-bit flash word, the programming unit (RM0433 4.3.9) */
#define H7_DTCM_BASE     0x20000000u /* 128 KB, CPU only: no DMA1/DMA2 access (RM0433 2.1, Fig. 1) */
#define H7_AXI_SRAM_BASE 0x24000000u /* 512 KB, D1 */
#define H7_SRAM1_BASE    0x30000000u /* 128 KB, D2 */
#define H7_SRAM2_BASE    0x30020000u /* 128 KB, D2 */
#define H7_SRAM3_BASE    0x30040000u /* 32 KB, D2 */
#define H7_SRAM4_BASE    0x38000000u /* 64 KB, D3 */
#define H7_BKPSRAM_BASE  0x38800000u /* 4 KB backup SRAM */

/* ---- Peripheral base addresses (RM0433 2.3.2, Table 8) ----------------------------------- */
#define H7_FLASH_R_BASE 0x52002000u
#define H7_SDMMC1_BASE  0x52007000u
#define H7_DMA1_BASE    0x40020000u
#define H7_DMA2_BASE    0x40020400u
#define H7_DMAMUX1_BASE 0x40020800u
#define H7_DCMI_BASE    0x48020000u
#define H7_USART1_BASE  0x40011000u
#define H7_USART3_BASE  0x40004800u
#define H7_I2C1_BASE    0x40005400u
#define H7_I2C2_BASE    0x40005800u
#define H7_LPTIM1_BASE  0x40002400u
#define H7_EXTI_BASE    0x58000000u
#define H7_SYSCFG_BASE  0x58000400u
#define H7_RTC_BASE     0x58004000u
#define H7_IWDG1_BASE   0x58004800u
#define H7_GPIOA_BASE   0x58020000u /* GPIOx = GPIOA + 0x400 * x, A..K */
#define H7_RCC_BASE     0x58024400u
#define H7_PWR_BASE     0x58024800u
#define H7_DBGMCU_BASE  0x5C001000u

/* ---- RCC: reset and clock control (RM0433 8.7) ------------------------------------------- */
typedef struct {
	H7_IO CR;        /* 0x000 8.7.2 */
	H7_IO HSICFGR;   /* 0x004 8.7.3 (rev V; ICSCR on rev Y) */
	H7_IO CRRCR;     /* 0x008 */
	H7_IO CSICFGR;   /* 0x00C */
	H7_IO CFGR;      /* 0x010 8.7.7 */
	H7_IO rsv0;      /* 0x014 */
	H7_IO D1CFGR;    /* 0x018 8.7.8 */
	H7_IO D2CFGR;    /* 0x01C 8.7.9 */
	H7_IO D3CFGR;    /* 0x020 8.7.10 */
	H7_IO rsv1;      /* 0x024 */
	H7_IO PLLCKSELR; /* 0x028 8.7.11 */
	H7_IO PLLCFGR;   /* 0x02C 8.7.12 */
	H7_IO PLL1DIVR;  /* 0x030 8.7.13 */
	H7_IO PLL1FRACR; /* 0x034 */
	H7_IO PLL2DIVR;  /* 0x038 */
	H7_IO PLL2FRACR; /* 0x03C */
	H7_IO PLL3DIVR;  /* 0x040 */
	H7_IO PLL3FRACR; /* 0x044 */
	H7_IO rsv2;      /* 0x048 */
	H7_IO D1CCIPR;   /* 0x04C 8.7.19 */
	H7_IO D2CCIP1R;  /* 0x050 8.7.20 */
	H7_IO D2CCIP2R;  /* 0x054 8.7.21 */
	H7_IO D3CCIPR;   /* 0x058 8.7.22 */
	H7_IO rsv3;      /* 0x05C */
	H7_IO CIER;      /* 0x060 */
	H7_IO CIFR;      /* 0x064 */
	H7_IO CICR;      /* 0x068 */
	H7_IO rsv4;      /* 0x06C */
	H7_IO BDCR;      /* 0x070 8.7.27 backup domain: LSE, RTC clock */
	H7_IO CSR;       /* 0x074 8.7.28 LSI */
	H7_IO rsv5;      /* 0x078 */
	H7_IO AHB3RSTR;  /* 0x07C */
	H7_IO AHB1RSTR;  /* 0x080 */
	H7_IO AHB2RSTR;  /* 0x084 */
	H7_IO AHB4RSTR;  /* 0x088 */
	H7_IO APB3RSTR;  /* 0x08C */
	H7_IO APB1LRSTR; /* 0x090 */
	H7_IO APB1HRSTR; /* 0x094 */
	H7_IO APB2RSTR;  /* 0x098 */
	H7_IO APB4RSTR;  /* 0x09C */
	H7_IO GCR;       /* 0x0A0 */
	H7_IO rsv6;      /* 0x0A4 */
	H7_IO D3AMR;     /* 0x0A8 8.7.41 D3 autonomous mode */
	H7_IO rsv7[9];   /* 0x0AC..0x0CC */
	H7_IO RSR;       /* 0x0D0 8.7.43 reset status */
	H7_IO AHB3ENR;   /* 0x0D4 8.7.44 */
	H7_IO AHB1ENR;   /* 0x0D8 8.7.45 */
	H7_IO AHB2ENR;   /* 0x0DC 8.7.46 */
	H7_IO AHB4ENR;   /* 0x0E0 8.7.47 */
	H7_IO APB3ENR;   /* 0x0E4 */
	H7_IO APB1LENR;  /* 0x0E8 8.7.49 */
	H7_IO APB1HENR;  /* 0x0EC */
	H7_IO APB2ENR;   /* 0x0F0 8.7.51 */
	H7_IO APB4ENR;   /* 0x0F4 8.7.52 */
} h7_rcc_t;

/* RCC_CR */
#define RCC_CR_HSION                    H7_BIT(0)
#define RCC_CR_HSIRDY                   H7_BIT(2)
#define RCC_CR_HSEON                    H7_BIT(16)
#define RCC_CR_HSERDY                   H7_BIT(17)
#define RCC_CR_HSEBYP                   H7_BIT(18)
#define RCC_CR_PLL1ON                   H7_BIT(24)
#define RCC_CR_PLL1RDY                  H7_BIT(25)
/* RCC_CFGR */
#define RCC_CFGR_SW_Pos                 0 /* 000 HSI, 001 CSI, 010 HSE, 011 PLL1 */
#define RCC_CFGR_SW_Msk                 (7u << 0)
#define RCC_CFGR_SWS_Pos                3
#define RCC_CFGR_SWS_Msk                (7u << 3)
#define RCC_CFGR_SW_PLL1                3u
#define RCC_CFGR_STOPWUCK               H7_BIT(6) /* 0: wake from Stop on HSI, 1: on CSI */
#define RCC_CFGR_MCO1PRE_Pos            18
#define RCC_CFGR_MCO1_Pos               22 /* 000 HSI, 001 LSE, 010 HSE, 011 PLL1Q, 100 HSI48 */
#define RCC_CFGR_MCO2PRE_Pos            25
#define RCC_CFGR_MCO2_Pos               29 /* 000 SYSCLK, 001 PLL2P, 010 HSE, 011 PLL1P, 100 CSI, 101 LSI */
/* RCC_D1CFGR: HPRE 3:0 (AHB/AXI = sys_d1cpre / HPRE), D1PPRE 6:4 (APB3), D1CPRE 11:8 (CPU) */
#define RCC_D1CFGR_HPRE_Pos             0
#define RCC_D1CFGR_D1PPRE_Pos           4
#define RCC_D1CFGR_D1CPRE_Pos           8
/* RCC_D2CFGR: D2PPRE1 6:4 (APB1), D2PPRE2 10:8 (APB2) */
#define RCC_D2CFGR_D2PPRE1_Pos          4
#define RCC_D2CFGR_D2PPRE2_Pos          8
/* RCC_D3CFGR: D3PPRE 6:4 (APB4) */
#define RCC_D3CFGR_D3PPRE_Pos           4
/* RCC_PLLCKSELR */
#define RCC_PLLCKSELR_PLLSRC_HSE        2u
#define RCC_PLLCKSELR_DIVM1_Pos         4
/* RCC_PLLCFGR (PLL1 fields) */
#define RCC_PLLCFGR_PLL1FRACEN          H7_BIT(0)
#define RCC_PLLCFGR_PLL1VCOSEL          H7_BIT(1) /* 0: wide VCO, 1: medium VCO */
#define RCC_PLLCFGR_PLL1RGE_Pos         2         /* 00 1-2, 01 2-4, 10 4-8, 11 8-16 MHz */
#define RCC_PLLCFGR_DIVP1EN             H7_BIT(16)
#define RCC_PLLCFGR_DIVQ1EN             H7_BIT(17)
#define RCC_PLLCFGR_DIVR1EN             H7_BIT(18)
/* RCC_PLL1DIVR: each field holds divider - 1 */
#define RCC_PLL1DIVR_N_Pos              0
#define RCC_PLL1DIVR_P_Pos              9
#define RCC_PLL1DIVR_Q_Pos              16
#define RCC_PLL1DIVR_R_Pos              24
/* RCC_D2CCIP2R */
#define RCC_D2CCIP2R_USART234578SEL_Pos 0  /* 000: rcc_pclk1 */
#define RCC_D2CCIP2R_LPTIM1SEL_Pos      28 /* 011: LSE */
/* RCC_BDCR */
#define RCC_BDCR_LSEON                  H7_BIT(0)
#define RCC_BDCR_LSERDY                 H7_BIT(1)
#define RCC_BDCR_LSEDRV_Pos             3
#define RCC_BDCR_RTCSEL_Pos             8 /* 01: LSE */
#define RCC_BDCR_RTCSEL_Msk             (3u << 8)
#define RCC_BDCR_RTCEN                  H7_BIT(15)
#define RCC_BDCR_BDRST                  H7_BIT(16)
/* RCC_CSR */
#define RCC_CSR_LSION                   H7_BIT(0)
#define RCC_CSR_LSIRDY                  H7_BIT(1)
/* RCC_RSR (8.7.43): reset flags, cleared by RMVF */
#define RCC_RSR_RMVF                    H7_BIT(16)
#define RCC_RSR_CPURSTF                 H7_BIT(17)
#define RCC_RSR_D1RSTF                  H7_BIT(19)
#define RCC_RSR_D2RSTF                  H7_BIT(20)
#define RCC_RSR_BORRSTF                 H7_BIT(21)
#define RCC_RSR_PINRSTF                 H7_BIT(22)
#define RCC_RSR_PORRSTF                 H7_BIT(23)
#define RCC_RSR_SFTRSTF                 H7_BIT(24)
#define RCC_RSR_IWDG1RSTF               H7_BIT(26)
#define RCC_RSR_WWDG1RSTF               H7_BIT(28)
#define RCC_RSR_LPWRRSTF                H7_BIT(30)
/* Clock enables */
#define RCC_AHB1ENR_DMA1EN              H7_BIT(0)
#define RCC_AHB1ENR_DMA2EN              H7_BIT(1)
#define RCC_AHB2ENR_DCMIEN              H7_BIT(0)
#define RCC_AHB2ENR_SRAM1EN             H7_BIT(29)
#define RCC_AHB2ENR_SRAM2EN             H7_BIT(30)
#define RCC_AHB2ENR_SRAM3EN             H7_BIT(31)
#define RCC_AHB3ENR_SDMMC1EN            H7_BIT(16)
#define RCC_AHB4ENR_GPIOEN(x)           H7_BIT(x) /* x = 0 (A) .. 10 (K) */
#define RCC_AHB4ENR_BKPRAMEN            H7_BIT(28)
#define RCC_APB1LENR_LPTIM1EN           H7_BIT(9)
#define RCC_APB1LENR_USART3EN           H7_BIT(18)
#define RCC_APB1LENR_I2C1EN             H7_BIT(21)
#define RCC_APB1LENR_I2C2EN             H7_BIT(22)
#define RCC_APB2ENR_USART1EN            H7_BIT(4)
#define RCC_APB4ENR_SYSCFGEN            H7_BIT(1)
#define RCC_APB4ENR_RTCAPBEN            H7_BIT(16)

/* ---- PWR: power control (RM0433 6.8) ----------------------------------------------------- */
typedef struct {
	H7_IO CR1;     /* 0x00 6.8.1 */
	H7_IO CSR1;    /* 0x04 6.8.2 */
	H7_IO CR2;     /* 0x08 6.8.3 backup regulator */
	H7_IO CR3;     /* 0x0C 6.8.4 supply configuration */
	H7_IO CPUCR;   /* 0x10 6.8.5 low-power mode and flags */
	H7_IO rsv0;    /* 0x14 */
	H7_IO D3CR;    /* 0x18 6.8.6 voltage scaling */
	H7_IO rsv1;    /* 0x1C */
	H7_IO WKUPCR;  /* 0x20 6.8.7 */
	H7_IO WKUPFR;  /* 0x24 6.8.8 */
	H7_IO WKUPEPR; /* 0x28 6.8.9 */
} h7_pwr_t;

#define PWR_CR1_LPDS                H7_BIT(0) /* low-power regulator in Stop */
#define PWR_CR1_DBP                 H7_BIT(8) /* backup domain write access */
#define PWR_CR1_FLPS                H7_BIT(9) /* flash low-power in Stop */
#define PWR_CR1_SVOS_Pos            14        /* 11 SVOS3, 10 SVOS4, 01 SVOS5 */
#define PWR_CR1_SVOS_Msk            (3u << 14)
#define PWR_CR1_SVOS5               1u
#define PWR_CSR1_ACTVOSRDY          H7_BIT(13)
#define PWR_CR2_BREN                H7_BIT(0) /* backup regulator: keeps backup SRAM in Standby/VBAT */
#define PWR_CR2_BRRDY               H7_BIT(16)
#define PWR_CR3_BYPASS              H7_BIT(0)
#define PWR_CR3_LDOEN               H7_BIT(1)
#define PWR_CR3_SCUEN               H7_BIT(2)
#define PWR_CPUCR_PDDS_D1           H7_BIT(0) /* D1 enters Standby (not Stop) on deep sleep */
#define PWR_CPUCR_PDDS_D2           H7_BIT(1)
#define PWR_CPUCR_PDDS_D3           H7_BIT(2)
#define PWR_CPUCR_STOPF             H7_BIT(5) /* system was in Stop */
#define PWR_CPUCR_SBF               H7_BIT(6) /* system was in Standby */
#define PWR_CPUCR_SBF_D1            H7_BIT(7)
#define PWR_CPUCR_SBF_D2            H7_BIT(8)
#define PWR_CPUCR_CSSF              H7_BIT(9) /* write 1: clear STOPF, SBF, SBF_Dx */
#define PWR_CPUCR_RUN_D3            H7_BIT(11)
#define PWR_D3CR_VOSRDY             H7_BIT(13)
#define PWR_D3CR_VOS_Pos            14 /* 11 VOS1, 10 VOS2, 01 VOS3 (VOS0 = VOS1 + SYSCFG ODEN) */
#define PWR_D3CR_VOS_Msk            (3u << 14)
#define PWR_WKUPCR_ALL              0x3Fu              /* clear WKUPF1..6 */
#define PWR_WKUPEPR_WKUPEN(n)       H7_BIT((n)-1)      /* n = 1..6 */
#define PWR_WKUPEPR_WKUPP(n)        H7_BIT(8 + (n)-1)  /* 1: falling edge */
#define PWR_WKUPEPR_WKUPPUPD_Pos(n) (16 + 2 * ((n)-1)) /* 00 none, 01 pull-up, 10 pull-down */

/* ---- SYSCFG (RM0433 12.3) ---------------------------------------------------------------- */
typedef struct {
	H7_IO rsv0;      /* 0x00 */
	H7_IO PMCR;      /* 0x04 */
	H7_IO EXTICR[4]; /* 0x08..0x14 12.3.3-6: EXTI line n source port, 4 bits per line */
	H7_IO rsv1[2];   /* 0x18..0x1C */
	H7_IO CCCSR;     /* 0x20 */
	H7_IO CCVR;      /* 0x24 */
	H7_IO CCCR;      /* 0x28 */
	H7_IO PWRCR;     /* 0x2C 12.3.10: ODEN bit 0 selects VOS0 (overdrive) */
} h7_syscfg_t;
#define SYSCFG_PWRCR_ODEN H7_BIT(0)

/* ---- FLASH: embedded flash interface (RM0433 4.9) ---------------------------------------- */
typedef struct {
	H7_IO ACR;      /* 0x000 4.9.1 */
	H7_IO KEYR1;    /* 0x004 4.9.2 */
	H7_IO OPTKEYR;  /* 0x008 */
	H7_IO CR1;      /* 0x00C 4.9.4 */
	H7_IO SR1;      /* 0x010 4.9.5 */
	H7_IO CCR1;     /* 0x014 4.9.6 */
	H7_IO rsv0[58]; /* 0x018..0x0FC */
	H7_IO rsv1;     /* 0x100 ACR alias */
	H7_IO KEYR2;    /* 0x104 */
	H7_IO rsv2;     /* 0x108 */
	H7_IO CR2;      /* 0x10C */
	H7_IO SR2;      /* 0x110 */
	H7_IO CCR2;     /* 0x114 */
} h7_flash_t;
#define FLASH_ACR_LATENCY_Pos    0 /* 4 bits: wait states */
#define FLASH_ACR_LATENCY_Msk    (0xFu << 0)
#define FLASH_ACR_WRHIGHFREQ_Pos 4 /* 2 bits: programming delay */
#define FLASH_ACR_WRHIGHFREQ_Msk (3u << 4)
#define FLASH_KEY1               0x45670123u
#define FLASH_KEY2               0xCDEF89ABu
#define FLASH_CR_LOCK            H7_BIT(0)
#define FLASH_CR_PG              H7_BIT(1)
#define FLASH_CR_SER             H7_BIT(2)
#define FLASH_CR_PSIZE_Pos       4 /* 11: x64 parallelism (VDD 2.7-3.6 V) */
#define FLASH_CR_FW              H7_BIT(6)
#define FLASH_CR_START           H7_BIT(7)
#define FLASH_CR_SNB_Pos         8 /* 3 bits: sector number in the bank */
#define FLASH_SR_BSY             H7_BIT(0)
#define FLASH_SR_WBNE            H7_BIT(1)
#define FLASH_SR_QW              H7_BIT(2)
#define FLASH_SR_EOP             H7_BIT(16)
#define FLASH_SR_WRPERR          H7_BIT(17)
#define FLASH_SR_PGSERR          H7_BIT(18)
#define FLASH_SR_STRBERR         H7_BIT(19)
#define FLASH_SR_INCERR          H7_BIT(21)
#define FLASH_SR_OPERR           H7_BIT(22)
#define FLASH_SR_RDPERR          H7_BIT(23) /* read errors (RDPERR .. DBECCERR): set by a read, */
#define FLASH_SR_RDSERR          H7_BIT(24) /* anyone's, not by the program or erase running */
#define FLASH_SR_SNECCERR        H7_BIT(25) /* single ECC error, corrected, on read (RM0433 4.9.5) */
#define FLASH_SR_DBECCERR        H7_BIT(26) /* double ECC error on read (RM0433 4.9.5) */
#define FLASH_CCR_ALL            (0x0FEF0000u)

/* ---- GPIO (RM0433 11.4) ------------------------------------------------------------------ */
typedef struct {
	H7_IO MODER;   /* 0x00 00 input, 01 output, 10 AF, 11 analog */
	H7_IO OTYPER;  /* 0x04 */
	H7_IO OSPEEDR; /* 0x08 */
	H7_IO PUPDR;   /* 0x0C */
	H7_IO IDR;     /* 0x10 */
	H7_IO ODR;     /* 0x14 */
	H7_IO BSRR;    /* 0x18 */
	H7_IO LCKR;    /* 0x1C */
	H7_IO AFR[2];  /* 0x20, 0x24 */
} h7_gpio_t;

/* ---- DMA1/DMA2 streams (RM0433 15.5) ----------------------------------------------------- */
typedef struct {
	H7_IO CR;   /* +0x00 15.5.5 */
	H7_IO NDTR; /* +0x04 15.5.6: number of data items, 16 bits */
	H7_IO PAR;  /* +0x08 */
	H7_IO M0AR; /* +0x0C */
	H7_IO M1AR; /* +0x10 */
	H7_IO FCR;  /* +0x14 15.5.10 */
} h7_dma_stream_t;
typedef struct {
	H7_IO LISR;           /* 0x00 streams 0-3 */
	H7_IO HISR;           /* 0x04 streams 4-7 */
	H7_IO LIFCR;          /* 0x08 */
	H7_IO HIFCR;          /* 0x0C */
	h7_dma_stream_t S[8]; /* 0x10 + 0x18 * x */
} h7_dma_t;
#define DMA_SxCR_EN         H7_BIT(0)
#define DMA_SxCR_TEIE       H7_BIT(2)
#define DMA_SxCR_TCIE       H7_BIT(4)
#define DMA_SxCR_DIR_P2M    (0u << 6)
#define DMA_SxCR_MINC       H7_BIT(10)
#define DMA_SxCR_PSIZE_Pos  11        /* 10: word */
#define DMA_SxCR_MSIZE_Pos  13        /* 10: word */
#define DMA_SxCR_PL_Pos     16        /* 11: very high */
#define DMA_SxCR_MBURST_Pos 23        /* 01: INCR4 */
#define DMA_SxFCR_FTH_Pos   0         /* 11: full FIFO */
#define DMA_SxFCR_DMDIS     H7_BIT(2) /* FIFO mode (direct mode disabled) */
/* Stream 0-3 flags in LISR at these shifts; 4-7 in HISR at the same shifts. */
#define DMA_FLAG_SHIFT(s)   ((((s)&1u) ? 6u : 0u) + (((s)&2u) ? 16u : 0u))
#define DMA_FLAG_FEIF       H7_BIT(0)
#define DMA_FLAG_DMEIF      H7_BIT(2)
#define DMA_FLAG_TEIF       H7_BIT(3)
#define DMA_FLAG_HTIF       H7_BIT(4)
#define DMA_FLAG_TCIF       H7_BIT(5)
#define DMA_FLAGS_ALL       0x3Du

/* ---- DMAMUX1 (RM0433 17.6): channel n routes a request to DMA1 stream n (n < 8) or DMA2
 * stream n - 8. Request line numbers: RM0433 Table 121. */
typedef struct {
	H7_IO CCR[16]; /* 0x00 + 4 * n, 17.6.1: DMAREQ_ID 7:0 */
} h7_dmamux_t;
#define DMAMUX_REQ_DCMI 75u /* dcmi_dma, RM0433 Table 121 */

/* ---- DCMI: RM0433 chapter "Digital camera interface (DCMI)", DCMI register map ---------- */
typedef struct {
	H7_IO CR;     /* 0x00 DCMI_CR */
	H7_IO SR;     /* 0x04 */
	H7_IO RIS;    /* 0x08 */
	H7_IO IER;    /* 0x0C */
	H7_IO MIS;    /* 0x10 */
	H7_IO ICR;    /* 0x14 */
	H7_IO ESCR;   /* 0x18 */
	H7_IO ESUR;   /* 0x1C */
	H7_IO CWSTRT; /* 0x20 */
	H7_IO CWSIZE; /* 0x24 */
	H7_IO DR;     /* 0x28 */
} h7_dcmi_t;
#define DCMI_CR_CAPTURE  H7_BIT(0)
#define DCMI_CR_CM       H7_BIT(1) /* 1: snapshot (one frame) */
#define DCMI_CR_CROP     H7_BIT(2)
#define DCMI_CR_JPEG     H7_BIT(3)
#define DCMI_CR_ESS      H7_BIT(4)
#define DCMI_CR_PCKPOL   H7_BIT(5) /* 1: capture on rising PCLK */
#define DCMI_CR_HSPOL    H7_BIT(6) /* 1: HSYNC active (blanking) high */
#define DCMI_CR_VSPOL    H7_BIT(7) /* 1: VSYNC active (blanking) high */
#define DCMI_CR_FCRC_Pos 8
#define DCMI_CR_EDM_Pos  10 /* 00: 8-bit */
#define DCMI_CR_ENABLE   H7_BIT(14)
#define DCMI_CR_BSM_Pos  16         /* 01: every other byte */
#define DCMI_CR_OEBS     H7_BIT(18) /* 0: keep the first byte of each pair */
#define DCMI_CR_LSM      H7_BIT(19) /* 1: every other line */
#define DCMI_RIS_FRAME   H7_BIT(0)
#define DCMI_RIS_OVR     H7_BIT(1)
#define DCMI_RIS_ERR     H7_BIT(2)
#define DCMI_ICR_ALL     0x1Fu

/* ---- I2C (RM0433 47.7) ------------------------------------------------------------------- */
typedef struct {
	H7_IO CR1;      /* 0x00 */
	H7_IO CR2;      /* 0x04 */
	H7_IO OAR1;     /* 0x08 */
	H7_IO OAR2;     /* 0x0C */
	H7_IO TIMINGR;  /* 0x10 47.7.5 */
	H7_IO TIMEOUTR; /* 0x14 */
	H7_IO ISR;      /* 0x18 47.7.7 */
	H7_IO ICR;      /* 0x1C */
	H7_IO PECR;     /* 0x20 */
	H7_IO RXDR;     /* 0x24 */
	H7_IO TXDR;     /* 0x28 */
} h7_i2c_t;
#define I2C_CR1_PE         H7_BIT(0)
#define I2C_CR2_SADD_Pos   0 /* 7-bit address goes in bits 7:1 */
#define I2C_CR2_RD_WRN     H7_BIT(10)
#define I2C_CR2_START      H7_BIT(13)
#define I2C_CR2_STOP       H7_BIT(14)
#define I2C_CR2_NBYTES_Pos 16
#define I2C_CR2_AUTOEND    H7_BIT(25)
#define I2C_ISR_TXIS       H7_BIT(1)
#define I2C_ISR_RXNE       H7_BIT(2)
#define I2C_ISR_NACKF      H7_BIT(4)
#define I2C_ISR_STOPF      H7_BIT(5)
#define I2C_ISR_BERR       H7_BIT(8)
#define I2C_ISR_ARLO       H7_BIT(9)
#define I2C_ISR_BUSY       H7_BIT(15)
#define I2C_ICR_ALL        0x3F38u

/* ---- USART (RM0433 48.7) ----------------------------------------------------------------- */
typedef struct {
	H7_IO CR1;   /* 0x00 */
	H7_IO CR2;   /* 0x04 */
	H7_IO CR3;   /* 0x08 */
	H7_IO BRR;   /* 0x0C */
	H7_IO GTPR;  /* 0x10 */
	H7_IO RTOR;  /* 0x14 */
	H7_IO RQR;   /* 0x18 */
	H7_IO ISR;   /* 0x1C */
	H7_IO ICR;   /* 0x20 */
	H7_IO RDR;   /* 0x24 */
	H7_IO TDR;   /* 0x28 */
	H7_IO PRESC; /* 0x2C */
} h7_usart_t;
#define USART_CR1_UE    H7_BIT(0)
#define USART_CR1_RE    H7_BIT(2)
#define USART_CR1_TE    H7_BIT(3)
#define USART_ISR_ORE   H7_BIT(3)
#define USART_ISR_RXNE  H7_BIT(5)
#define USART_ISR_TC    H7_BIT(6)
#define USART_ISR_TXE   H7_BIT(7)
#define USART_ICR_ORECF H7_BIT(3)

/* ---- RTC (RM0433 46.6) ------------------------------------------------------------------- */
typedef struct {
	H7_IO TR;       /* 0x00 */
	H7_IO DR;       /* 0x04 */
	H7_IO CR;       /* 0x08 46.6.3 */
	H7_IO ISR;      /* 0x0C 46.6.4 */
	H7_IO PRER;     /* 0x10 */
	H7_IO WUTR;     /* 0x14 46.6.6 */
	H7_IO rsv0;     /* 0x18 */
	H7_IO ALRMAR;   /* 0x1C 46.6.7 */
	H7_IO ALRMBR;   /* 0x20 */
	H7_IO WPR;      /* 0x24 */
	H7_IO SSR;      /* 0x28 */
	H7_IO SHIFTR;   /* 0x2C */
	H7_IO TSTR;     /* 0x30 */
	H7_IO TSDR;     /* 0x34 */
	H7_IO TSSSR;    /* 0x38 */
	H7_IO CALR;     /* 0x3C */
	H7_IO TAMPCR;   /* 0x40 */
	H7_IO ALRMASSR; /* 0x44 */
	H7_IO ALRMBSSR; /* 0x48 */
	H7_IO OR;       /* 0x4C */
	H7_IO BKPR[32]; /* 0x50..0xCC backup registers */
} h7_rtc_t;
#define RTC_CR_WUCKSEL_Msk 7u
#define RTC_CR_ALRAE       H7_BIT(8)
#define RTC_CR_WUTE        H7_BIT(10)
#define RTC_CR_ALRAIE      H7_BIT(12)
#define RTC_CR_WUTIE       H7_BIT(14)
#define RTC_ISR_ALRAWF     H7_BIT(0)
#define RTC_ISR_WUTWF      H7_BIT(2)
#define RTC_ISR_INITS      H7_BIT(4)
#define RTC_ISR_RSF        H7_BIT(5)
#define RTC_ISR_INITF      H7_BIT(6)
#define RTC_ISR_INIT       H7_BIT(7)
#define RTC_ISR_ALRAF      H7_BIT(8)
#define RTC_ISR_WUTF       H7_BIT(10)
#define RTC_ALRMAR_MSK4    H7_BIT(31) /* date/weekday don't care */
#define RTC_ALRMAR_MSK3    H7_BIT(23) /* hours don't care */
#define RTC_ALRMAR_MSK2    H7_BIT(15) /* minutes don't care */
#define RTC_ALRMAR_MSK1    H7_BIT(7)  /* seconds don't care */

/* ---- EXTI (RM0433 20.6): CPU-side registers for lines 0-31 -------------------------------- */
typedef struct {
	H7_IO RTSR1;    /* 0x00 */
	H7_IO FTSR1;    /* 0x04 */
	H7_IO SWIER1;   /* 0x08 */
	H7_IO D3PMR1;   /* 0x0C */
	H7_IO D3PCR1L;  /* 0x10 */
	H7_IO D3PCR1H;  /* 0x14 */
	H7_IO rsv0[26]; /* 0x18..0x7C */
	H7_IO C1IMR1;   /* 0x80 20.6.23 */
	H7_IO C1EMR1;   /* 0x84 */
	H7_IO C1PR1;    /* 0x88 */
} h7_exti_t;
#define EXTI_LINE_RTC_ALARM  17u     /* RTC alarms (RM0433 Table 142) */
#define EXTI_LINE_RTC_WAKEUP 19u     /* RTC wake-up timer */
#define EXTI_LINES_GPIO      0xFFFFu /* lines 0-15: the GPIO pin of that number (SYSCFG_EXTICRx picks the port) */

/* ---- DBGMCU (RM0433 "Debug infrastructure", DBGMCU_IDC): readable by the CPU without a debugger */
typedef struct {
	H7_IO IDCODE; /* 0x00: REV_ID 31:16, DEV_ID 11:0 (0x450) */
} h7_dbgmcu_t;
#define DBGMCU_IDCODE_REV_ID_Pos 16

/* ---- IWDG (RM0433 45.4) ------------------------------------------------------------------ */
typedef struct {
	H7_IO KR;   /* 0x00 */
	H7_IO PR;   /* 0x04 */
	H7_IO RLR;  /* 0x08 */
	H7_IO SR;   /* 0x0C */
	H7_IO WINR; /* 0x10 */
} h7_iwdg_t;
#define IWDG_KEY_START  0xCCCCu
#define IWDG_KEY_RELOAD 0xAAAAu
#define IWDG_KEY_UNLOCK 0x5555u

/* ---- LPTIM (RM0433 43.7) ----------------------------------------------------------------- */
typedef struct {
	H7_IO ISR;  /* 0x00 */
	H7_IO ICR;  /* 0x04 */
	H7_IO IER;  /* 0x08 */
	H7_IO CFGR; /* 0x0C */
	H7_IO CR;   /* 0x10 */
	H7_IO CMP;  /* 0x14 */
	H7_IO ARR;  /* 0x18 */
	H7_IO CNT;  /* 0x1C */
} h7_lptim_t;
#define LPTIM_CR_ENABLE  H7_BIT(0)
#define LPTIM_CR_CNTSTRT H7_BIT(2)
#define LPTIM_ISR_ARRM   H7_BIT(1)
#define LPTIM_ICR_ARRMCF H7_BIT(1)

/* ---- Offsets a reviewer checks against the RM0433 register maps --------------------------- */
_Static_assert(offsetof(h7_rcc_t, CFGR) == 0x10, "RCC_CFGR");
_Static_assert(offsetof(h7_rcc_t, PLLCKSELR) == 0x28, "RCC_PLLCKSELR");
_Static_assert(offsetof(h7_rcc_t, PLL1DIVR) == 0x30, "RCC_PLL1DIVR");
_Static_assert(offsetof(h7_rcc_t, D1CCIPR) == 0x4C, "RCC_D1CCIPR");
_Static_assert(offsetof(h7_rcc_t, BDCR) == 0x70, "RCC_BDCR");
_Static_assert(offsetof(h7_rcc_t, D3AMR) == 0xA8, "RCC_D3AMR");
_Static_assert(offsetof(h7_rcc_t, RSR) == 0xD0, "RCC_RSR");
_Static_assert(offsetof(h7_rcc_t, AHB4ENR) == 0xE0, "RCC_AHB4ENR");
_Static_assert(offsetof(h7_rcc_t, APB4ENR) == 0xF4, "RCC_APB4ENR");
_Static_assert(offsetof(h7_pwr_t, D3CR) == 0x18, "PWR_D3CR");
_Static_assert(offsetof(h7_pwr_t, WKUPEPR) == 0x28, "PWR_WKUPEPR");
_Static_assert(offsetof(h7_syscfg_t, PWRCR) == 0x2C, "SYSCFG_PWRCR");
_Static_assert(offsetof(h7_flash_t, KEYR2) == 0x104, "FLASH_KEYR2");
_Static_assert(offsetof(h7_flash_t, CCR2) == 0x114, "FLASH_CCR2");
_Static_assert(offsetof(h7_dma_t, S[1].CR) == 0x28, "DMA_S1CR");
_Static_assert(offsetof(h7_dma_t, S[7].FCR) == 0xCC, "DMA_S7FCR");
_Static_assert(offsetof(h7_dcmi_t, DR) == 0x28, "DCMI_DR");
_Static_assert(offsetof(h7_i2c_t, TXDR) == 0x28, "I2C_TXDR");
_Static_assert(offsetof(h7_usart_t, PRESC) == 0x2C, "USART_PRESC");
_Static_assert(offsetof(h7_rtc_t, BKPR[0]) == 0x50, "RTC_BKP0R");
_Static_assert(offsetof(h7_rtc_t, BKPR[31]) == 0xCC, "RTC_BKP31R");
_Static_assert(offsetof(h7_exti_t, C1IMR1) == 0x80, "EXTI_C1IMR1");
_Static_assert(offsetof(h7_lptim_t, CNT) == 0x1C, "LPTIM_CNT");

/* Peripheral instances: only meaningful on the target. The host tests of the register sequences
 * (test/fake/) put them in RAM instead. */
#ifdef H7_HOST_FAKE
#include "h7_fake_regs.h"
#else
#define H7_RCC     ((h7_rcc_t *)H7_RCC_BASE)
#define H7_PWR     ((h7_pwr_t *)H7_PWR_BASE)
#define H7_SYSCFG  ((h7_syscfg_t *)H7_SYSCFG_BASE)
#define H7_FLASH   ((h7_flash_t *)H7_FLASH_R_BASE)
#define H7_GPIO(x) ((h7_gpio_t *)(H7_GPIOA_BASE + 0x400u * (x)))
#define H7_DMA1    ((h7_dma_t *)H7_DMA1_BASE)
#define H7_DMA2    ((h7_dma_t *)H7_DMA2_BASE)
#define H7_DMAMUX1 ((h7_dmamux_t *)H7_DMAMUX1_BASE)
#define H7_DCMI    ((h7_dcmi_t *)H7_DCMI_BASE)
#define H7_I2C1    ((h7_i2c_t *)H7_I2C1_BASE)
#define H7_USART3  ((h7_usart_t *)H7_USART3_BASE)
#define H7_RTC     ((h7_rtc_t *)H7_RTC_BASE)
#define H7_EXTI    ((h7_exti_t *)H7_EXTI_BASE)
#define H7_IWDG1   ((h7_iwdg_t *)H7_IWDG1_BASE)
#define H7_LPTIM1  ((h7_lptim_t *)H7_LPTIM1_BASE)
#define H7_DBGMCU  ((h7_dbgmcu_t *)H7_DBGMCU_BASE)
#endif

#endif
