// SPDX-License-Identifier: Apache-2.0
//
// A deliberately small XML reader for OpenCV's FileStorage files. Those files
// use elements, text and a few attributes only; no namespaces, no DTDs, no
// mixed content that matters. Writing it here avoids a dependency for ~150
// lines, and lets every node carry its line number so converter errors can
// point at the exact element at fault.

export interface XmlElement {
	readonly name: string;
	readonly attrs: ReadonlyMap<string, string>;
	readonly children: XmlElement[];
	/** Concatenated character data directly inside this element (not in children). */
	text: string;
	readonly line: number;
	readonly path: string;
}

export class XmlError extends Error {
	constructor(source: string, line: number, message: string) {
		super(`${source}:${line}: ${message}`);
		this.name = "XmlError";
	}
}

const ENTITIES: Readonly<Record<string, string>> = {
	lt: "<",
	gt: ">",
	amp: "&",
	quot: '"',
	apos: "'",
};

function decodeEntities(s: string, source: string, line: number): string {
	if (!s.includes("&")) return s;
	return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
		if (body.startsWith("#x")) return String.fromCodePoint(parseInt(body.slice(2), 16));
		if (body.startsWith("#")) return String.fromCodePoint(parseInt(body.slice(1), 10));
		const v = ENTITIES[body];
		if (v === undefined) throw new XmlError(source, line, `unknown entity ${whole}`);
		return v;
	});
}

/** Parses a whole document and returns its single root element. */
export function parseXml(text: string, source: string): XmlElement {
	let pos = 0;
	let line = 1;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;

	// Line counting is done on every skipped span, so errors and nodes know where they are.
	const advance = (to: number): void => {
		for (let i = pos; i < to; i++) if (text.charCodeAt(i) === 10) line++;
		pos = to;
	};
	const expectEnd = (marker: string, what: string): number => {
		const end = text.indexOf(marker, pos);
		if (end < 0) throw new XmlError(source, line, `unterminated ${what}`);
		return end;
	};

	while (pos < text.length) {
		const lt = text.indexOf("<", pos);
		const textEnd = lt < 0 ? text.length : lt;
		if (textEnd > pos) {
			const chunk = text.slice(pos, textEnd);
			const top = stack[stack.length - 1];
			if (top !== undefined) top.text += decodeEntities(chunk, source, line);
			else if (chunk.trim() !== "") throw new XmlError(source, line, "text outside the root element");
			advance(textEnd);
		}
		if (lt < 0) break;

		if (text.startsWith("<!--", pos)) {
			advance(expectEnd("-->", "comment") + 3);
		} else if (text.startsWith("<?", pos)) {
			advance(expectEnd("?>", "processing instruction") + 2);
		} else if (text.startsWith("<![CDATA[", pos)) {
			const end = expectEnd("]]>", "CDATA section");
			const top = stack[stack.length - 1];
			if (top === undefined) throw new XmlError(source, line, "CDATA outside the root element");
			top.text += text.slice(pos + 9, end);
			advance(end + 3);
		} else if (text.startsWith("<!", pos)) {
			advance(expectEnd(">", "declaration") + 1);
		} else if (text.startsWith("</", pos)) {
			const end = expectEnd(">", "closing tag");
			const name = text.slice(pos + 2, end).trim();
			const top = stack.pop();
			if (top === undefined) throw new XmlError(source, line, `closing tag </${name}> without an open element`);
			if (top.name !== name) {
				throw new XmlError(
					source,
					line,
					`closing tag </${name}> does not match <${top.name}> opened on line ${top.line}`,
				);
			}
			advance(end + 1);
		} else {
			const end = expectEnd(">", "tag");
			let body = text.slice(pos + 1, end);
			const selfClosing = body.endsWith("/");
			if (selfClosing) body = body.slice(0, -1);
			const m = /^([A-Za-z_][\w.:-]*)([\s\S]*)$/.exec(body);
			if (m === null) throw new XmlError(source, line, `malformed tag <${body.slice(0, 40)}>`);
			const name = m[1] ?? "";
			const attrs = new Map<string, string>();
			const attrRe = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')\s*/y;
			const rest = m[2] ?? "";
			let ai = 0;
			while (ai < rest.length) {
				if (/^\s*$/.test(rest.slice(ai))) break;
				attrRe.lastIndex = ai;
				const am = attrRe.exec(rest);
				if (am === null) throw new XmlError(source, line, `malformed attributes in <${name}>`);
				attrs.set(am[1] ?? "", decodeEntities(am[3] ?? am[4] ?? "", source, line));
				ai = attrRe.lastIndex;
			}
			const parent = stack[stack.length - 1];
			const el: XmlElement = {
				name,
				attrs,
				children: [],
				text: "",
				line,
				path: parent === undefined ? name : `${parent.path}/${name}`,
			};
			if (parent !== undefined) parent.children.push(el);
			else if (root !== undefined) throw new XmlError(source, line, `second root element <${name}>`);
			else root = el;
			if (!selfClosing) stack.push(el);
			advance(end + 1);
		}
	}
	const open = stack[stack.length - 1];
	if (open !== undefined)
		throw new XmlError(source, line, `element <${open.name}> opened on line ${open.line} is not closed`);
	if (root === undefined) throw new XmlError(source, line, "no root element");
	return root;
}
