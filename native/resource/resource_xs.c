/*
 * resource_xs.c: the Resource binding (resource.js), the same on every board:
 * the board maps the bytes (resource_board.h), this shows them to JS as a
 * petrified host buffer, so they never sit in the XS heap.
 * SPDX-License-Identifier: Apache-2.0
 */
#include "resource_board.h"
#include "xs_binding.h"

#include <string.h>

#define RESOURCE_ERROR_SIZE 160

static void resourceThrow(xsMachine *the, int status, const char *error)
{
	if (status == BOARD_RESOURCE_BAD_PATH)
		xsURIError("Resource: %s", error);
	xsUnknownError("Resource: %s", error);
}

void xs_resource_destructor(void *data)
{
	if (data)
		board_resource_unmap(data);
}

void xs_resource(xsMachine *the)
{
	char error[RESOURCE_ERROR_SIZE];
	void *data = NULL;
	size_t size = 0;
	int status = board_resource_map(xsmcToString(xsArg(0)), &data, &size, error, sizeof(error));
	if (status)
		resourceThrow(the, status, error);
	xsmcSetHostBuffer(xsThis, data, (xsIntegerValue)size);
	xsmcPetrifyHostBuffer(xsThis);
}

void xs_resource_get_byte_length(xsMachine *the)
{
	xsmcSetInteger(xsResult, xsmcGetHostBufferLength(xsThis));
}

/* slice(begin, end = byteLength, copy = true): a copy into a new ArrayBuffer.
   A sharing slice (copy false) could outlive the memory it points into (a
   board frees a copied resource with it, or a store compaction moves it), so
   it is refused. */
void xs_resource_slice(xsMachine *the)
{
	xsIntegerValue length = xsmcGetHostBufferLength(xsThis);
	xsIntegerValue begin = xsmcToInteger(xsArg(0));
	xsIntegerValue end = (xsmcArgc > 1 && xsmcTypeOf(xsArg(1)) != xsUndefinedType) ? xsmcToInteger(xsArg(1)) : length;
	if (xsmcArgc > 2 && xsmcTypeOf(xsArg(2)) != xsUndefinedType && !xsmcTest(xsArg(2)))
		xsUnknownError("Resource: slice without copy is not supported on this board");
	if (begin < 0)
		begin = 0;
	if (end > length)
		end = length;
	if (end < begin)
		end = begin;
	xsmcSetArrayBuffer(xsResult, NULL, end - begin);
	/* Both pointers taken after the allocation. */
	memcpy(xsmcToArrayBuffer(xsResult), (const char *)xsmcGetHostData(xsThis) + begin, (size_t)(end - begin));
}

void xs_resource_exists(xsMachine *the)
{
	char error[RESOURCE_ERROR_SIZE];
	int answer = board_resource_exists(xsmcToString(xsArg(0)), error, sizeof(error));
	if (answer < 0)
		resourceThrow(the, answer, error);
	xsmcSetBoolean(xsResult, answer > 0);
}
