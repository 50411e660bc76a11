/* vision_xs.h: what other bindings (a camera driver) use of native/vision's. SPDX-License-Identifier: Apache-2.0 */
#ifndef XSIGHT_VISION_XS_H
#define XSIGHT_VISION_XS_H

#include "vision.h"
#include "xsmc.h"

/* The pixels and sizes of the Frame in `slot` (throws if it is not a Frame);
 * returns 0 when the frame is closed. A driver writes image->data directly:
 * the memory is C-owned and does not move. */
int xsVisionFrameImage(xsMachine *the, xsSlot *slot, vision_image_u8_t *image);

#endif
