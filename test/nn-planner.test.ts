// Cases mirror TFLite Micro's greedy_memory_planner_test.cc (expected
// offsets and peaks are the ones stated there), plus lifetime analysis on
// hand-built graphs whose lifetimes are derived by hand.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { tflmModels } from "./support/paths";
import { GreedyMemoryPlanner, computeLifetimes, planArena } from "../modules/nn/planner";
import { readModel } from "../modules/nn/tflite";
import { Int8Net, mirrorAveragedModel } from "../tools/tflite/testmodels";

const personDetect = path.join(tflmModels, "person_detect.tflite");

function tflm(): GreedyMemoryPlanner {
	// TFLM's planner tests use unaligned sizes.
	return new GreedyMemoryPlanner({ alignment: 1 });
}

describe("greedy planner (TFLM test cases)", () => {
	test("TestGreedyBasics", () => {
		const p = tflm();
		p.addBuffer(10, 0, 1);
		p.addBuffer(20, 2, 3);
		expect(p.anyOverlap()).toBe(false);
		expect(p.maximumMemorySize()).toBe(20);
		expect(p.getOffset(0)).toBe(0);
		expect(p.getOffset(1)).toBe(0);
	});

	test("TestGreedyMedium", () => {
		const p = tflm();
		p.addBuffer(10, 0, 1);
		p.addBuffer(20, 1, 2);
		p.addBuffer(30, 2, 3);
		p.addBuffer(40, 3, 4);
		p.addBuffer(50, 0, 1);
		expect([0, 1, 2, 3, 4].map((i) => p.getOffset(i))).toEqual([50, 70, 40, 0, 0]);
		expect(p.anyOverlap()).toBe(false);
		expect(p.maximumMemorySize()).toBe(90);
		const plan = p.printPlan();
		expect(plan.split("\n")).toHaveLength(5 + 5); // 5 buffer lines + times 0..4
		expect(plan).toContain("0 (id=0): size=10, offset=50, first_used=0 last_used=1");
		expect(plan).not.toContain("!");
	});

	test("TestPersonDetectionModel", () => {
		const p = tflm();
		const bufs: [number, number, number][] = [
			[9216, 0, 29],
			[3, 28, 29],
			[256, 27, 28],
			[2304, 26, 27],
			[2304, 25, 26],
			[2304, 24, 25],
			[1152, 23, 24],
			[4608, 22, 23],
			[4608, 21, 22],
			[4608, 20, 21],
			[4608, 19, 20],
			[4608, 18, 19],
			[4608, 17, 18],
			[4608, 16, 17],
			[4608, 15, 16],
			[4608, 14, 15],
			[4608, 13, 14],
			[4608, 12, 13],
			[2304, 11, 12],
			[9216, 10, 11],
			[9216, 9, 10],
			[9216, 8, 9],
			[4608, 7, 8],
			[18432, 6, 7],
			[18432, 5, 6],
			[18432, 4, 5],
			[9216, 3, 4],
			[36864, 2, 3],
			[18432, 1, 2],
			[18432, 0, 1],
		];
		for (const [s, f, l] of bufs) p.addBuffer(s, f, l);
		expect(p.anyOverlap()).toBe(false);
		// The test's stated bound: less than the sum of all buffers.
		expect(p.maximumMemorySize()).toBeLessThan(241027);
		// And never less than what is alive at once (an independent lower bound).
		let lower = 0;
		for (let t = 0; t <= 29; t++)
			lower = Math.max(
				lower,
				bufs.filter(([, f, l]) => f <= t && t <= l).reduce((a, [s]) => a + s, 0),
			);
		expect(p.maximumMemorySize()).toBeGreaterThanOrEqual(lower);
	});

	test("TestOverlapCase", () => {
		const p = tflm();
		p.addBuffer(100, 0, 1);
		p.addBuffer(50, 2, 3);
		p.addBuffer(20, 1, 2);
		expect(p.anyOverlap()).toBe(false);
		expect(p.maximumMemorySize()).toBe(120);
	});

	test("equal sizes keep insertion order (TFLM's stable reverse sort)", () => {
		const p = tflm();
		p.addBuffer(8, 0, 0);
		p.addBuffer(8, 0, 0);
		p.addBuffer(8, 0, 0);
		expect([0, 1, 2].map((i) => p.getOffset(i))).toEqual([0, 8, 16]);
	});

	test("16-byte alignment rounds sizes, so offsets stay aligned", () => {
		const p = new GreedyMemoryPlanner();
		p.addBuffer(10, 0, 1);
		p.addBuffer(20, 1, 2);
		p.addBuffer(3, 0, 2);
		expect(p.sizeOf(0)).toBe(16);
		expect(p.sizeOf(1)).toBe(32);
		for (let i = 0; i < 3; i++) expect(p.getOffset(i) % 16).toBe(0);
		expect(p.maximumMemorySize()).toBe(64);
		expect(p.anyOverlap()).toBe(false);
	});

	test("printPlan draws each live buffer's share of the arena per time step", () => {
		const p = tflm();
		p.addBuffer(40, 0, 0);
		p.addBuffer(40, 1, 1);
		const lines = p.printPlan().split("\n");
		expect(lines[2]).toMatch(/^ 0: 0{40}\.{40} \(1k\)$/);
		expect(lines[3]).toMatch(/^ 1: 1{40}\.{40} \(1k\)$/);
	});

	test("bad input is rejected", () => {
		const p = tflm();
		expect(() => p.addBuffer(-1, 0, 0)).toThrow(Error);
		expect(() => p.addBuffer(1, 3, 2)).toThrow(Error);
		expect(() => p.getOffset(0)).toThrow(/out of range/);
	});
});

describe("tensor lifetimes", () => {
	// x -> CONV -> a -> RESHAPE -> b -> FC -> c (graph output)
	function chain(): Uint8Array {
		const net = new Int8Net(3);
		const x = net.input([1, 4, 4, 2]);
		const a = net.conv(x, 3, [3, 3], { padding: "SAME" });
		const b = net.reshape(a, [1, 48]);
		const c = net.fullyConnected(b, 5);
		return net.finish([x], [c]);
	}

	test("without aliasing: produced at the writer, alive until the last reader", () => {
		const m = readModel(chain(), "chain.tflite");
		const lt = computeLifetimes(m, { aliasReshape: false });
		const act = (i: number) => m.operators[i]!;
		const x = m.inputs[0]!,
			a = act(0).outputs[0]!,
			b = act(1).outputs[0]!,
			c = m.outputs[0]!;
		expect(lt[x]).toEqual({ first: 0, last: 0, size: 32, aliasOf: -1 });
		expect(lt[a]).toEqual({ first: 0, last: 1, size: 48, aliasOf: -1 });
		expect(lt[b]).toEqual({ first: 1, last: 2, size: 48, aliasOf: -1 });
		expect(lt[c]).toEqual({ first: 2, last: 2, size: 5, aliasOf: -1 });
		// Constants (weights, bias, shape tensor) take no arena memory.
		for (const t of m.tensors) if (t.data !== null) expect(lt[t.index]).toBeNull();
	});

	test("RESHAPE output shares its input's buffer over the union of lifetimes", () => {
		const m = readModel(chain(), "chain.tflite");
		const lt = computeLifetimes(m);
		const a = m.operators[0]!.outputs[0]!,
			b = m.operators[1]!.outputs[0]!;
		expect(lt[a]).toEqual({ first: 0, last: 2, size: 48, aliasOf: -1 });
		expect(lt[b]).toEqual({ first: 0, last: 2, size: 48, aliasOf: a });
		const plan = planArena(m);
		expect(plan.tensorOffsets[b]).toBe(plan.tensorOffsets[a]);
		// x(32) and a(48) overlap at op 0; a(48) and c(5->16) at op 2.
		expect(plan.peakBytes).toBe(80);
		expect(plan.planner.anyOverlap()).toBe(false);
	});

	test("REVERSE_V2 is not aliased: in the mirror-averaged graph its input and output are both alive at op 0 and stay apart", () => {
		const m = readModel(mirrorAveragedModel(31, [1, 6, 8, 1]), "mirror.tflite");
		expect(m.operators.map((o) => o.name)).toEqual(["REVERSE_V2", "CONV_2D", "CONV_2D", "ADD", "SOFTMAX"]);
		const x = m.operators[0]!.inputs[0]!,
			r = m.operators[0]!.outputs[0]!;
		const lt = computeLifetimes(m);
		// The input is read again by the first CONV_2D, the mirror by the second.
		expect(lt[x]).toEqual({ first: 0, last: 1, size: 48, aliasOf: -1 });
		expect(lt[r]).toEqual({ first: 0, last: 2, size: 48, aliasOf: -1 });
		const plan = planArena(m);
		const [ox, or] = [plan.tensorOffsets[x]!, plan.tensorOffsets[r]!];
		expect(ox + 48 <= or || or + 48 <= ox).toBe(true);
		expect(plan.planner.anyOverlap()).toBe(false);
	});

	test("scratch buffers live only during their op", () => {
		const m = readModel(chain(), "chain.tflite");
		const plan = planArena(m, { aliasReshape: false, scratchSize: (op) => (op === 0 ? 100 : op === 2 ? 7 : 0) });
		expect(plan.scratch.map((s) => [s.op, s.size])).toEqual([
			[0, 100],
			[2, 7],
		]);
		// op 0: x(32) + a(48) + scratch(112) = 192 bytes alive at once.
		expect(plan.peakBytes).toBeGreaterThanOrEqual(192);
		expect(plan.planner.anyOverlap()).toBe(false);
		expect(() => planArena(m, { scratchSize: () => -1 })).toThrow(/operator 0 \(CONV_2D\): scratch size -1/);
	});

	describe.skipIf(!existsSync(personDetect))("person_detect.tflite (needs ../shared)", () => {
		test("plan is sound: no overlap, between the live-set lower bound and the sum", () => {
			const m = readModel(new Uint8Array(readFileSync(personDetect)), "person_detect.tflite");
			for (const alias of [false, true]) {
				const plan = planArena(m, { aliasReshape: alias });
				expect(plan.planner.anyOverlap()).toBe(false);
				const lts = plan.lifetimes.filter((l) => l !== null && l.aliasOf < 0) as {
					first: number;
					last: number;
					size: number;
				}[];
				const a16 = (n: number) => Math.ceil(n / 16) * 16;
				let lower = 0;
				for (let t = 0; t < m.operators.length; t++)
					lower = Math.max(
						lower,
						lts.filter((l) => l.first <= t && t <= l.last).reduce((s, l) => s + a16(l.size), 0),
					);
				expect(plan.peakBytes).toBeGreaterThanOrEqual(lower);
				expect(plan.peakBytes).toBeLessThanOrEqual(lts.reduce((s, l) => s + a16(l.size), 0));
				// MobileNet v1 0.25 on 96x96x1: the first depthwise conv reads the
				// 9216-byte input and writes 48x48x8 = 18432 bytes.
				expect(lower).toBeGreaterThanOrEqual(9216 + 18432);
			}
		});
	});
});
