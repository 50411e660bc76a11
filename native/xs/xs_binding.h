/*
 * xs_binding.h: helpers every xsmc binding uses to turn arguments into C.
 * SPDX-License-Identifier: Apache-2.0
 *
 * Bindings only convert arguments and results; the work is in the pure C
 * library next to them. Pointers into XS buffers are valid only until the
 * next XS allocation (the GC compacts chunks), so take them last, right
 * before the C call, and never keep them.
 */
#ifndef XSIGHT_XS_BINDING_H
#define XSIGHT_XS_BINDING_H

#include "xsmc.h"

#include <stddef.h>

/* The bytes of an ArrayBuffer, a host buffer, a typed array of any element
 * type or a DataView, zero-copy. Throws a TypeError naming `what` for
 * anything else, or when `writable` and the buffer is read-only. */
void *xsBindingBytes(xsMachine *the, xsSlot *slot, size_t *byteLength, int writable, const char *what);
/* The same with the caller's temporary slot, for host functions that take
 * several buffers (xsmcVars may be called only once per host function). */
void *xsBindingBytesIn(xsMachine *the, xsSlot *slot, xsSlot *temp, size_t *byteLength, int writable, const char *what);

/* Whether two values are the same (===). */
int xsBindingIsSame(xsMachine *the, xsSlot *a, xsSlot *b);

#endif
