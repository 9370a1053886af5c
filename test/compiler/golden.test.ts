// Golden IR for every shipped cell: a change to lowering shows up as a reviewable diff.
// Refresh with `npm run test:update`; with CI=true a missing or changed file fails.
import { describe, expect, it } from "vitest";
import { printIR } from "../../src/compiler/print-ir.js";
import { compileOrThrow } from "../../src/index.js";
import { CELL_NAMES, cellSource } from "../helpers/cells.js";

describe("golden IR", () => {
  it.each(CELL_NAMES)("matches __golden__/%s.ir", async (name) => {
    const file = `cells/${name}.cell`;
    const { ir, source } = compileOrThrow(cellSource(name), { file });
    await expect(printIR(ir, source)).toMatchFileSnapshot(`__golden__/${name}.ir`);
  });
});
