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
    `import { create, meta, type ForwardOptions, type Tensor } from "./${module}.js";`,
    "const weights: Record<string, Tensor> = {};",
    "const model = create(weights, { batchFirst: true });",
    "const input: Tensor = { data: new Float32Array(6), shape: [1, 2, 3] };",
    "const result = model.forward(input);",
    "const output: Float32Array = result.output.data;",
    "void model.forward(input, {}, { lengths: [2] });",
    "void model.forward(input, undefined, { lengths: new Int32Array([1]) });",
    "const options: ForwardOptions = {};",
    "void model.forward(input, {}, options);",
    "// @ts-expect-error: lengths are integers, not floats",
    "void model.forward(input, {}, { lengths: new Float32Array([1]) });",
    "// @ts-expect-error: no such option",
    "void model.forward(input, {}, { lenghts: [2] });",
    ...reads,
    "const name: string = meta.name;",
    `void [output, name${states.map((s) => `, ${s}_n`).join("")}];`,
    "// @ts-expect-error: no such state",
    "void result.states.no_such_state;",
    "",
  ].join("\n");
}

/**
 * Cells whose names every JavaScript object already has (Object.prototype's members), in every
 * role a name can take: the language accepts them, so their modules must type-check too.
 */
const OBJECT_NAMES: Readonly<Record<string, string>> = {
  object_states: `cell constructor
size isPrototypeOf, propertyIsEnumerable
input toLocaleString : [isPrototypeOf]
state constructor : [propertyIsEnumerable]
state toString : [propertyIsEnumerable]
state __proto__ : [propertyIsEnumerable]
state hasOwnProperty : [propertyIsEnumerable]
state valueOf : [propertyIsEnumerable]
state isPrototypeOf2 : [propertyIsEnumerable]
param __defineGetter__ : [propertyIsEnumerable, isPrototypeOf]
constructor' = tanh(__defineGetter__ @ toLocaleString + constructor)
toString' = toString + constructor'
__proto__' = __proto__ * 2
hasOwnProperty' = hasOwnProperty
valueOf' = valueOf - __proto__'
isPrototypeOf2' = isPrototypeOf2
output constructor' + toString'
`,
  object_values: `cell toString
size valueOf, propertyIsEnumerable
input isPrototypeOf : [propertyIsEnumerable]
state h : [valueOf]
param __proto__ : [valueOf, propertyIsEnumerable]
param hasOwnProperty : [valueOf] = 0
slot constructor = tanh
slot toLocaleString = hasOwnPropertyFn(0.5)
fn hasOwnPropertyFn(__proto__, isPrototypeOf = 1) = __proto__ * isPrototypeOf
fn propertyIsEnumerable2(x) = constructor(x) + toLocaleString(x)
let toString2, __lookupGetter__ = split(concat(h, h), 2)
let __defineSetter__ = propertyIsEnumerable2(__proto__ @ isPrototypeOf + hasOwnProperty)
h' = __defineSetter__ + toString2 * __lookupGetter__
output h'
`,
};

async function writeModule(
  dir: string,
  name: string,
  text: string,
  file: string,
): Promise<string[]> {
  const { optIR, source } = compileOrThrow(text, { file });
  const js = await generateModule(optIR, { source, passes: [] });
  const typed = await generateModule(optIR, { source, passes: [], typed: true });
  writeFileSync(join(dir, `${name}.js`), js.code);
  writeFileSync(join(dir, `${name}.d.ts`), js.dts);
  writeFileSync(join(dir, `${name}_ts.ts`), typed.code);
  const states = optIR.states.map((s) => s.name);
  writeFileSync(join(dir, `use_${name}.ts`), consumer(name, states));
  writeFileSync(join(dir, `use_${name}_ts.ts`), consumer(`${name}_ts`, states));
  return [join(dir, `use_${name}.ts`), join(dir, `use_${name}_ts.ts`)];
}

describe("generated module types", () => {
  it("type-checks every shipped cell's .js with its .d.ts and its --ts module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-types-"));
    const files: string[] = [];
    for (const name of CELL_NAMES) {
      files.push(...(await writeModule(dir, name, cellSource(name), `cells/${name}.cell`)));
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    expect(typeErrors(files)).toEqual([]);
  }, 60_000); // one TypeScript program, four files per shipped cell: 21 s for 12 on a busy host

  it("type-checks the modules when a cell's names are those of Object.prototype", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellc-types-"));
    const files: string[] = [];
    for (const [name, text] of Object.entries(OBJECT_NAMES)) {
      files.push(...(await writeModule(dir, name, text, `${name}.cell`)));
      // Initial states by name, an object literal as users write them, must be accepted too.
      const states = compileOrThrow(text).optIR.states.map((s) => s.name);
      const given = states.map((s) => `${JSON.stringify(s)}: t`).join(", ");
      writeFileSync(
        join(dir, `init_${name}.ts`),
        [
          `import { create, type Tensor } from "./${name}_ts.js";`,
          "const t: Tensor = { data: new Float32Array(1), shape: [1, 1, 1] };",
          "const model = create(new Map<string, Tensor>());",
          "const input: Tensor = { data: new Float32Array(1), shape: [1, 1, 1] };",
          `void model.forward(input, { ${given} });`,
          "void model.forward(input, {});",
          "",
        ].join("\n"),
      );
      files.push(join(dir, `init_${name}.ts`));
    }
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    expect(typeErrors(files)).toEqual([]);
  });
});
