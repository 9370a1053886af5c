// group-terms: a sum of terms from different stages is regrouped so that the weight-only terms
// are added first (once, at load time), then the input-only ones, and the per-step terms last:
// W_ih @ x + b_ih + W_hh @ h + b_hh -> W_hh @ h + (W_ih @ x + (b_ih + b_hh)).
import { describe, expect, it } from "vitest";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { cell, count, expressions, lower, pointwise, run, stagesOf } from "./helpers.js";

const RNN = ["param W : [H, I]", "param U : [H, H]", "param b : [H]", "param c : [H]"];

/** How many additions run at each stage (weight, sequence, step). */
function addsByStage(ir: CellIR): Record<string, number> {
  const stages = stagesOf(ir);
  const out: Record<string, number> = { weight: 0, sequence: 0, step: 0 };
  for (const n of ir.nodes) if (n.op === "add") out[stages[n.id]!]!++;
  return out;
}

describe("group-terms", () => {
  it("adds the biases at load time and the input product before the loop in an LSTM-style sum", () => {
    const ir = lower(cell(...RNN, "h' = tanh(W @ x + b + U @ h + c)", "output h'"));
    // As written, everything after `+ U @ h` runs in the loop: two additions per step.
    expect(addsByStage(ir)).toEqual({ weight: 0, sequence: 1, step: 2 });
    const out = run(ir, groupTerms);
    expect(addsByStage(out)).toEqual({ weight: 1, sequence: 1, step: 1 });
    expect(expressions(out)).toContain(
      "h' = tanh(add(matvec(U, h), add(matvec(W, x), add(b, c))))",
    );
  });

  it("keeps the written order of terms within a stage when the sum is regrouped", () => {
    const ir = lower(cell(...RNN, "h' = tanh(c + U @ h + h + W @ x + b)", "output h'"));
    const out = run(ir, groupTerms);
    expect(expressions(out)).toContain(
      "h' = tanh(add(add(matvec(U, h), h), add(matvec(W, x), add(c, b))))",
    );
    expect(addsByStage(out)).toEqual({ weight: 1, sequence: 1, step: 2 });
  });

  it("regroups a scalar term with the vector terms of its stage when the sum broadcasts", () => {
    const ir = lower(pointwise("param s : []", "h' = h + s + x", "output h'"));
    const out = run(ir, groupTerms);
    expect(expressions(out)).toContain("h' = add(h, add(x, s))");
    expect(addsByStage(out)).toEqual({ weight: 0, sequence: 1, step: 1 });
  });

  it("does not split a sum that has another user when a bias is added to it", () => {
    // z is needed whole by the product, so b cannot join the input part of z.
    const ir = lower(cell(...RNN, "let z = W @ x + h", "h' = tanh(z + b) * z", "output h'"));
    const out = run(ir, groupTerms);
    expect(expressions(out)).toContain(
      "h' = mul(tanh(add(add(h, matvec(W, x)), b)), add(h, matvec(W, x)))",
    );
    expect(count(out, "add")).toBe(count(ir, "add"));
  });

  it("keeps a state's next value as one node when another sum uses it", () => {
    const ir = lower(pointwise("param b : [N]", "h' = x + h", "output h' + b"));
    const out = run(ir, groupTerms);
    const next = out.next.get("h")!;
    expect(out.nodes[out.output]!.args).toContain(next);
    expect(expressions(out)).toBe("h' = add(h, x)\noutput = add(add(h, x), b)");
  });

  it("leaves sums alone when they are already grouped by stage", () => {
    // One stage, or step terms then input terms then weight terms already; a `sub` is a term.
    for (const update of ["U @ h + h", "W @ x + b", "U @ h + (W @ x + b)", "h - b + W @ x"]) {
      const ir = lower(cell(...RNN, `h' = tanh(${update})`, "output h' + c"));
      expect(run(ir, groupTerms), update).toBe(ir);
    }
  });
});
