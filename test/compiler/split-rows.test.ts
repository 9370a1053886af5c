// `split` of a matrix: equal blocks of rows, the IR op `rows` (printed `%w[start +: len, :]`),
// with its shape rule, verifier check and interpreter semantics; the interpreter reads a row
// block exactly as a separate weight holding those rows.
import { describe, expect, it } from "vitest";
import { IRBuilder } from "../../src/compiler/ir/builder.js";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { interpretStep } from "../../src/compiler/ir/interpret.js";
import { printIR } from "../../src/compiler/ir/print-ir.js";
import { inferShape } from "../../src/compiler/ir/shape-rules.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import { compile } from "../../src/index.js";
import { formatSymbolicShape, sizeConst, sizeVar } from "../../src/shared/size.js";
import { cell, lower } from "../passes/helpers.js";

const SPLIT = cell(
  "param U : [3*H, H]",
  "let a, b, c = split(U, 3)",
  "h' = tanh(a @ h + b @ h) * (c @ h)",
  "output h'",
);

/** The same cell with the three row blocks as separate weights. */
const SEPARATE = cell(
  "param A : [H, H]",
  "param B : [H, H]",
  "param C : [H, H]",
  "h' = tanh(A @ h + B @ h) * (C @ h)",
  "output h'",
);

/** The next value of h after one step with the given parameters and h. */
function step(ir: CellIR, params: Record<string, number[]>, h: number[]): number[] {
  const values = interpretStep(
    ir,
    new Map([
      ["I", 1],
      ["H", h.length],
    ]),
    (n) => Float64Array.from(n.op === "state" ? h : n.op === "input" ? [0] : params[n.name]!),
  );
  return Array.from(values[ir.next.get("h")!]!);
}

describe("split of a matrix", () => {
  it("lowers to one rows node per part, each a block of consecutive rows", () => {
    const ir = lower(SPLIT);
    const rows = printIR(ir)
      .split("\n")
      .filter((l) => l.includes("= rows"));
    expect(rows).toEqual([
      "  %1 = rows %0[0 +: H, :] : [H, H]  ; a",
      "  %2 = rows %0[H +: H, :] : [H, H]  ; b",
      "  %3 = rows %0[2*H +: H, :] : [H, H]  ; c",
    ]);
    expect(() => verifyIR(ir)).not.toThrow();
  });

  it("computes what separate weights holding the same rows compute", () => {
    const H = 2;
    const U = Array.from({ length: 3 * H * H }, (_, i) => (i % 5) * 0.25 - 0.5);
    const h = [0.3, -0.7];
    const got = step(lower(SPLIT), { U }, h);
    const want = step(
      lower(SEPARATE),
      { A: U.slice(0, 4), B: U.slice(4, 8), C: U.slice(8, 12) },
      h,
    );
    expect(got).toEqual(want);
  });

  it("keeps the columns and takes the rows from the split", () => {
    const w = [sizeVar("H"), sizeVar("I")];
    const result = inferShape("rows", [w], sizeConst(2));
    expect("shape" in result && formatSymbolicShape(result.shape)).toBe("[2, I]");
    expect(inferShape("rows", [[sizeVar("H")]], sizeConst(1))).toEqual({
      problem: "only matrices have rows, not [H]",
    });
  });

  it("is an internal error in the verifier when a rows node has the wrong shape", () => {
    const ir = lower(SPLIT);
    const bad = ir.nodes.map((n) => (n.op === "rows" ? { ...n, shape: [sizeVar("H")] } : n));
    expect(() => verifyIR({ ...ir, nodes: bad })).toThrow(/internal: .*should have shape \[H, H\]/);
  });

  it("hash-conses equal blocks of one matrix into one node", () => {
    const b = new IRBuilder();
    const w = b.leaf("param", "U", [sizeVar("H"), sizeVar("H")], null);
    const block = { start: sizeConst(0), len: sizeConst(1) };
    expect(b.emit("rows", [w], block)).toBe(b.emit("rows", [w], block));
    expect(b.emit("rows", [w], block)).not.toBe(b.emit("columns", [w], block));
  });

  it("reports a matrix whose rows do not divide into the parts, naming the rows", () => {
    const text = cell("param U : [4*H, H]", "let a, b, c = split(U, 3)", "h' = a @ h", "output h'");
    const { diagnostics } = compile(text, { file: "t.cell" });
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toContain(
      "E209 cannot split the rows of [4*H, H] into 3 equal parts",
    );
  });
});
