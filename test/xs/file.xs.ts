// Moddable's File API on the board's storage. The vitest side lays out the
// data root: data/bytes.bin holds the 256 byte values in order.
import { File } from "file";
import { equal, test, throws } from "./harness";

test("reads a file by path, whole and in parts", () => {
	const file = new File("/data/bytes.bin");
	equal(file.length, 256, "length");
	const head = new Uint8Array(file.read(ArrayBuffer, 16));
	equal(head[15], 15, "byte 15");
	equal(file.position, 16, "position after a read");
	file.position = 250;
	const tail = new Uint8Array(file.read(ArrayBuffer));
	equal(tail.length, 6, "rest of the file");
	equal(tail[5], 255, "last byte");
	file.close();
});

test("a missing file is an error naming its path", () => {
	throws(() => new File("/data/missing.tflite"), /\/data\/missing\.tflite/, "open");
});

test("paths cannot leave the data root", () => {
	throws(() => new File("/../etc/passwd"), /\.\./, "open ..");
});

test("writes, renames and deletes", () => {
	const file = new File("/out.txt", true);
	file.write("smile ", new Uint8Array([0x3a, 0x29]).buffer);
	equal(file.length, 8, "length after write");
	file.position = 0;
	equal(file.read(String), "smile :)", "read back");
	file.close();
	equal(File.exists("/out.txt"), true, "exists");
	equal(File.rename("/out.txt", "/renamed.txt"), true, "rename");
	equal(File.exists("/out.txt"), false, "old name gone");
	equal(File.delete("/renamed.txt"), true, "delete");
	equal(File.exists("/renamed.txt"), false, "deleted");
});

test("reading past the end and using a closed file are errors", () => {
	const file = new File("/data/bytes.bin");
	throws(() => file.read(ArrayBuffer, 257), /257 bytes/, "read too much");
	file.close();
	throws(() => file.read(ArrayBuffer, 1), /closed/, "read after close");
	file.close();
});
