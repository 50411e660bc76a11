/*
 * memalign.c: posix_memalign for the device boards' newlib-nano, which has
 * memalign but not posix_memalign, which its own aligned_alloc (C11) calls.
 * SPDX-License-Identifier: Apache-2.0
 */
#include <errno.h>
#include <stddef.h>

extern void *memalign(size_t alignment, size_t size);

int posix_memalign(void **out, size_t alignment, size_t size)
{
	if (alignment < sizeof(void *) || (alignment & (alignment - 1)))
		return EINVAL;
	void *memory = memalign(alignment, size ? size : 1);
	if (!memory)
		return ENOMEM;
	*out = memory;
	return 0;
}
