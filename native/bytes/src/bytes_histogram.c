/* bytes_histogram.c: byte-value histogram. SPDX-License-Identifier: Apache-2.0 */
#include "bytes.h"

#include <string.h>

void bytes_histogram(const uint8_t *data, size_t length, uint32_t bins[256])
{
	memset(bins, 0, 256 * sizeof(bins[0]));
	while (length--)
		bins[*data++]++;
}
