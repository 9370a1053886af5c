// Every reference case in test/fixtures through the generated kernels, as a user of the module
// runs it: both targets (WebAssembly SIMD, tiny layers included, and JavaScript), on one thread
// and on two. Two threads must return one thread's result bit for bit, and the cases sized for
// it (`*_threads`) must really be cut into pieces, or the second thread would prove nothing.
import { describe, expect, it } from "vitest";
import { planPieces } from "../../src/embedded/slices.js";
import { compareTensors } from "../../src/runtime/compare.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import type { ReferenceCase } from "../../src/runtime/reference-case.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { FIXTURE_DIR, FIXTURE_NAMES, cellSource } from "../helpers/cells.js";
import { type KernelResult, type Passes, variantCache } from "./harness.js";

const variant = variantCache();
const ZOO = ["peephole_lstm", "cifg_lstm", "indrnn", "mgu", "janet", "ugrnn", "minimalrnn"];
const loadCase = (name: string): ReferenceCase => loadReferenceCase(`${FIXTURE_DIR}/${name}`);

/** The two targets: "pipeline" is WebAssembly (tiny layers too), "js" the JavaScript kernel. */
const TARGETS: readonly (readonly [label: string, which: Passes])[] = [
  ["WebAssembly", "pipeline"],
  ["JavaScript", "js"],
];

/** The batch pieces a forward of case `c` is cut into with `threads` threads. */
function pieces(c: ReferenceCase, threads: number): number {
  const [a, b, I] = c.input.shape as [number, number, number];
  const [T, B] = c.batchFirst ? [b, a] : [a, b];
  const F = c.expected["output"]!.shape[2]!;
  return planPieces(T, B, I, F, threads).length;
}

function pick(r: KernelResult, name: string): Tensor | undefined {
  return name === "output" ? r.output : r.states[name];
}

function identical(a: Tensor, b: Tensor): boolean {
  return a.data.length === b.data.length && a.data.every((x, i) => Object.is(x, b.data[i]));
}

describe.each(TARGETS)("reference cases through the %s kernel", (_label, which) => {
  it.each(FIXTURE_NAMES)("matches %s on one thread and, bit for bit, on two", async (name) => {
    const c = loadCase(name);
    const v = await variant(cellSource(c.cell), `cells/${c.cell}.cell`, which, c.activations);
    const options = { batchFirst: c.batchFirst };
    const lengths = c.lengths === null ? undefined : { lengths: c.lengths };
    const one = v.kernel.create(c.weights, options).forward(c.input, c.states, lengths);
    const model = v.kernel.create(c.weights, { ...options, threads: 2 });
    let two: KernelResult;
    try {
      two = model.forward(c.input, c.states, lengths);
    } finally {
      model.close();
    }
    for (const [tensorName, want] of Object.entries(c.expected)) {
      const [got, got2] = [pick(one, tensorName), pick(two, tensorName)];
      expect(got, `no tensor '${tensorName}'`).toBeDefined();
      const cmp = compareTensors(got!, want, c.tolerance);
      expect(cmp.mismatch, `${name}/${tensorName}`).toBeNull();
      expect(cmp.pass, `${name}/${tensorName}: max abs error ${cmp.maxAbs}`).toBe(true);
      expect(identical(got!, got2!), `${name}/${tensorName}: 2 threads differ from 1`).toBe(true);
    }
  });
});

describe("reference cases sized for threads", () => {
  const sized = FIXTURE_NAMES.filter((name) => name.endsWith("_threads"));

  it("include one for every cell of the zoo (tools/gen_zoo_fixtures.py)", () => {
    const cells = new Set(sized.map((name) => loadCase(name).cell));
    for (const cell of ZOO) expect(cells, cell).toContain(cell);
  });

  it.each(sized)("are cut into pieces with threads: 2 (%s)", (name) => {
    expect(pieces(loadCase(name), 2)).toBeGreaterThan(1);
  });
});
