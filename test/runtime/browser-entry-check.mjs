// Runs inside browser-context.mjs (no Node modules or globals): imports the built `cellc/runtime`
// and uses it on bytes, leaving what it saw in globalThis.result for browser-entry.test.ts.
import * as runtime from "../../dist/runtime/index.js";

const { compareTensors, parseCaseJson, parseNpy, parseSafetensors, serializeNpy } = runtime;
const { DataError, serializeSafetensors, tensor } = runtime;

const a = tensor(new Float32Array([1, -2.5, 3, 0.125, 5, 6]), [2, 3]);
const b = tensor(new Float64Array([Math.PI, -1e300]), [2]);
const npy = parseNpy(serializeNpy(a), "a.npy");
const weights = parseSafetensors(serializeSafetensors({ b, a }, { format: "pt" }), "w.safetensors");
const exact = { atol: 0, rtol: 0 };

function errorOf(f) {
  try {
    f();
    return null;
  } catch (e) {
    return { isDataError: e instanceof DataError, message: e.message };
  }
}

const caseJson = {
  cell: "lstm",
  module: { batch_first: true },
  weights: "weights.safetensors",
  input: "input.npy",
  expected: { output: "output.npy" },
  tolerance: { atol: 1e-5, rtol: 1e-4 },
};

globalThis.result = {
  globals: ["process", "Buffer", "require", "global"].filter((g) => g in globalThis),
  exports: Object.keys(runtime).sort(),
  npy: { shape: npy.shape, data: Array.from(npy.data), f32: npy.data instanceof Float32Array },
  npyEqual: compareTensors(npy, a, exact).pass,
  names: [...weights.keys()],
  safetensorsEqual: compareTensors(weights.get("b"), b, exact).pass,
  f64: weights.get("b").data instanceof Float64Array,
  differ: compareTensors(weights.get("a"), tensor(new Float32Array(6), [2, 3]), exact).pass,
  badNpy: errorOf(() => parseNpy(new Uint8Array([1, 2, 3]), "bad.npy")),
  caseSpec: parseCaseJson(new TextEncoder().encode(JSON.stringify(caseJson)), "case.json"),
};
