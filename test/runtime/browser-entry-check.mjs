// Runs inside browser-context.mjs (no Node modules or globals): imports the built `cellc/runtime`
// and uses it on bytes, leaving what it saw in globalThis.result for browser-entry.test.ts.
import * as runtime from "../../dist/runtime/index.js";

const { compareTensors, parseCaseJson, parseNpy, parseSafetensors, serializeNpy } = runtime;
const { DataError, parsePt, parseWeights, serializeSafetensors, tensor } = runtime;

const a = tensor(new Float32Array([1, -2.5, 3, 0.125, 5, 6]), [2, 3]);
const b = tensor(new Float64Array([Math.PI, -1e300]), [2]);
const npy = parseNpy(serializeNpy(a), "a.npy");
const weights = parseSafetensors(serializeSafetensors({ b, a }, { format: "pt" }), "w.safetensors");
const exact = { atol: 0, rtol: 0 };

// A .pt holding {"w": float16 [1.5, -2]}, in torch.save's layout (written by Python's zipfile).
const PT_HEX = [
  "504b0304140000000000000021002b38ac7c89000000890000000a0000006d2f646174612e706b6c80027d71",
  "00580100000077710163746f7263682e5f7574696c730a5f72656275696c645f74656e736f725f76320a2828",
  "580700000073746f7261676563746f7263680a48616c6653746f726167650a58010000003058030000006370",
  "754b0274514b004b02854b01858963636f6c6c656374696f6e730a4f726465726564446963740a2952745273",
  "2e504b03041400000000000000210036d5d5940400000004000000080000006d2f646174612f30003e00c050",
  "4b01021403140000000000000021002b38ac7c89000000890000000a00000000000000000000008001000000",
  "006d2f646174612e706b6c504b010214031400000000000000210036d5d59404000000040000000800000000",
  "000000000000008001b10000006d2f646174612f30504b050600000000020002006e000000db0000000000",
].join("");
const ptBytes = Uint8Array.from(PT_HEX.match(/../g), (byte) => parseInt(byte, 16));
const pt = parsePt(ptBytes, "w.pt").get("w");

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
  pt: { shape: pt.shape, data: Array.from(pt.data), f32: pt.data instanceof Float32Array },
  ptNames: [...parseWeights(ptBytes, "w.bin").keys()],
  badPt: errorOf(() => parsePt(new Uint8Array(30), "bad.pt")),
  caseSpec: parseCaseJson(new TextEncoder().encode(JSON.stringify(caseJson)), "case.json"),
};
