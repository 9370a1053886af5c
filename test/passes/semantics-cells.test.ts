// The IR after every prefix of the pipeline computes what the lowered IR computes, by the float64
// reference (the interpreter over a PyTorch-style stack), for every shipped and custom cell on
// random 2-layer bidirectional stacks and on a 1-layer stack with zero states and absent biases.
//
// Tolerance: split-concat, group-terms and fuse-bias reassociate float64 sums (W [h; x] becomes
// W_h h + W_x x; b + (W x) becomes a dot product started from b). Re-ordering a sum of n terms moves it by at most n * 2^-53 * sum |t|: here at
// most 14 terms (8 inputs of layer 1, 4 states, 2 biases) of size <= 0.5, so ~1e-14 at worst;
// sigmoid and tanh do not amplify it, the small random weights barely do over 5 steps and 2
// layers, and the measured worst is 3.3e-16 (the Elman cells). 1e-12, absolute below 1 and
// relative above, keeps a wide margin, while a wrong term, sign or slice moves outputs by 1e-3
// or more (the mutant below). The passes that do not reassociate must be bit-exact.
import { describe, expect, it } from "vitest";
import type { CellIR, Node } from "../../src/compiler/ir/ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { fuseBias } from "../../src/compiler/passes/fuse-bias.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { splitConcat } from "../../src/compiler/passes/split-concat.js";
import { referenceForward } from "../../src/compiler/reference.js";
import { type StackConfig, makeStack, uniform } from "../codegen/harness.js";
import { CELL_NAMES, compileCell } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import { identical, worstError } from "./compare.js";
import { CUSTOM_CELLS } from "./custom-cells.js";
import { lower, run } from "./helpers.js";

const TOLERANCE = 1e-12;
const REASSOCIATING = new Set([splitConcat, groupTerms, fuseBias]);
const SIZES: Readonly<Record<string, number>> = { I: 3, H: 4, P: 2 };

const CONFIGS: readonly Omit<StackConfig, "sizes">[] = [
  {
    layers: 2,
    bidirectional: true,
    batchFirst: false,
    T: 5,
    B: 2,
    withOptional: true,
    withInitial: true,
  },
  {
    layers: 1,
    bidirectional: false,
    batchFirst: true,
    T: 4,
    B: 3,
    withOptional: false,
    withInitial: false,
  },
];

const CELLS: readonly (readonly [string, CellIR])[] = [
  ...CELL_NAMES.map((name) => [name, compileCell(name)] as const),
  ["lstm (gate=hard_sigmoid)", compileCell("lstm", { gate: "hard_sigmoid(0.25, 0.5)" })],
  ...CUSTOM_CELLS.map((c) => [c.name, lower(c.text)] as const),
];

/** Output and final states, one flat list per tensor, for each stack configuration. */
function results(ir: CellIR, lowered: CellIR, seed: number): Float64Array[] {
  return CONFIGS.flatMap((cfg, k) => {
    const sizes = Object.fromEntries(lowered.sizes.map((s) => [s, SIZES[s]!]));
    const stack = makeStack(lowered, { ...cfg, sizes }, uniform(rng(seed + k)));
    const r = referenceForward(ir, stack.weights, stack.input, stack.initial, cfg);
    return [r.output.data, ...lowered.states.map((s) => r.states[s.name]!.data)];
  });
}

const worst = (got: Float64Array[], want: Float64Array[]): number =>
  Math.max(...want.map((w, i) => worstError(got[i]!, w)));

describe("each prefix of the pipeline", () => {
  const cases = CELLS.flatMap(([name, ir]) =>
    PIPELINE.map((pass, k) => [name, pass.name, ir, k + 1] as const),
  );
  it.each(cases)("computes what the lowered %s computes, up to %s", (_, __, ir, k) => {
    const want = results(ir, ir, 11);
    const got = results(run(ir, ...PIPELINE.slice(0, k)), ir, 11);
    expect(worst(got, want)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe("the passes that do not reassociate", () => {
  const exact = PIPELINE.filter((p) => !REASSOCIATING.has(p));
  const cases = CELLS.flatMap(([name, ir]) =>
    exact.map((pass) => [pass.name, name, ir, pass] as const),
  );
  it.each(cases)("%s leaves the results of %s bit for bit", (_, __, ir, pass) => {
    const input = run(ir, ...PIPELINE.slice(0, PIPELINE.indexOf(pass)));
    const want = results(input, ir, 23);
    const got = results(run(input, pass), ir, 23);
    want.forEach((w, i) => expect(identical(got[i]!, w)).toBe(true));
  });
});

describe("the comparison", () => {
  it("catches a wrong sign on one bias when the pipeline's result is mutated", () => {
    const ir = compileCell("lstm");
    const opt = run(ir, ...PIPELINE);
    const sum = opt.nodes.find((n) => n.op === "add" && n.stage === "weight")!;
    const mutant = {
      ...opt,
      nodes: opt.nodes.map((n) => (n === sum ? ({ ...n, op: "sub" } as Node) : n)),
    };
    expect(worst(results(opt, ir, 11), results(ir, ir, 11))).toBeLessThanOrEqual(TOLERANCE);
    expect(worst(results(mutant, ir, 11), results(ir, ir, 11))).toBeGreaterThan(1e-3);
  });
});
