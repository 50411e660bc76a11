// Module loading on XS: static and dynamic imports, relative and bare
// specifiers, one evaluation per module, and errors for missing modules.
import { deepEqual, equal, test, throws } from "./harness";
import { middleName } from "./fixtures/graph/middle";
import { evaluations, leafName } from "test/xs/fixtures/graph/leaf";

test("static imports resolve relative and bare specifiers to one module", () => {
	equal(middleName, "middle>leaf");
	equal(leafName, "leaf");
	equal(evaluations, 1, "leaf evaluations");
});

test("dynamic import loads a module that imports an already loaded one", async () => {
	const lazy = await import("./fixtures/graph/lazy");
	equal(lazy.default, "lazy>leaf");
	const leaf = await import("test/xs/fixtures/graph/leaf");
	equal(leaf.evaluations, 1, "leaf evaluations after dynamic import");
});

test("a missing module rejects the import with its name", async () => {
	let message = "";
	try {
		const name = "./fixtures/graph/not-there"; // not a literal: tsc must not resolve it
		await import(name);
	} catch (error) {
		message = (error as Error).message;
	}
	equal(/not-there/.test(message), true, `message ${JSON.stringify(message)} names the module`);
});

test("native modules are reached by specifier", async () => {
	const bytes = await import("native/bytes");
	deepEqual(typeof bytes.crc32, "function");
	throws(() => bytes.crc32(42 as unknown as Uint8Array), /crc32 data/, "crc32 of a number");
});
