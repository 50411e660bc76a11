/*
 * syscalls.c: the newlib system calls the firmware needs, on semihosting,
 * and time from the CMSDK timer. malloc's heap is bounded by the linker
 * script (__heap_start..__heap_end), so running out is an error XS reports,
 * not a silent overwrite of the stack. SPDX-License-Identifier: Apache-2.0
 */
#include "board.h"

#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>

extern char __heap_start[], __heap_end[];
static char *gBreak = __heap_start;

/* Highest break reached: the peak of everything malloc took. */
size_t boardHeapPeak(void)
{
	return (size_t)(gBreak - __heap_start);
}

void *_sbrk(ptrdiff_t increment)
{
	char *previous = gBreak;
	if ((increment > 0 && increment > __heap_end - gBreak) || (increment < 0 && -increment > gBreak - __heap_start)) {
		errno = ENOMEM;
		return (void *)-1;
	}
	gBreak += increment;
	return previous;
}

int _write(int fd, const char *buffer, int length)
{
	if (fd == 1 || fd == 2) {
		boardConsoleWrite(buffer, (size_t)length, fd == 2);
		return length;
	}
	errno = EBADF;
	return -1;
}

int _read(int fd, char *buffer, int length)
{
	errno = EBADF;
	return -1;
}

int _close(int fd)
{
	errno = EBADF;
	return -1;
}

int _lseek(int fd, int offset, int whence)
{
	errno = ESPIPE;
	return -1;
}

int _fstat(int fd, struct stat *info)
{
	info->st_mode = S_IFCHR;
	return 0;
}

int _isatty(int fd)
{
	return fd <= 2;
}

int _getpid(void)
{
	return 1;
}

int _kill(int pid, int signal)
{
	errno = EINVAL;
	return -1;
}

void _exit(int status)
{
	boardExit(status);
}

/* ---- time */

#define TIMER0_CTRL     (*(volatile uint32_t *)0x40000000)
#define TIMER0_VALUE    (*(volatile uint32_t *)0x40000004)
#define TIMER0_RELOAD   (*(volatile uint32_t *)0x40000008)
#define TIMER0_INTCLEAR (*(volatile uint32_t *)0x4000000C)
#define NVIC_ISER0      (*(volatile uint32_t *)0xE000E100)

static volatile uint32_t gTimerWraps;

void TIMER0_Handler(void)
{
	TIMER0_INTCLEAR = 1;
	gTimerWraps++;
}

void boardTimerStart(void)
{
	/* Free-running down-counter over the full 32 bits, interrupting on each
	   wrap (every 171.8 s at 25 MHz) to extend it to 64. */
	TIMER0_CTRL = 0;
	TIMER0_RELOAD = 0xFFFFFFFFu;
	TIMER0_VALUE = 0xFFFFFFFFu;
	TIMER0_INTCLEAR = 1;
	NVIC_ISER0 = 1u << 8;
	TIMER0_CTRL = 1u | (1u << 3); /* enable, interrupt enable */
}

uint64_t boardTicks(void)
{
	uint32_t wraps, value;
	do {
		wraps = gTimerWraps;
		value = TIMER0_VALUE;
	} while (wraps != gTimerWraps);
	return ((uint64_t)wraps << 32) | (uint32_t)(0xFFFFFFFFu - value);
}

int _gettimeofday(struct timeval *tv, void *zone)
{
	if (tv) {
		/* Unix time at power-on plus board time, which goes on across Standby (power.c). */
		int64_t now = boardEpochUs() + boardNowUs();
		tv->tv_sec = (time_t)(now / 1000000);
		tv->tv_usec = (suseconds_t)(now % 1000000);
	}
	return 0;
}
