// `where` after a function's body names values the body uses: the same graph as the body written
// out (hash-consing shares what the names share), computed once per call, in any order of
// definition, a split among them, and never followed recursively (a chain of thousands is safe).
import { describe, expect, it } from "vitest";
import { parseCell } from "../../src/dsl/parse.js";
import { printCell } from "../../src/dsl/print.js";
import { compile } from "../../src/index.js";
import { LIBRARY_SOURCE } from "../../src/compiler/resolve/library.js";
import { count, expressions, lower, pointwise } from "../passes/helpers.js";

const written = (fn: string, use: string): string => pointwise(fn, `h' = ${use}`, "output h'");

describe("where in a function", () => {
  it("computes what the body written out computes", () => {
    const named = written(
      "fn norm(v) = d / sqrt(mean(d * d) + 0.5) where d = v - mean(v)",
      "norm(x + h)",
    );
    const inline = written(
      "fn norm(v) = (v - mean(v)) / sqrt(mean((v - mean(v)) * (v - mean(v))) + 0.5)",
      "norm(x + h)",
    );
    expect(expressions(lower(named))).toBe(expressions(lower(inline)));
  });

  it("takes its values in any order, each after the values it uses", () => {
    const forward = written("fn f(v) = c where a = v + 1, b = a * a, c = b - a", "f(h)");
    const backward = written("fn f(v) = c where c = b - a, b = a * a, a = v + 1", "f(h)");
    expect(expressions(lower(backward))).toBe(expressions(lower(forward)));
    expect(expressions(lower(forward))).toBe(
      "h' = sub(mul(add(h, 1), add(h, 1)), add(h, 1))\noutput = sub(mul(add(h, 1), add(h, 1)), add(h, 1))",
    );
  });

  it("computes a value once per call, with each call's arguments", () => {
    const ir = lower(written("fn f(v) = e * e where e = exp(v)", "f(x) + f(h)"));
    expect(count(ir, "exp")).toBe(2);
    expect(expressions(ir)).toContain("add(mul(exp(x), exp(x)), mul(exp(h), exp(h)))");
  });

  it("splits a vector among several names", () => {
    const source = [
      "cell glu",
      "size N",
      "input x : [2*N]",
      "state h : [N]",
      "fn glu(v) = a * sigmoid(b) where a, b = split(v, 2)",
      "h' = glu(x) + h",
      "output h'",
      "",
    ].join("\n");
    expect(expressions(lower(source))).toContain("mul(slice(x, 0, N), sigmoid(slice(x, N, N)))");
  });

  it("names the values after the source in the IR of a function of the file", () => {
    const ir = lower(written("fn f(v) = dd * 2 where dd = v - 1", "f(h)"));
    expect(ir.nodes.some((n) => n.op === "sub" && n.hint === "dd")).toBe(true);
  });

  it("is what the library's layer norm uses, and prints back as it parses", () => {
    const library = parseCell(LIBRARY_SOURCE).file!;
    const layerNorm = library.decls.find((d) => d.kind === "Fn" && d.name.name === "layer_norm");
    expect(layerNorm?.kind === "Fn" && layerNorm.locals.map((l) => l.names[0]!.name)).toEqual([
      "d",
    ]);
    const again = parseCell(printCell(library)).file!;
    expect(printCell(again)).toBe(printCell(library));
  });

  it("lowers a chain of thousands of values without following it recursively", () => {
    const n = 6000;
    const chain = Array.from({ length: n - 1 }, (_, i) => `a${n - 1 - i} = a${n - 2 - i} * 2`);
    const source = written(`fn f(v) = a${n - 1} where ${chain.join(", ")}, a0 = v`, "f(x) + h");
    const result = compile(source, { file: "chain.cell", passes: [] });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(count(result.ir!, "mul")).toBe(n - 1);
  });

  it("cannot be seen outside its function", () => {
    const result = compile(written("fn f(v) = d where d = v * 2", "f(h) + d"), { file: "t.cell" });
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "E201 unknown name 'd'",
    ]);
  });
});
