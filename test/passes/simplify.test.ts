// simplify: local algebra rules (x * 1, x + -0, x - 0, x / 1, -(-x), -0 - x, floor(floor(x)),
// selects), each checked by comparing the simplified IR with the IR of the source written in its
// simplified form (as expressions: a rewrite may leave the nodes numbered in another order).
import { describe, expect, it } from "vitest";
import { interpretStep } from "../../src/compiler/ir/interpret.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { foldConstants } from "../../src/compiler/passes/fold-constants.js";
import { simplify } from "../../src/compiler/passes/simplify.js";
import { count, expressions, lower, pointwise, run } from "./helpers.js";

/** `h' = tanh(EXPR)` over the element-wise cell with a vector param v and a scalar param s. */
const update = (expr: string): CellIR =>
  lower(pointwise("param v : [N]", "param s : []", `h' = tanh(${expr})`, "output h' + v * s"));

// [as written, as simplify must leave it]
const RULES: readonly (readonly [string, string])[] = [
  ["h * 1", "h"], // x * 1 -> x
  ["1 * h", "h"], // 1 * x -> x
  ["h + (-0)", "h"], // x + -0 -> x (-0 is a constant once fold-constants has run)
  ["(-0) + h", "h"], // -0 + x -> x
  ["h - 0", "h"], // x - 0 -> x
  ["h / 1", "h"], // x / 1 -> x
  ["-(-h)", "h"], // -(-x) -> x
  ["(-0) - h", "-h"], // -0 - x -> -x
  ["(-0) - (-h)", "h"], // -0 - (-x) -> x, without a double negation in between
  ["(h > 0 ? v : v)", "v"], // c ? a : a -> a
  ["(1 ? h : v)", "h"], // a constant condition picks a branch
  ["(0 ? h : v)", "v"],
  ["floor(floor(h))", "floor(h)"], // floor(floor(x)) -> floor(x)
  ["((h * 1 + (-0)) / 1 - 0) * 1", "h"], // arguments first, so one sweep reaches the fixpoint
];

// Already simplest, or not safe to simplify under IEEE arithmetic (0 * x is NaN for x = Inf;
// x + 0 and 0 - x turn a -0 into +0 or a +0 into -0: see the sign-of-zero tests below).
const KEPT: readonly string[] = [
  ...["h * 2", "h + 1", "1 / h", "2 - h", "0 * h", "h - h", "h / h"],
  ...["h + 0", "0 + h", "0 - h", "h - (-0)"],
  // Math.sin and Math.cos are not promised to be exactly odd and even.
  ...["sin(-h)", "cos(-h)", "floor(-floor(h))"],
];

describe("simplify", () => {
  it.each(RULES)("rewrites %s to %s", (written, simplest) => {
    const ir = run(update(written), foldConstants);
    const out = run(ir, simplify);
    expect(out.nodes.length).toBeLessThan(ir.nodes.length);
    expect(expressions(out)).toBe(expressions(update(simplest)));
  });

  it.each(KEPT)("leaves %s alone", (written) => {
    const ir = run(update(written), foldConstants);
    expect(run(ir, simplify)).toBe(ir);
  });

  it("keeps a select whose branches are one scalar when the result is a vector", () => {
    // c ? s : s -> s would turn a [N] value into a [] one: the rule must not fire.
    const ir = update("h * (h > 0 ? s : s)");
    expect(count(ir, "select")).toBe(1);
    expect(run(ir, simplify)).toBe(ir);
  });

  it("keeps a select with a constant condition when the chosen branch is a scalar", () => {
    const ir = update("(1 ? s : h)");
    expect(count(run(ir, simplify), "select")).toBe(1);
  });

  it("sees a constant only after fold-constants has made it, which is why it runs second", () => {
    const ir = update("h * (3 - 2)");
    expect(run(ir, simplify)).toBe(ir);
    expect(expressions(run(ir, foldConstants, simplify))).toBe(expressions(update("h")));
  });
});

/** h' for one element: h = `h`, x = 0, with a cell whose update is `expr`. */
function step(ir: CellIR, h: number): number {
  const values = interpretStep(ir, new Map([["N", 1]]), (n) =>
    Float64Array.of(n.op === "state" ? h : 0),
  );
  return values[ir.next.get("h")!]![0]!;
}

// IEEE 754: -0 + 0 is +0 and 0 - 0 is +0, so x + 0 -> x and 0 - x -> -x change the sign of a
// zero; after a division that is +Infinity against -Infinity. (x - 0, x * 1, x / 1 and -(-x) are
// exact for every x, -0 and NaN included.) The interpreter is the project's oracle, and both
// inputs are ordinary: -0 comes from any negation of 0, and +0 is the initial state.
describe("simplify and the sign of zero", () => {
  it("keeps 1 / (h + 0) at +Infinity when h is -0", () => {
    const ir = lower(pointwise("h' = 1 / (h + 0)", "output h'"));
    expect(step(ir, -0)).toBe(Infinity);
    expect(step(run(ir, simplify), -0)).toBe(Infinity);
  });

  it("keeps 1 / (0 - h) at +Infinity when h is the zero initial state", () => {
    const ir = lower(pointwise("h' = 1 / (0 - h)", "output h'"));
    expect(step(ir, 0)).toBe(Infinity);
    expect(step(run(ir, simplify), 0)).toBe(Infinity);
  });

  it("keeps x - 0 and x * 1 exact for -0, which IEEE allows", () => {
    const ir = lower(pointwise("h' = 1 / ((h - 0) * 1 / 1)", "output h'"));
    expect(run(ir, simplify).nodes.length).toBeLessThan(ir.nodes.length);
    expect(step(run(ir, simplify), -0)).toBe(step(ir, -0));
  });
});
