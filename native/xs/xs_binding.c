/* xs_binding.c: argument helpers for xsmc bindings. SPDX-License-Identifier: Apache-2.0 */
#include "xs_binding.h"

void *xsBindingBytesIn(xsMachine *the, xsSlot *slot, xsSlot *temp, size_t *byteLength, int writable, const char *what)
{
	void *data = NULL;
	xsUnsignedValue count = 0;
	if (xsmcTypeOf(*slot) != xsReferenceType)
		xsTypeError("%s: expected an ArrayBuffer or a typed array", what);
	if (!xsmcIsInstanceOf(*slot, xsTypedArrayPrototype)) {
		/* An ArrayBuffer, a DataView or a host buffer (C-owned frames and
		   arenas): xsmc knows them all and throws for anything else. */
		_xsmcGetBuffer(the, slot, &data, &count, writable);
		*byteLength = count;
		return data;
	}
	/* A typed array of any element size: go through its buffer, offset and
	   length, since xsmc itself takes only 1-byte views. */
	xsmcGet(*temp, *slot, xsID("byteOffset"));
	xsUnsignedValue offset = (xsUnsignedValue)xsmcToInteger(*temp);
	xsmcGet(*temp, *slot, xsID("byteLength"));
	xsUnsignedValue length = (xsUnsignedValue)xsmcToInteger(*temp);
	xsmcGet(*temp, *slot, xsID("buffer"));
	_xsmcGetBuffer(the, temp, &data, &count, writable);
	if ((offset > count) || (length > count - offset))
		xsRangeError("%s: view outside its buffer", what);
	*byteLength = length;
	return (char *)data + offset;
}

void *xsBindingBytes(xsMachine *the, xsSlot *slot, size_t *byteLength, int writable, const char *what)
{
	xsmcVars(1);
	return xsBindingBytesIn(the, slot, &xsVar(0), byteLength, writable, what);
}
