// split-concat: a load-time matrix times a concatenation whose parts run in different stages
// becomes one product per part, over the matrix's column blocks, so that the input's part can
// leave the time loop: W @ concat(h, x) -> W[:, 0 +: H] @ h + W[:, H +: I] @ x.
import { describe, expect, it } from "vitest";
import { hoist } from "../../src/compiler/passes/hoist.js";
import { splitConcat } from "../../src/compiler/passes/split-concat.js";
import { cell, count, expressions, lower, run, stagesOf } from "./helpers.js";

const lowerUpdate = (...lines: string[]) => lower(cell(...lines, "output h'"));

describe("split-concat", () => {
  it("splits W @ concat(h, x) into one product per part, over column blocks", () => {
    const ir = lowerUpdate("param W : [H, H + I]", "h' = tanh(W @ concat(h, x))");
    expect(count(ir, "matvec")).toBe(1);
    const out = run(ir, splitConcat);
    expect(count(out, "matvec")).toBe(2);
    expect(count(out, "columns")).toBe(2);
    expect(expressions(out)).toContain(
      "h' = tanh(add(matvec(columns(W, 0, H), h), matvec(columns(W, H, I), x)))",
    );
  });

  it("lets the input's part leave the time loop", () => {
    const ir = lowerUpdate("param W : [H, I + H]", "h' = tanh(W @ concat(x, h))");
    const before = stagesOf(run(ir, hoist));
    expect(ir.nodes.filter((n) => n.op === "matvec").map((n) => before[n.id])).toEqual(["step"]);
    const out = run(ir, splitConcat, hoist);
    const stages = stagesOf(out);
    expect(out.nodes.filter((n) => n.op === "matvec").map((n) => stages[n.id])).toEqual([
      "sequence",
      "step",
    ]);
    expect(
      out.nodes.filter((n) => n.op === "columns").every((n) => stages[n.id] === "weight"),
    ).toBe(true);
  });

  it("splits a concat of three parts at the right columns", () => {
    const ir = lowerUpdate("param W : [H, 2*H + I]", "h' = tanh(W @ concat(h, x, h * 2))");
    expect(expressions(run(ir, splitConcat))).toContain(
      "h' = tanh(add(add(matvec(columns(W, 0, H), h), matvec(columns(W, H, I), x)), matvec(columns(W, H + I, H), mul(h, 2))))",
    );
  });

  it.each([
    ["parts in one stage", "param W : [H, 2*H]", "h' = tanh(W @ concat(h, h * 2))"],
    ["a vector that is not a concat", "param W : [H, H]", "h' = tanh(W @ h)"],
  ])("leaves a product alone with %s", (_, param, update) => {
    const ir = lowerUpdate(param, update);
    expect(run(ir, splitConcat)).toBe(ir);
  });

  it("is a no-op on its own output", () => {
    const out = run(
      lowerUpdate("param W : [H, H + I]", "h' = tanh(W @ concat(h, x))"),
      splitConcat,
    );
    expect(run(out, splitConcat)).toBe(out);
  });
});
