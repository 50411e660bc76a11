/*
 * sys.c: what the firmware needs from the C library beyond src/hw/syscalls.c: time for XS's
 * Date and aligned allocation (posix_memalign, which newlib-nano lacks; malloc's heap is the
 * AXI SRAM the linker leaves over, __heap_start..__heap_end).
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stddef.h>
#include <sys/time.h>

#include "h7_board.h"

/* Time since boot: the RTC calendar is not set by anyone yet, so Date.now() counts from 1970
   at each boot (the app's own clock is the power module's). */
int _gettimeofday(struct timeval* tv, void* zone)
{
	(void)zone;
	if (tv) {
		uint64_t now = h7_time_us();
		tv->tv_sec = (time_t)(now / 1000000u);
		tv->tv_usec = (suseconds_t)(now % 1000000u);
	}
	return 0;
}

extern void* memalign(size_t alignment, size_t size);

int posix_memalign(void** out, size_t alignment, size_t size)
{
	if (alignment < sizeof(void*) || (alignment & (alignment - 1)))
		return EINVAL;
	void* memory = memalign(alignment, size ? size : 1);
	if (!memory)
		return ENOMEM;
	*out = memory;
	return 0;
}
