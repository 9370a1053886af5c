// Assembles a WebAssembly module: function types, one imported memory (`env.memory`), functions
// with their locals, and their exports. Enough for generated kernels; nothing more.
import { Bytes } from "./encoder.js";
import type { ValType } from "./opcodes.js";

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly ValType[];
  readonly locals: readonly ValType[];
  /** The body's instructions, without the final `end`. */
  readonly body: Bytes;
}

const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;

function section(out: Bytes, id: number, content: Bytes): void {
  out.byte(id).u32(content.length).append(content);
}

/** Locals as `vec(count, type)` runs of equal types. */
function localRuns(locals: readonly ValType[]): [number, ValType][] {
  const runs: [number, ValType][] = [];
  for (const t of locals) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  return runs;
}

export function assemble(functions: readonly WasmFunction[]): Uint8Array {
  const out = new Bytes().byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

  // One type per function, with no results.
  const types = new Bytes();
  types.vector(functions, (f) =>
    types
      .byte(0x60)
      .vector(f.params, (p) => types.byte(p))
      .u32(0),
  );
  section(out, SECTION.type, types);

  // The memory is the caller's, so buffers can be shared with JavaScript views.
  const imports = new Bytes().u32(1).name("env").name("memory").byte(0x02).byte(0x00).u32(1);
  section(out, SECTION.import, imports);

  const indices = new Bytes().u32(functions.length);
  functions.forEach((_, i) => indices.u32(i));
  section(out, SECTION.function, indices);

  const exports = new Bytes().u32(functions.length);
  functions.forEach((f, i) => exports.name(f.name).byte(0x00).u32(i));
  section(out, SECTION.export, exports);

  const code = new Bytes().u32(functions.length);
  for (const f of functions) {
    const body = new Bytes();
    const runs = localRuns(f.locals);
    body.u32(runs.length);
    for (const [count, type] of runs) body.u32(count).byte(type);
    body.append(f.body).byte(0x0b);
    code.u32(body.length).append(body);
  }
  section(out, SECTION.code, code);
  return out.toUint8Array();
}
