/*
 * syscalls.c: the newlib hooks a bare-metal image needs: stdout/stderr to the
 * console, a heap bounded by the AXI SRAM the linker leaves over, exit, and time for XS's Date.
 * (Aligned allocation, posix_memalign, is boards/common/memalign.c.)
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "h7_board.h"

extern char __heap_start, __heap_end;
static char *heap_top = &__heap_start;

int _write(int fd, const char *data, int len)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	h7_console_write(data, (size_t)len);
	return len;
}

int _read(int fd, char *data, int len)
{
	if (fd != 0 || len <= 0) {
		errno = EBADF;
		return -1;
	}
	int c;
	while ((c = h7_console_getc()) < 0) {
	}
	data[0] = (char)c;
	return 1;
}

void *_sbrk(ptrdiff_t increment)
{
	if (increment < 0 || &__heap_end - heap_top < increment) {
		errno = ENOMEM;
		return (void *)-1;
	}
	char *old = heap_top;
	heap_top += increment;
	return old;
}

void _exit(int status)
{
	h7_exit(status);
}

int _close(int fd)
{
	(void)fd;
	errno = EBADF;
	return -1;
}
int _fstat(int fd, struct stat *st)
{
	(void)fd;
	st->st_mode = S_IFCHR;
	return 0;
}
int _isatty(int fd)
{
	return fd >= 0 && fd <= 2;
}
int _lseek(int fd, int off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	errno = ESPIPE;
	return -1;
}
int _kill(int pid, int sig)
{
	(void)pid;
	(void)sig;
	errno = EINVAL;
	return -1;
}
int _getpid(void)
{
	return 1;
}

/* Time since boot: the RTC calendar is not set by anyone yet, so Date.now() counts from 1970
   at each boot (the app's own clock is the power module's). */
int _gettimeofday(struct timeval *tv, void *zone)
{
	(void)zone;
	if (tv) {
		uint64_t now = h7_time_us();
		tv->tv_sec = (time_t)(now / 1000000u);
		tv->tv_usec = (suseconds_t)(now % 1000000u);
	}
	return 0;
}
