/*
 * sys.c: what the firmware needs from the C library beyond src/hw/syscalls.c: time for XS's
 * Date. (Aligned allocation, posix_memalign, is boards/common/memalign.c; malloc's heap is the
 * AXI SRAM the linker leaves over, __heap_start..__heap_end.)
 * SPDX-License-Identifier: Apache-2.0
 */
#include <stddef.h>
#include <sys/time.h>

#include "h7_board.h"

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
