// fold-constants: an element-wise node whose arguments are all constants becomes one constant,
// computed with the interpreter's arithmetic; anything that reads a leaf is left alone.
import { describe, expect, it } from "vitest";
import { foldConstants } from "../../src/compiler/passes/fold-constants.js";
import { erf } from "../../src/embedded/helpers.js";
import { CTX, count, lower, pointwise, run, text } from "./helpers.js";

/** Values of the constant nodes, in node order. */
const constants = (ir: ReturnType<typeof lower>): number[] =>
  ir.nodes.flatMap((n) => (n.op === "const" ? [n.value] : []));

/** Nodes that compute a scalar from other nodes: what folding must remove. */
const scalarOps = (ir: ReturnType<typeof lower>): number =>
  ir.nodes.filter((n) => n.args.length > 0 && n.shape.length === 0).length;

describe("fold-constants", () => {
  it("folds constant arithmetic into one constant when an expression reads only literals", () => {
    const ir = lower(pointwise("h' = tanh(h * (2 * 3 + 1))", "output h'"));
    expect(scalarOps(ir)).toBe(2); // 2 * 3, then + 1
    const out = run(ir, foldConstants);
    expect(scalarOps(out)).toBe(0);
    // The literals 2, 3 and 1 are dead once folded, and are dropped with the arithmetic.
    expect(constants(ir)).toEqual([2, 3, 1]);
    expect(constants(out)).toEqual([7]);
    expect(text(out)).toContain("= mul %0, %1 : [N]");
  });

  it("folds activations, comparisons and selects of constants when all operands are literals", () => {
    const ir = lower(pointwise("h' = h * sigmoid(0) + h * (1 < 2 ? 3 : 4) + h * -5", "output h'"));
    expect(count(ir, "sigmoid") + count(ir, "lt") + count(ir, "select") + count(ir, "neg")).toBe(4);
    const out = run(ir, foldConstants);
    expect(count(out, "sigmoid") + count(out, "lt") + count(out, "select")).toBe(0);
    expect(count(out, "neg")).toBe(0); // a literal has no sign: -5 is neg(5), folded to -5
    expect(constants(out)).toEqual([0.5, 3, -5]);
  });

  it("folds sin, cos and floor with Math's float64 values when their operands are literals", () => {
    const ir = lower(pointwise("h' = h * sin(1) + h * cos(2 * 3) + h * floor(-2.5)", "output h'"));
    expect(count(ir, "sin") + count(ir, "cos") + count(ir, "floor")).toBe(3);
    const out = run(ir, foldConstants);
    expect(count(out, "sin") + count(out, "cos") + count(out, "floor")).toBe(0);
    expect(constants(out)).toEqual([Math.sin(1), Math.cos(6), -3]);
  });

  it("folds erf with the kernels' float64 erf when its operand is a literal", () => {
    const ir = lower(
      pointwise("h' = h * erf(0.5) + h * erf(-2 * 3) + gelu(h) * erf(1 / 0)", "output h'"),
    );
    expect(count(ir, "erf")).toBe(4);
    const out = run(ir, foldConstants);
    // gelu(h) reads a leaf: its erf stays. erf(1 / 0) = 1 is the 1 of gelu's 1 + erf(...).
    expect(count(out, "erf")).toBe(1);
    expect(constants(out)).toEqual([0.5, erf(0.5), -1, 1, 0.7071067811865476]);
  });

  it("folds to what the interpreter computes when the result is not finite", () => {
    const ir = lower(
      pointwise("h' = h * (0 / 0) + h * exp(1000) + h * pow(-8, 1 / 3)", "output h'"),
    );
    const out = run(ir, foldConstants);
    // 0/0 and Math.pow(-8, 1/3) are NaN, exp(1000) overflows: what interpretStep gives. The two
    // NaN constants are one node (hash-consed), and so are the two products h * NaN.
    expect(scalarOps(out)).toBe(0);
    expect(constants(out)).toEqual([NaN, Infinity]);
    expect(count(out, "mul")).toBe(2);
  });

  it("leaves an operation alone when one operand is a param, even a scalar one", () => {
    const ir = lower(pointwise("param s : []", "h' = h * (s * 2) + h", "output h'"));
    expect(run(ir, foldConstants)).toBe(ir); // unchanged: the very same object
    expect(count(ir, "mul", (n) => n.shape.length === 0)).toBe(1);
  });

  it("reaches its fixpoint in one run when constants nest", () => {
    const ir = lower(pointwise("h' = h * exp(-(1 + 2) * 3) - h * max(2, 4 - 1)", "output h'"));
    const once = run(ir, foldConstants);
    expect(once).not.toBe(ir);
    expect(foldConstants.run(once, CTX)).toBe(once);
    expect(constants(once)).toEqual([3, Math.exp(-9)]);
  });
});
