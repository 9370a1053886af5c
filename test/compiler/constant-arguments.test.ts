// Constant expressions where a number is expected: fn defaults (`alpha = 1/4`) and activation
// arguments (`hard_sigmoid(1/4, 0.5)`, in the file or in an override) are computed in float64 when
// the file is checked, so they mean exactly what the number they compute would mean.
import { describe, expect, it } from "vitest";
import { printIR } from "../../src/compiler/ir/print-ir.js";
import { compile, compileOrThrow, formatShort } from "../../src/index.js";
import { compileCell } from "../helpers/cells.js";

const HEAD = "cell c\nsize I, H\ninput x : [I]\nstate h : [H]\nparam W : [H, I]\n";

const constants = (text: string): number[] =>
  compileOrThrow(text, { passes: [] }).ir.nodes.flatMap((n) => (n.op === "const" ? [n.value] : []));

/** Short forms of the diagnostics of the rnn-like cell with `gate` bound by an override. */
function overrideDiagnostics(spec: string): string[] {
  const text = `${HEAD}slot gate = sigmoid\nh' = gate(W @ x) * h\noutput h'\n`;
  const result = compile(text, { file: "c.cell", activations: { gate: spec } });
  return result.diagnostics.map((d) => formatShort(d, result.source));
}

describe("constant expressions", () => {
  it("gives a function the float64 values of its defaults when they are arithmetic", () => {
    const fn = "fn f(v, a = -1/3, b = 2*3, c = 1e-5, d = (1 + 2) / -4) = a * v + b * v + c * v + d";
    expect(constants(`${HEAD}${fn}\nh' = f(W @ x)\noutput h'\n`)).toEqual([-1 / 3, 6, 1e-5, -0.75]);
  });

  it("binds the same activation when its arguments are written as arithmetic", () => {
    const plain = compileCell("lstm", { gate: "hard_sigmoid(0.25, 0.5)" });
    const arithmetic = compileCell("lstm", { gate: "hard_sigmoid(1/4, 1 - 2/4)" });
    expect(arithmetic.slots).toEqual(plain.slots);
    expect(printIR(arithmetic)).toBe(printIR(plain));
  });

  it("computes a slot's own binding when the file writes its arguments as arithmetic", () => {
    const text = `${HEAD}slot act = leaky_relu(-(-1) / 50)\nh' = act(W @ x)\noutput h'\n`;
    expect(compileOrThrow(text).ir.slots).toEqual([
      { slot: "act", activation: "leaky_relu", args: [0.02] },
    ]);
  });

  it("reports E104 in the override's text when its arguments nest too deeply", () => {
    expect(overrideDiagnostics(`hard_sigmoid(${"(".repeat(101)}1${")".repeat(101)})`)).toEqual([
      "activations.gate:1:113: error E104: expression is nested too deeply (the limit is 100 levels)",
    ]);
    expect(overrideDiagnostics(`hard_sigmoid(${"1 + ".repeat(1000)}1)`)).toEqual([
      "activations.gate:1:14: error E104: expression is nested too deeply (the limit is 1000 levels)",
    ]);
  });

  it("reports E104 in the file when a default nests too deeply", () => {
    const fn = `fn f(v, a = ${"-".repeat(1001)}1) = a * v`;
    const result = compile(`${HEAD}${fn}\nh' = f(W @ x)\noutput h'\n`, { file: "c.cell" });
    expect(result.diagnostics.map((d) => formatShort(d, result.source))).toEqual([
      "c.cell:6:13: error E104: expression is nested too deeply (the limit is 1000 levels)",
    ]);
  });
});
