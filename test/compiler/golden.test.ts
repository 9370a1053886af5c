// Golden files. Per shipped cell: the IR as lowered (.ir), after the passes (.opt.ir), and what
// of its generated module is its own (.js, .d.ts). The parts every module shares (the embedded
// runtime, the helpers, the runtime's public types) are one golden of their own, embedded.js and
// embedded.d.ts, and appear in a cell's golden as a one-line marker. A change to lowering, a pass
// or the generator shows up as a reviewable diff. Refresh with `npm run test:update`; with CI=true
// (as .ci/run sets it) a missing or changed file fails.
import { readdirSync } from "node:fs";
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import {
  HELPERS,
  PUBLIC_TYPES_DTS,
  RUNTIME_JS,
  WASM_RUNTIME_JS,
} from "../../src/compiler/codegen/runtime-bundle.js";
import { printIR } from "../../src/compiler/ir/print-ir.js";
import { PIPELINE } from "../../src/compiler/passes/index.js";
import { compileOrThrow } from "../../src/index.js";
import { FORMAT_OPTIONS } from "../../src/package-info.js";
import { CELL_NAMES, cellSource } from "../helpers/cells.js";

/** The shared parts of a module's JavaScript, each with the marker that stands for it. */
const SHARED_JS: readonly (readonly [text: string, marker: string])[] = [
  ...Object.entries(HELPERS).map(
    ([name, h]) => [h.js.trimEnd(), `// [helper '${name}': see embedded.js]`] as const,
  ),
  [RUNTIME_JS.trimEnd(), "// [embedded runtime: see embedded.js]"],
  [WASM_RUNTIME_JS.trimEnd(), "// [embedded WebAssembly runtime: see embedded.js]"],
];

/** `text` with each shared part, which must occur at most once, replaced by its marker. */
function ownPart(text: string, shared: readonly (readonly [string, string])[]): string {
  let own = text;
  for (const [part, marker] of shared) {
    expect(own.split(part).length, `'${marker}' occurs more than once`).toBeLessThanOrEqual(2);
    own = own.replace(part, () => marker);
  }
  return own;
}

const GOLDEN_DIR = new URL("__golden__/", import.meta.url);

describe("golden files", () => {
  it("are exactly the files these tests write (a stale one would go unread)", () => {
    const expected = ["embedded.js", "embedded.d.ts"];
    for (const name of CELL_NAMES)
      for (const ext of ["ir", "opt.ir", "js", "d.ts"]) expected.push(`${name}.${ext}`);
    expect(readdirSync(GOLDEN_DIR).sort()).toEqual(expected.sort());
  });

  it("match __golden__/embedded.{js,d.ts}, the parts every module shares", async () => {
    const helpers = Object.entries(HELPERS).map(([name, h]) => `// === helper '${name}'\n${h.js}`);
    const js = [
      ...helpers,
      `// === embedded runtime (every module)\n${RUNTIME_JS}`,
      `// === embedded WebAssembly runtime (modules with WebAssembly kernels)\n${WASM_RUNTIME_JS}`,
    ];
    await expect(js.join("\n")).toMatchFileSnapshot("__golden__/embedded.js");
    await expect(PUBLIC_TYPES_DTS).toMatchFileSnapshot("__golden__/embedded.d.ts");
  });

  it.each(CELL_NAMES)("match __golden__/%s.{ir,opt.ir,js,d.ts}", async (name) => {
    const file = `cells/${name}.cell`;
    const { ir, optIR, source } = compileOrThrow(cellSource(name), { file });
    await expect(printIR(ir, source)).toMatchFileSnapshot(`__golden__/${name}.ir`);
    await expect(printIR(optIR, source)).toMatchFileSnapshot(`__golden__/${name}.opt.ir`);
    const passes = PIPELINE.map((p) => p.name);
    const module = await generateModule(optIR, { source, passes });
    expect(module.code).toContain(RUNTIME_JS.trimEnd());
    await expect(ownPart(module.code, SHARED_JS)).toMatchFileSnapshot(`__golden__/${name}.js`);
    const types = [[PUBLIC_TYPES_DTS, "// [runtime types: see embedded.d.ts]\n"]] as const;
    expect(module.dts).toContain(PUBLIC_TYPES_DTS);
    await expect(ownPart(module.dts, types)).toMatchFileSnapshot(`__golden__/${name}.d.ts`);
    // Formatted as prettier would format it (the shared parts are formatted ahead of time).
    const formatted = (text: string, parser: string) => format(text, { ...FORMAT_OPTIONS, parser });
    expect(await formatted(module.code, "babel")).toBe(module.code);
    expect(await formatted(module.dts, "typescript")).toBe(module.dts);
    const typed = await generateModule(optIR, { source, passes, typed: true });
    expect(await formatted(typed.code, "typescript")).toBe(typed.code);
  });
});
