// Golden files for every shipped cell: the IR as lowered (.ir), after the passes (.opt.ir), and
// the generated module (.js, .d.ts). A change to lowering, a pass or the generator shows up as a
// reviewable diff. Refresh with `npm run test:update`; with CI=true a missing or changed file fails.
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { FORMAT_OPTIONS as PRETTIER } from "../../src/package-info.js";
import { generateModule } from "../../src/compiler/codegen/index.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { printIR } from "../../src/compiler/ir/print-ir.js";
import { compileOrThrow } from "../../src/index.js";
import { CELL_NAMES, cellSource } from "../helpers/cells.js";

describe("golden files", () => {
  it.each(CELL_NAMES)("match __golden__/%s.{ir,opt.ir,js,d.ts}", async (name) => {
    const file = `cells/${name}.cell`;
    const { ir, optIR, source } = compileOrThrow(cellSource(name), { file });
    await expect(printIR(ir, source)).toMatchFileSnapshot(`__golden__/${name}.ir`);
    await expect(printIR(optIR, source)).toMatchFileSnapshot(`__golden__/${name}.opt.ir`);
    const passes = PIPELINE.map((p) => p.name);
    const module = await generateModule(optIR, { source, passes });
    await expect(module.code).toMatchFileSnapshot(`__golden__/${name}.js`);
    // Formatted as prettier would format it (the runtime part is formatted ahead of time).
    expect(await format(module.code, { ...PRETTIER, parser: "babel" })).toBe(module.code);
    await expect(module.dts).toMatchFileSnapshot(`__golden__/${name}.d.ts`);
    // The declarations and the helpers are written formatted rather than formatted each time.
    expect(await format(module.dts, { ...PRETTIER, parser: "typescript" })).toBe(module.dts);
    const typed = await generateModule(optIR, { source, passes, typed: true });
    expect(await format(typed.code, { ...PRETTIER, parser: "typescript" })).toBe(typed.code);
  });
});
