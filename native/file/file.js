// The "file" module, with Moddable's API (typed by @moddable/typings' file.d.ts).
// file_xs.c implements the host functions on every board; a board supplies
// its storage through include/file_board.h (a data folder on the host
// simulator, the flash store on a device).
// SPDX-License-Identifier: Apache-2.0
class File @ "xs_file_destructor" {
	constructor(path, write) @ "xs_file";
	read(type, count) @ "xs_file_read";
	write(...values) @ "xs_file_write";
	close() @ "xs_file_close";
	flush() @ "xs_file_flush";
	get length() @ "xs_file_get_length";
	get position() @ "xs_file_get_position";
	set position(value) @ "xs_file_set_position";
	static delete(path) @ "xs_file_delete";
	static exists(path) @ "xs_file_exists";
	static rename(from, to) @ "xs_file_rename";
}
Object.freeze(File.prototype);
export { File, File as default };
