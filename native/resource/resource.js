// The "Resource" module, with Moddable's API (typed by @moddable/typings'
// Resource.d.ts): read-only data as a host buffer, never in the XS heap.
// resource_xs.c implements the host functions on every board; a board maps
// the bytes (include/resource_board.h): a file of the data root in C-owned
// memory on the host simulator, a pointer into flash on a device.
// SPDX-License-Identifier: Apache-2.0
class Resource @ "xs_resource_destructor" {
	constructor(path) @ "xs_resource";
	get byteLength() @ "xs_resource_get_byte_length";
	slice(begin, end, copy) @ "xs_resource_slice";
	static exists(path) @ "xs_resource_exists";
}
Object.freeze(Resource.prototype);
export { Resource, Resource as default };
