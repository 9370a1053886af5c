// narrow-rows: a value read only through slices computes only the rows they read, and products
// then cost only those rows' multiply-adds: slice(W @ x, s, l) -> W[s +: l] @ x, with the row
// block cut at load time; the rest of the pipeline (merge-matvec, hoist) still does its work.
import { describe, expect, it } from "vitest";
import { isElementwise } from "../../src/compiler/codegen/schedule.js";
import { IRBuilder } from "../../src/compiler/ir/builder.js";
import type { CellIR, Node } from "../../src/compiler/ir/ir.js";
import { fuseBias } from "../../src/compiler/passes/fuse-bias.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { narrowRows } from "../../src/compiler/passes/narrow-rows.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import { addSizes, evalSize, sizeConst, sizeVar } from "../../src/shared/size.js";
import { compileCell } from "../helpers/cells.js";
import { SPLIT_PRODUCT_GRU } from "./custom-cells.js";
import {
  CTX,
  cell,
  expressionOf,
  expressions,
  leafId,
  lower,
  multiplyAdds,
  productsOf,
  run,
} from "./helpers.js";

const lowerUpdate = (...lines: string[]) => lower(cell(...lines, "output h'"));
const isProduct = (n: Node) => n.op === "matvec" || n.op === "affine";

/**
 * Rows of products that nothing reads, for sizes I = 5, H = 7 (`%12 rows 14..20`): a root reads
 * all of a value, a slice the rows it reads of its own, an element-wise op the rows read of it,
 * anything else all.
 */
function unreadRows(ir: CellIR): string[] {
  const sizes = new Map([
    ["I", 5],
    ["H", 7],
  ]);
  const size = (s: Node["shape"][number]): number => evalSize(s, sizes)!;
  const read: boolean[][] = ir.nodes.map((n) =>
    new Array<boolean>(size(n.shape[0] ?? sizeConst(1))).fill(false),
  );
  for (const root of [...ir.next.values(), ir.output]) read[root]!.fill(true);
  for (const u of [...ir.nodes].reverse()) {
    const mine = read[u.id]!;
    u.args.forEach((a) => {
      const theirs = read[a]!;
      if (u.op === "slice") mine.forEach((r, i) => (theirs[size(u.start) + i] ||= r));
      else if (isElementwise(u) && theirs.length === mine.length)
        mine.forEach((r, i) => (theirs[i] ||= r));
      else theirs.fill(true);
    });
  }
  return ir.nodes.filter(isProduct).flatMap((p) => {
    const first = read[p.id]!.indexOf(false);
    return first < 0 ? [] : [`%${p.id} rows ${first}..${read[p.id]!.lastIndexOf(false)}`];
  });
}

describe("narrow-rows", () => {
  it("computes only the rows of a product that its one used slice reads", () => {
    const ir = lowerUpdate("param U : [2*H, H]", "let a, _b = split(U @ h, 2)", "h' = tanh(a)");
    const out = run(ir, narrowRows);
    expect(expressions(out)).toContain("h' = tanh(matvec(rows(U, 0, H), h))");
    expect([multiplyAdds(ir), multiplyAdds(out)]).toEqual(["2*H*H", "H*H"]);
  });

  it("keeps adjacent used parts as one row block", () => {
    const ir = lowerUpdate(
      "param U : [3*H, H]",
      "let a, b, _c = split(U @ h, 3)",
      "h' = tanh(a) * b",
    );
    const product = "matvec(rows(U, 0, 2*H), h)";
    expect(expressions(run(ir, narrowRows))).toContain(
      `h' = mul(tanh(slice(${product}, 0, H)), slice(${product}, H, H))`,
    );
  });

  it("stacks the row blocks of parts that are apart into one product", () => {
    const ir = lowerUpdate("param U : [3*H, H]", "let a, _b, c = split(U @ h, 3)", "h' = a * c");
    const out = run(ir, narrowRows);
    const product = "matvec(concat(rows(U, 0, H), rows(U, 2*H, H)), h)";
    expect(expressions(out)).toContain(
      `h' = mul(slice(${product}, 0, H), slice(${product}, H, H))`,
    );
    expect(multiplyAdds(out)).toBe("2*H*H");
  });

  it("narrows through element-wise ops down to the bias's rows", () => {
    const ir = lowerUpdate(
      "param U : [3*H, H]",
      "param b : [3*H]",
      "let r, z, _n = split(tanh(U @ h + b), 3)",
      "h' = r * z",
    );
    const sum = "tanh(add(matvec(rows(U, 0, 2*H), h), slice(b, 0, 2*H)))";
    expect(expressions(run(ir, narrowRows))).toContain(
      `h' = mul(slice(${sum}, 0, H), slice(${sum}, H, H))`,
    );
  });

  it("narrows a product with its bias (affine) and a state's rows in two runs (concat)", () => {
    const ir = lower(
      cell(
        "state s : [3*H]",
        "param U : [3*H, H]",
        "param b : [3*H]",
        "let r, _z, n = split(U @ h + b, 3)",
        "let p, _q, t = split(tanh(s), 3)",
        "h' = r * n + p * t",
        "s' = s",
        "output h'",
      ),
    );
    const out = run(ir, fuseBias, narrowRows);
    const picks = out.nodes.filter((n) => n.op === "concat").map((n) => expressionOf(out, n.id));
    expect(picks).toContain("concat(rows(U, 0, H), rows(U, 2*H, H))");
    expect(picks).toContain("concat(slice(b, 0, H), slice(b, 2*H, H))");
    expect(picks).toContain("concat(slice(s, 0, H), slice(s, 2*H, H))");
    expect(out.nodes.filter(isProduct).map((n) => n.op)).toEqual(["affine"]);
    expect(unreadRows(out)).toEqual([]);
  });

  it.each([
    ["every part is used", ["let a, b = split(U @ h, 2)", "h' = a * b", "output h'"]],
    ["the product is also used whole", ["let a, _b = split(U @ h, 2)", "h' = a", "output U @ h"]],
    [
      "the product is a state's next value",
      ["state s : [2*H]", "let a, _b = split(s', 2)", "s' = U @ h", "h' = a", "output h'"],
    ],
  ])("leaves a product whole when %s", (_, lines) => {
    const ir = lower(cell("param U : [2*H, H]", ...lines));
    expect(run(ir, narrowRows)).toBe(ir);
  });

  it("leaves a value whole when the rows its slices read cannot be ordered (H against I)", () => {
    // slices [0, I) and [H, H + I) of a [H + I] product: which comes first depends on H and I.
    const b = new IRBuilder();
    const [H, I] = [sizeVar("H"), sizeVar("I")];
    const w = b.leaf("param", "W", [addSizes(H, I), I], null);
    const x = b.leaf("input", "x", [I], null);
    const s = b.leaf("state", "s", [I], null);
    const p = b.emit("matvec", [w, x]);
    const sum = b.emit("add", [b.emit("slice", [p], { start: H, len: I }), s]);
    const next = b.emit("add", [b.emit("slice", [p], { start: sizeVar("I"), len: I }), sum]);
    const ir: CellIR = {
      name: "unordered",
      source: "",
      sizes: ["H", "I"],
      inputs: [{ name: "x", shape: [I] }],
      states: [{ name: "s", shape: [I] }],
      params: [{ name: "W", shape: [addSizes(H, I), I], fill: null }],
      slots: [],
      nodes: b.finish(),
      next: new Map([["s", next]]),
      output: next,
    };
    expect(() => verifyIR(ir)).not.toThrow();
    expect(run(ir, narrowRows)).toBe(ir);
  });

  it("is a no-op on its own output", () => {
    const ir = lowerUpdate("param U : [3*H, H]", "let a, _b, c = split(U @ h, 3)", "h' = a * c");
    const once = run(ir, narrowRows);
    expect(narrowRows.run(once, CTX)).toBe(once);
  });
});

describe("multiply-adds after the pipeline", () => {
  it("drop by the unused third of a GRU's recurrent product written as split(weight_hh @ h + bias_hh, 3)", () => {
    const ir = lower(SPLIT_PRODUCT_GRU);
    expect(multiplyAdds(ir)).toBe("4*H*H + 3*H*I");
    expect(unreadRows(ir)).toEqual(["%11 rows 14..20"]);
    const out = run(ir, ...PIPELINE);
    expect(multiplyAdds(out)).toBe("3*H*H + 3*H*I");
    expect(unreadRows(out)).toEqual([]);
    // Without narrow-rows, the pipeline keeps computing the unused rows.
    const unnarrowed = run(ir, ...PIPELINE.filter((p) => p !== narrowRows));
    expect(multiplyAdds(unnarrowed)).toBe("4*H*H + 3*H*I");
  });

  it.each([
    ["gru_reset_before", "3*H*H + 3*H*I"],
    ["mgu", "2*H*H + 2*H*I"],
  ])("are those of the equations for %s.cell, with no product row unread", (name, want) => {
    const out = run(compileCell(name), ...PIPELINE);
    expect(multiplyAdds(out)).toBe(want);
    expect(unreadRows(out)).toEqual([]);
  });

  it.each([
    ["gru_reset_before.cell", () => compileCell("gru_reset_before")],
    ["a split recurrent product", () => lower(SPLIT_PRODUCT_GRU)],
  ])("leave one input projection before the loop and one product over h (%s)", (_, ir) => {
    const out = run(ir(), ...PIPELINE);
    const x = productsOf(out, leafId(out, "x"));
    expect(x.map((n) => [n.stage, expressionOf(out, n.args[0]!)])).toEqual([
      ["sequence", "weight_ih"],
    ]);
    const h = productsOf(out, leafId(out, "h"));
    expect(h.map((n) => [n.stage, expressionOf(out, n.args[0]!)])).toEqual([
      ["step", "rows(weight_hh, 0, 2*H)"],
    ]);
    // The candidate's product, over r * h, reads the last block of the same matrix.
    const rest = out.nodes.filter(isProduct).filter((n) => !x.includes(n) && !h.includes(n));
    expect(rest.map((n) => expressionOf(out, n.args[0]!))).toEqual(["rows(weight_hh, 2*H, H)"]);
  });
});
