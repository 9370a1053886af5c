// The passes work from algebra and stages, not by recognising PyTorch's LSTM: cells written
// differently (peepholes, a coupled gate, per-gate matrices, biases first or apart, a GRU on
// concat(h, x)) get the same treatment: input products hoisted, biases summed at load time and
// folded into the products, products that share a vector merged.
import { describe, expect, it } from "vitest";
import type { CellIR, Node } from "../../src/compiler/ir.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { mergeMatvec } from "../../src/compiler/passes/merge-matvec.js";
import { CELL_NAMES, compileCell } from "../helpers/cells.js";
import {
  BIAS_FIRST_RNN,
  CIFG_LSTM,
  CONCAT_GRU,
  CUSTOM_CELLS,
  GATEWISE_LSTM,
  PEEPHOLE_LSTM,
  REORDERED_LSTM,
} from "./custom-cells.js";
import { expressionOf, leafId, lower, productsOf, run } from "./helpers.js";

const optimize = (text: string): CellIR => run(lower(text), ...PIPELINE);

const isProduct = (n: Node): boolean => n.op === "matvec" || n.op === "affine";

/** Additions in the time loop with a load-time operand (a bias added at every step). */
const loopAddsOfWeights = (ir: CellIR): string[] =>
  ir.nodes
    .filter((n) => n.op === "add" && n.stage === "step")
    .filter((n) => n.args.some((a) => ir.nodes[a]!.stage === "weight"))
    .map((n) => expressionOf(ir, n.id));

/** The expression of the value the node with source name `hint` is a slice of. */
function sliced(ir: CellIR, hint: string): string {
  const n = ir.nodes.find((m) => m.hint === hint);
  if (!n || n.op !== "slice") throw new Error(`test setup: no slice named '${hint}'`);
  return expressionOf(ir, n.args[0]);
}

// What the pipeline makes of PyTorch's gate sum: both biases added once at load time, the input
// product before the loop starting from them, and one product per step starting from that.
const LSTM_Z = "affine(weight_hh, h, affine(weight_ih, x, add(bias_ih, bias_hh)))";

describe("the passes on cells written differently", () => {
  it("give the shipped LSTM's gate sum the form the other cells are compared with", () => {
    expect(sliced(run(compileCell("lstm"), ...PIPELINE), "zi")).toBe(LSTM_Z);
  });

  it("treat a peephole LSTM's gate sum as the LSTM's, peepholes staying in the loop", () => {
    const out = optimize(PEEPHOLE_LSTM);
    for (const z of ["zi", "zf", "zg", "zo"]) expect(sliced(out, z)).toBe(LSTM_Z);
    const peep = out.nodes.find((n) => n.op === "mul" && n.args.includes(leafId(out, "peep_i")))!;
    expect(peep.stage).toBe("step"); // peep_i * c reads the state
  });

  it("treat a coupled-gate LSTM with three gate blocks as the LSTM", () => {
    expect(sliced(optimize(CIFG_LSTM), "zi")).toBe(LSTM_Z);
  });

  it("regroup a gate sum written recurrent part first with the biases apart", () => {
    expect(sliced(optimize(REORDERED_LSTM), "zi")).toBe(
      "affine(weight_hh, h, affine(weight_ih, x, add(bias_hh, bias_ih)))",
    );
  });

  it("regroup an Elman sum written biases first and input product last", () => {
    const out = optimize(BIAS_FIRST_RNN);
    expect(expressionOf(out, out.output)).toBe(
      "tanh(affine(weight_hh, h, affine(weight_ih, x, add(bias_hh, bias_ih))))",
    );
  });

  it("merge per-gate matrices into one product per vector and sum each gate's biases once", () => {
    const out = optimize(GATEWISE_LSTM);
    const [x, h] = [leafId(out, "x"), leafId(out, "h")];
    expect(productsOf(out, x).map((n) => [n.op, n.stage])).toEqual([["matvec", "sequence"]]);
    expect(productsOf(out, h).map((n) => [n.op, n.stage])).toEqual([["matvec", "step"]]);
    expect(expressionOf(out, productsOf(out, x)[0]!.id)).toBe("matvec(concat(Wo, Wf, Wi, Wg), x)");
    // Each gate's two biases: one load-time sum, added to its slice of the input product.
    const biasSums = out.nodes.filter((n) => n.op === "add" && n.stage === "weight");
    expect(biasSums.map((n) => expressionOf(out, n.id)).sort()).toEqual(
      ["add(bf, df)", "add(bg, dg)", "add(bi, di)", "add(do, bo)"].sort(),
    );
  });

  it("merge the two gate products of a GRU on concat(h, x) and fold the candidate's bias", () => {
    const out = optimize(CONCAT_GRU);
    expect(lower(CONCAT_GRU).nodes.filter(isProduct)).toHaveLength(3);
    expect(out.nodes.filter(isProduct).map((n) => expressionOf(out, n.id))).toEqual([
      "matvec(concat(Wz, Wr), concat(h, x))",
      "affine(Wn, concat(mul(sigmoid(add(slice(matvec(concat(Wz, Wr), concat(h, x)), H, H), br)), h), x), bn)",
    ]);
    // Both products read the state through concat, so neither may leave the loop.
    expect(out.nodes.filter(isProduct).map((n) => n.stage)).toEqual(["step", "step"]);
    // The price of merging: bz and br meet slices, which fuse-bias cannot fold. Without
    // merge-matvec all three biases fold, into three products instead of two.
    const unmerged = run(lower(CONCAT_GRU), ...PIPELINE.filter((p) => p !== mergeMatvec));
    expect(unmerged.nodes.filter((n) => n.op === "affine")).toHaveLength(3);
  });

  it("owe the load-time bias sum to group-terms: without it a bias is added in the loop", () => {
    expect(loopAddsOfWeights(optimize(REORDERED_LSTM))).toEqual([]);
    const without = run(lower(REORDERED_LSTM), ...PIPELINE.filter((p) => p !== groupTerms));
    expect(loopAddsOfWeights(without)).toEqual([
      "add(add(affine(weight_hh, h, bias_hh), matvec(weight_ih, x)), bias_ih)",
    ]);
  });
});

/** Shipped and custom cells, optimized, by name. */
const ALL: readonly (readonly [string, () => CellIR])[] = [
  ...CELL_NAMES.map((name) => [name, () => run(compileCell(name), ...PIPELINE)] as const),
  ...CUSTOM_CELLS.map((c) => [c.name, () => optimize(c.text)] as const),
];

describe("the pipeline on every cell, shipped or custom", () => {
  it.each(ALL)("merges the products that share a vector (%s)", (_, ir) => {
    const out = ir();
    const vectors = out.nodes.filter(isProduct).map((n) => n.args[1]);
    expect(vectors.length).toBeGreaterThan(0);
    expect(new Set(vectors).size).toBe(vectors.length);
  });

  // concat_gru is the exception to both: its products read the state through concat(h, x), so
  // none can leave the loop, and its z and r biases meet slices of the merged one (see above).
  const hoistable = ALL.filter(([name]) => name !== "concat_gru");

  it.each(hoistable)("computes one product of the input, before the loop (%s)", (_, ir) => {
    const out = ir();
    expect(productsOf(out, leafId(out, "x")).map((n) => n.stage)).toEqual(["sequence"]);
  });

  it.each(hoistable)("adds no load-time value inside the time loop (%s)", (_, ir) => {
    expect(loopAddsOfWeights(ir())).toEqual([]);
  });
});
