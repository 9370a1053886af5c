// Every generated module type-checks: each `.js` against its `.d.ts` as a consumer uses it, and
// each `--ts` module on its own, under the strictest common settings.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import { compileOrThrow } from "../../src/index.js";
import { CELL_NAMES, cellSource } from "../helpers/cells.js";

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noImplicitReturns: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts"],
  types: [],
  noEmit: true,
};

function typeErrors(files: readonly string[]): string[] {
  const program = ts.createProgram(files, OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : "";
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

/** A consumer that uses the typed API: weights in, output and named states out. */
function consumer(module: string, states: readonly string[]): string {
  const reads = states.map(
    (s) => `const ${s}_n: Tensor<Float32Array> = result.states[${JSON.stringify(s)}];`,
  );
  return [
    `import { create, meta, type Tensor } from "./${module}.js";`,
    "const weights: Record<string, Tensor> = {};",
    "const model = create(weights, { batchFirst: true });",
    "const input: Tensor = { data: new Float32Array(6), shape: [1, 2, 3] };",
    "const result = model.forward(input);",
    "const output: Float32Array = result.output.data;",
    ...reads,
    "const name: string = meta.name;",
    `void [output, name${states.map((s) => `, ${s}_n`).join("")}];`,
    "// @ts-expect-error: no such state",
    "void result.states.no_such_state;",
    "",
  ].join("\n");
}

describe("generated module types", () => {
  it("type-checks every shipped cell's .js with its .d.ts and its --ts module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-types-"));
    const files: string[] = [];
    for (const name of CELL_NAMES) {
      const file = `cells/${name}.cell`;
      const { optIR, source } = compileOrThrow(cellSource(name), { file });
      const js = await generateModule(optIR, { source, passes: [] });
      const typed = await generateModule(optIR, { source, passes: [], typed: true });
      writeFileSync(join(dir, `${name}.js`), js.code);
      writeFileSync(join(dir, `${name}.d.ts`), js.dts);
      writeFileSync(join(dir, `${name}_ts.ts`), typed.code);
      const states = optIR.states.map((s) => s.name);
      writeFileSync(join(dir, `use_${name}.ts`), consumer(name, states));
      writeFileSync(join(dir, `use_${name}_ts.ts`), consumer(`${name}_ts`, states));
      files.push(join(dir, `use_${name}.ts`), join(dir, `use_${name}_ts.ts`));
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    expect(typeErrors(files)).toEqual([]);
  });
});
