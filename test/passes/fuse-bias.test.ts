// fuse-bias: a product added to a bias known no later than it becomes one affine node (the GEMM
// starts its sums from the bias): W @ x + b -> affine(W, x, b). Never pulls a product into a
// later stage, never removes a product something else reads, never broadcasts a scalar bias.
import { describe, expect, it } from "vitest";
import { fuseBias } from "../../src/compiler/passes/fuse-bias.js";
import { groupTerms } from "../../src/compiler/passes/group-terms.js";
import { cell, count, expressions, lower, run, stagesOf } from "./helpers.js";

const PARAMS = ["param W : [H, I]", "param U : [H, H]", "param b : [H]", "param c : [H]"];
const lowerUpdate = (update: string) =>
  lower(cell(...PARAMS, "param s : []", `h' = ${update}`, "output h'"));

describe("fuse-bias", () => {
  it.each([
    ["tanh(W @ x + b)", "h' = tanh(affine(W, x, b))"],
    ["tanh(b + W @ x)", "h' = tanh(affine(W, x, b))"], // the bias may come first
    ["tanh(c + U @ h)", "h' = tanh(affine(U, h, c))"],
  ])("turns %s into one affine node", (update, fused) => {
    const ir = lowerUpdate(update);
    expect(count(ir, "affine")).toBe(0);
    const out = run(ir, fuseBias);
    expect(count(out, "affine")).toBe(1);
    expect(count(out, "matvec") + count(out, "add")).toBe(
      count(ir, "matvec") + count(ir, "add") - 2,
    );
    expect(expressions(out)).toContain(fused);
  });

  it("uses an input-only value as the bias of a per-step product", () => {
    // U @ h runs every step anyway, so starting its sums from W @ x + b costs nothing.
    const ir = run(lowerUpdate("tanh(W @ x + b + U @ h)"), groupTerms);
    const out = run(ir, fuseBias);
    expect(expressions(out)).toContain("h' = tanh(affine(U, h, affine(W, x, b)))");
    const stages = stagesOf(out);
    expect(out.nodes.filter((n) => n.op === "affine").map((n) => stages[n.id])).toEqual([
      "sequence",
      "step",
    ]);
  });

  it("does not fuse a per-step bias into an input product, which would pull it into the loop", () => {
    const ir = lowerUpdate("tanh(W @ x + U @ h)");
    const out = run(ir, fuseBias);
    // W @ x stays a product of its own; U @ h takes it as its bias instead.
    expect(expressions(out)).toContain("h' = tanh(affine(U, h, matvec(W, x)))");
    expect(stagesOf(out)[out.nodes.find((n) => n.op === "matvec")!.id]).toBe("sequence");
  });

  it("keeps a product that something else reads when a bias is added to it", () => {
    const ir = lower(cell(...PARAMS, "let p = W @ x", "h' = tanh(p + b) * p", "output h'"));
    expect(run(ir, fuseBias)).toBe(ir);
  });

  it("keeps a product that is a state's next value when a bias is added to it", () => {
    const ir = lower(cell(...PARAMS, "h' = U @ h", "output h' + b"));
    expect(run(ir, fuseBias)).toBe(ir);
  });

  it("does not broadcast a scalar bias into an affine node", () => {
    const ir = lowerUpdate("tanh(W @ x + s)");
    expect(run(ir, fuseBias)).toBe(ir);
  });

  it("fuses one bias per product when two are chained, leaving the other add", () => {
    // group-terms is what makes b + c one load-time bias; fuse-bias alone takes the nearer one.
    const out = run(lowerUpdate("tanh(W @ x + b + c)"), fuseBias);
    expect(expressions(out)).toContain("h' = tanh(add(affine(W, x, b), c))");
    const grouped = run(lowerUpdate("tanh(W @ x + b + c)"), groupTerms, fuseBias);
    expect(expressions(grouped)).toContain("h' = tanh(affine(W, x, add(b, c)))");
  });
});
