/* bytes_xs.c: the "native/bytes" module's binding. SPDX-License-Identifier: Apache-2.0 */
#include "bytes.h"
#include "xs_binding.h"

/* crc32(data, crc = 0): number */
void xs_bytes_crc32(xsMachine *the)
{
	uint32_t crc = (xsmcArgc > 1) ? (uint32_t)xsmcToNumber(xsArg(1)) : 0;
	size_t length;
	const uint8_t *data = xsBindingBytes(the, &xsArg(0), &length, 0, "crc32 data");
	xsmcSetNumber(xsResult, bytes_crc32(crc, data, length));
}

/* histogram(data, bins: Uint32Array(256)): bins */
void xs_bytes_histogram(xsMachine *the)
{
	size_t length, binsLength;
	/* Nothing between taking the pointers and the call allocates, so both hold. */
	const uint8_t *data = xsBindingBytes(the, &xsArg(0), &length, 0, "histogram data");
	void *bins = xsBindingBytes(the, &xsArg(1), &binsLength, 1, "histogram bins");
	if (binsLength != 256 * sizeof(uint32_t) || ((uintptr_t)bins & 3))
		xsRangeError("histogram bins: expected an aligned Uint32Array of 256");
	bytes_histogram(data, length, bins);
	xsResult = xsArg(1);
}
