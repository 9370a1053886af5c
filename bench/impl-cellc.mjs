// cellc through its public API (the built package in ../dist): compile the shipped .cell file,
// generate the standalone module, import it and run create(weights, options).forward(...).
import { readFile } from "node:fs/promises";
import { frame } from "./impl.mjs";

const ROOT = new URL("../", import.meta.url);
const cellc = await import(new URL("dist/index.js", ROOT).href);
const passNames = cellc.PIPELINE.map((p) => p.name);

/** The variants benchmarked: `--target js`, the default target, and the default on 2 threads. */
export const CELLC_VARIANTS = [
  { name: "cellc, target js", target: "js", options: {} },
  { name: "cellc, default target", target: undefined, options: {} },
  { name: "cellc, default target, 2 threads", target: undefined, options: { threads: 2 } },
];

/** Reads and compiles cells/<cell>.cell, throwing on diagnostics. */
export async function compileCell(cell) {
  const file = `cells/${cell}.cell`;
  const text = await readFile(new URL(file, ROOT), "utf8");
  const result = cellc.compile(text, { file });
  if (!result.optIR) {
    const why = result.diagnostics.map((d) => cellc.formatShort?.(d, result.source) ?? d.message);
    throw new Error(`${file} does not compile: ${why.join("; ")}`);
  }
  return { text, file, result };
}

/** Generates the module text for a compiled cell (prettier-formatted, as the CLI writes it). */
export async function generate(result, target, format = true) {
  const options = { source: result.source, passes: passNames, format };
  return cellc.generateModule(result.optIR, target ? { ...options, target } : options);
}

const kernels = new Map();

/** The imported kernel module for (cell, target), built once per process. */
async function kernelFor(cell, target) {
  const key = `${cell}/${target ?? "default"}`;
  if (!kernels.has(key)) {
    const { result } = await compileCell(cell);
    const { code } = await generate(result, target, false);
    kernels.set(key, { kernel: await cellc.importKernel(code), code });
  }
  return kernels.get(key);
}

/** True when target "js" produces the same module as the default target (target not honoured). */
export async function sameCodeForTargets(cell) {
  return (await kernelFor(cell, "js")).code === (await kernelFor(cell, undefined)).code;
}

/** @returns {import("./impl.mjs").Impl} */
export function cellcImpl(variant) {
  return {
    name: variant.name,
    cells: ["lstm", "layernorm_lstm", "gru", "gru_reset_before", "lstmp"],
    async prepare(c) {
      const { kernel } = await kernelFor(c.cell, variant.target);
      const weights = {};
      for (const [name, data] of Object.entries(c.weights)) {
        weights[`${name}_l0`] = { data, shape: c.shapes[name] };
      }
      const model = kernel.create(weights, variant.options);
      const runner = c.stream ? streamRunner(model, c) : sequenceRunner(model, c);
      return { ...runner, dispose: () => model.close() };
    },
  };
}

function sequenceRunner(model, c) {
  const input = { data: c.input, shape: [c.T, c.B, c.I] };
  let last = null;
  return {
    run() {
      last = model.forward(input);
    },
    output: () => last.output.data,
  };
}

/** One forward per step with T = 1, carrying the returned states into the next call. */
function streamRunner(model, c) {
  const { T, I, H, P } = c;
  const out = new Float32Array(T * P);
  const zeros = (n) => ({ data: new Float32Array(n), shape: [1, 1, n] });
  return {
    run() {
      let states = c.cell.startsWith("gru") ? { h: zeros(H) } : { h: zeros(P), c: zeros(H) };
      for (let t = 0; t < T; t++) {
        const r = model.forward({ data: frame(c.input, t, I), shape: [1, 1, I] }, states);
        out.set(r.output.data, t * P);
        states = r.states;
      }
    },
    output: () => out,
  };
}

export const cellcVersion = cellc.VERSION ?? null;
export { cellc };
