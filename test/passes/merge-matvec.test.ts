// merge-matvec: products of load-time matrices with the same vector become one product of the
// stacked matrix, sliced back into the original products: Wi @ x, Wf @ x -> [Wi; Wf] @ x.
import { describe, expect, it } from "vitest";
import { mergeMatvec } from "../../src/compiler/passes/merge-matvec.js";
import { formatSize } from "../../src/shared/size.js";
import {
  cell,
  count,
  expressionOf,
  expressions,
  leafId,
  lower,
  productsOf,
  run,
  stagesOf,
} from "./helpers.js";

const GATES = ["param Wi : [H, I]", "param Wf : [H, I]", "param Ui : [H, H]", "param Uf : [H, H]"];

describe("merge-matvec", () => {
  it("turns per-gate products with the input and with the state into one product each", () => {
    const ir = lower(
      cell(...GATES, "h' = sigmoid(Wi @ x + Ui @ h)", "output sigmoid(Uf @ h + Wf @ x)"),
    );
    expect(count(ir, "matvec")).toBe(4);
    const out = run(ir, mergeMatvec);
    expect(count(out, "matvec")).toBe(2);
    expect(productsOf(out, leafId(out, "x"))).toHaveLength(1);
    expect(productsOf(out, leafId(out, "h"))).toHaveLength(1);
    // Rows are stacked in the order the products are first met: i's rows first, then f's.
    const x = "matvec(concat(Wi, Wf), x)";
    const h = "matvec(concat(Ui, Uf), h)";
    expect(expressions(out)).toBe(
      `h' = sigmoid(add(slice(${x}, 0, H), slice(${h}, 0, H)))\n` +
        `output = sigmoid(add(slice(${h}, H, H), slice(${x}, H, H)))`,
    );
  });

  it("stacks matrices of different heights and slices each product back at its own rows", () => {
    const ir = lower(
      cell(
        "param A : [H, I]",
        "param B : [2*H, I]",
        "let p, q = split(B @ x, 2)",
        "h' = A @ x * p + q",
        "output h'",
      ),
    );
    const out = run(ir, mergeMatvec);
    expect(count(out, "matvec")).toBe(1);
    const stacked = out.nodes.find((n) => n.op === "concat")!;
    expect(expressionOf(out, stacked.id)).toBe("concat(A, B)");
    expect(stacked.shape.map(formatSize)).toEqual(["3*H", "I"]);
    // A's rows are 0..H, B's the 2*H after them; split then slices B's part as before.
    const slices = out.nodes.filter((n) => n.op === "slice").map((n) => expressionOf(out, n.id));
    expect(slices.sort()).toEqual([
      "slice(matvec(concat(A, B), x), 0, H)",
      "slice(matvec(concat(A, B), x), H, 2*H)",
      "slice(slice(matvec(concat(A, B), x), H, 2*H), 0, H)",
      "slice(slice(matvec(concat(A, B), x), H, 2*H), H, H)",
    ]);
  });

  it("merges products whose matrix is computed from weights, at load time", () => {
    const ir = lower(
      cell("param U : [H, H]", "param V : [H, H]", "h' = tanh(0.5 * U @ h + V @ h)", "output h'"),
    );
    const out = run(ir, mergeMatvec);
    expect(count(out, "matvec")).toBe(1);
    const concat = out.nodes.find((n) => n.op === "concat")!;
    expect(stagesOf(out)[concat.id]).toBe("weight");
  });

  it("merges products from different equations when they share the vector", () => {
    const ir = lower(
      cell("param U : [H, H]", "param V : [H, H]", "h' = tanh(U @ h)", "output V @ h"),
    );
    expect(count(run(ir, mergeMatvec), "matvec")).toBe(1);
  });

  it("leaves products alone when they share only the matrix or nothing", () => {
    for (const update of ["tanh(U @ h) + tanh(U @ h')", "U @ h + V @ tanh(h)", "U @ h"]) {
      const ir = lower(
        cell(
          "param U : [H, H]",
          "param V : [H, H]",
          `h' = tanh(U @ x)`,
          `output ${update}`,
        ).replace("input x : [I]", "input x : [H]"),
      );
      expect(run(ir, mergeMatvec), update).toBe(ir);
    }
  });
});
