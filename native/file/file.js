// The "file" module, with Moddable's API (typed by @moddable/typings' file.d.ts).
// Each board implements the host functions: host-sim/file.c maps paths into a
// data folder; device boards map them to their storage.
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
