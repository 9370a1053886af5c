// The passes work from algebra and stages, not by recognising PyTorch's LSTM: cells written
// differently (peepholes, a coupled gate, per-gate matrices, biases first or apart, a GRU on
// concat(h, x)) get the same treatment: input products hoisted, biases summed at load time and
// folded into the products (added before the loop for a GRU on concat), products that share a
// vector merged.
import { describe, expect, it } from "vitest";
import type { CellIR, Node } from "../../src/compiler/ir/ir.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { hoist } from "../../src/compiler/passes/hoist.js";
import { splitConcat } from "../../src/compiler/passes/split-concat.js";
import { formatSize } from "../../src/shared/size.js";
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

/** Whether a value is a product or a sum that has one among its terms. */
const sumsAProduct = (ir: CellIR, id: number): boolean => {
  const n = ir.nodes[id]!;
  return isProduct(n) || (n.op === "add" && n.args.some((a) => sumsAProduct(ir, a)));
};

/**
 * Additions in the time loop of a load-time value computed from weights to a sum of products: a
 * bias the product could have started from. A literal (the Phased LSTM's clock, t + 1) is no bias,
 * and neither is a shift added to what is not a product (layer norm's beta after the scaling).
 */
const loopAddsOfWeights = (ir: CellIR): string[] =>
  ir.nodes
    .filter((n) => n.op === "add" && n.stage === "step")
    .filter((n) =>
      n.args.some((a) => ir.nodes[a]!.stage === "weight" && ir.nodes[a]!.op !== "const"),
    )
    .filter((n) => n.args.some((a) => sumsAProduct(ir, a)))
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

  it("split the products of a GRU on concat(h, x), so that its input part leaves the loop", () => {
    const out = optimize(CONCAT_GRU);
    const lowered = lower(CONCAT_GRU);
    expect(lowered.nodes.filter(isProduct)).toHaveLength(3);
    // Lowered, every product reads the state through concat(h, x): all three run every step.
    expect(
      run(lowered, hoist)
        .nodes.filter(isProduct)
        .map((n) => n.stage),
    ).toEqual(["step", "step", "step"]);
    // Optimized: the x columns of the three matrices make one product before the loop, the h
    // columns of Wz and Wr one product per step, and Wn's h columns meet r * h per step.
    const x = leafId(out, "x");
    const h = leafId(out, "h");
    const products = out.nodes.filter(isProduct);
    expect(
      products.filter((n) => n.args[1] === x).map((n) => [formatSize(n.shape[0]!), n.stage]),
    ).toEqual([["3*H", "sequence"]]);
    expect(
      products.filter((n) => n.args[1] === h).map((n) => [formatSize(n.shape[0]!), n.stage]),
    ).toEqual([["2*H", "step"]]);
    expect(products).toHaveLength(3);
    // Without split-concat, nothing leaves the loop.
    const unsplit = run(lowered, ...PIPELINE.filter((p) => p !== splitConcat));
    expect(unsplit.nodes.filter(isProduct).every((n) => n.stage === "step")).toBe(true);
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

  it.each(ALL)("computes one product of the input, before the loop (%s)", (_, ir) => {
    const out = ir();
    expect(productsOf(out, leafId(out, "x")).map((n) => n.stage)).toEqual(["sequence"]);
  });

  it.each(ALL)("adds no load-time value inside the time loop (%s)", (_, ir) => {
    expect(loopAddsOfWeights(ir())).toEqual([]);
  });
});
