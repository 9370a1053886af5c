// Every pass keeps the IR verifiable and is idempotent (a second run returns its input itself),
// checked on the shipped and custom cells both where the pipeline runs the pass and on the IR
// as lowered, where it meets sums and products in their written form.
import { describe, expect, it } from "vitest";
import type { CellIR } from "../../src/compiler/ir/ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import { CELL_NAMES, compileCell } from "../helpers/cells.js";
import { CUSTOM_CELLS } from "./custom-cells.js";
import { CTX, inputOf, lower, text } from "./helpers.js";

const CELLS: readonly (readonly [string, () => CellIR])[] = [
  ...CELL_NAMES.map((name) => [name, () => compileCell(name)] as const),
  ...CUSTOM_CELLS.map((c) => [c.name, () => lower(c.text)] as const),
  [
    "lstm (gate=hard_sigmoid, cell=linear)",
    () => compileCell("lstm", { gate: "hard_sigmoid(0.25, 0.5)", cell: "linear" }),
  ],
];

const CASES = PIPELINE.flatMap((pass) =>
  CELLS.flatMap(([cell, ir]) => [
    [pass.name, cell, "in the pipeline", () => inputOf(pass, ir()), pass] as const,
    [pass.name, cell, "on the lowered IR", ir, pass] as const,
  ]),
);

describe("every pass", () => {
  it.each(CASES)("%s on %s (%s) verifies and is idempotent", (_, __, ___, input, pass) => {
    const ir = input();
    const once = pass.run(ir, CTX);
    expect(() => verifyIR(once, `after ${pass.name}`)).not.toThrow();
    const twice = pass.run(once, CTX);
    expect(text(twice)).toBe(text(once));
    expect(twice).toBe(once);
  });
});
