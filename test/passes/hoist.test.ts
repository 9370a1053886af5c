// hoist: marks every node with the earliest stage it can run in: weight (params and constants
// only, once at load time), sequence (reads the input but no state: before the time loop, for
// all steps at once) or step. It only annotates; it never adds, removes or reorders nodes.
import { describe, expect, it } from "vitest";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { STAGE_ORDER } from "../../src/compiler/ir/ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { cse } from "../../src/compiler/passes/cse.js";
import { hoist } from "../../src/compiler/passes/hoist.js";
import { compileCell } from "../helpers/cells.js";
import { CTX, cell, expressionOf, expressions, lower, run, text } from "./helpers.js";

/** The stage hoist recorded for each node, by the node's expression. */
function stageByExpression(ir: CellIR): Map<string, string> {
  return new Map(ir.nodes.map((n) => [expressionOf(ir, n.id), n.stage ?? "(none)"]));
}

const PARAMS = ["param W : [H, I]", "param U : [H, H]", "param b : [H]", "param s : []"];

describe("hoist", () => {
  it("marks what reads the input but no state as sequence, and weights as weight", () => {
    const ir = lower(
      cell(...PARAMS, "h' = tanh(W @ x + b + U @ h) + tanh(W @ x) * s", "output h' + 0.5 * U @ b"),
    );
    expect(ir.nodes.every((n) => n.stage === undefined)).toBe(true);
    const stages = stageByExpression(run(ir, hoist));
    expect(stages.get("W")).toBe("weight");
    expect(stages.get("x")).toBe("sequence");
    expect(stages.get("h")).toBe("step");
    expect(stages.get("matvec(W, x)")).toBe("sequence");
    expect(stages.get("add(matvec(W, x), b)")).toBe("sequence");
    expect(stages.get("mul(tanh(matvec(W, x)), s)")).toBe("sequence");
    expect(stages.get("add(add(matvec(W, x), b), matvec(U, h))")).toBe("step");
    expect(stages.get("matvec(mul(0.5, U), b)")).toBe("weight"); // a load-time product
  });

  it("computes the input projection with both biases for all steps when run after the passes", () => {
    const optimized = run(compileCell("rnn"), ...PIPELINE);
    const stages = stageByExpression(optimized);
    expect(stages.get("add(bias_ih, bias_hh)")).toBe("weight");
    expect(stages.get("affine(weight_ih, x, add(bias_ih, bias_hh))")).toBe("sequence");
    expect(expressions(optimized)).toBe(
      "h' = tanh(affine(weight_hh, h, affine(weight_ih, x, add(bias_ih, bias_hh))))\n" +
        "output = tanh(affine(weight_hh, h, affine(weight_ih, x, add(bias_ih, bias_hh))))",
    );
  });

  it("never puts a node before one of its arguments", () => {
    for (const name of ["lstm", "gru", "lstmp"]) {
      const out = run(compileCell(name), ...PIPELINE);
      for (const n of out.nodes) {
        for (const a of n.args) {
          expect(STAGE_ORDER[out.nodes[a]!.stage!]).toBeLessThanOrEqual(STAGE_ORDER[n.stage!]);
        }
      }
    }
  });

  it("changes nothing but the stages", () => {
    const ir = compileCell("lstm");
    const out = run(ir, hoist);
    expect(out.nodes.map((n) => ({ ...n, stage: undefined }))).toEqual(
      ir.nodes.map((n) => ({ ...n, stage: undefined })),
    );
    expect(out.next).toEqual(ir.next);
    expect(out.output).toBe(ir.output);
  });

  it("returns its input itself when the stages are already recorded", () => {
    const once = run(compileCell("gru"), hoist);
    expect(hoist.run(once, CTX)).toBe(once);
  });

  it("gives the stages back when run again after a rewriting pass", () => {
    const once = run(compileCell("lstm"), ...PIPELINE);
    expect(text(run(once, cse, hoist))).toBe(text(once));
  });
});
