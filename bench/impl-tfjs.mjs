// TensorFlow.js through tfjs-layers' LSTM and GRU on the cpu (plain JS) and wasm (XNNPACK, SIMD,
// one thread: tfjs disables wasm threads in Node) backends. Keras LSTM gates are i, f, c, o =
// PyTorch's i, f, g, o, so the weights only need transposing; the two PyTorch biases are summed.
// tfjs' GRU applies the reset gate before the recurrent product (it rejects resetAfter: true) and
// has one bias, added to the input product: it is cells/gru_reset_before.cell, whose b_hn stays
// outside the product too, with the rows reordered from PyTorch's r, z, n to Keras' z, r, h.
import { fileURLToPath } from "node:url";
import { sep } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { frame, reorderGates } from "./impl.mjs";

export const tfjsVersion = tf.version_core;

/** tfjs-backend-wasm is loaded lazily so a failure there only removes its rows. */
async function initWasm() {
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // In Node the Emscripten loader reads the binary with fs, so a plain directory path works.
  const dir = fileURLToPath(
    new URL("node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url),
  );
  wasm.setWasmPaths(dir.endsWith(sep) ? dir : dir + sep);
}

let wasmReady = null;

/** Makes `backend` the active one, loading tfjs-backend-wasm first if needed. */
export async function startBackend(backend) {
  if (backend === "wasm") await (wasmReady ??= initWasm());
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend '${backend}' did not start`);
  await tf.ready();
}

/** @param {"cpu" | "wasm"} backend @returns {import("./impl.mjs").Impl} */
export function tfjsImpl(backend) {
  return {
    name: `tfjs-layers, ${backend} backend`,
    cells: ["lstm", "gru_reset_before"],
    async prepare(c) {
      await startBackend(backend); // both backends share tfjs' one global engine
      const { model, layer } = buildModel(c);
      const weights = kerasWeights(c);
      layer.setWeights(weights); // copies the values
      tf.dispose(weights);
      const runner = c.stream ? streamRunner(model, c) : sequenceRunner(model, c);
      return {
        ...runner,
        dispose: () => {
          runner.dispose?.();
          model.dispose();
        },
      };
    },
  };
}

/** Keras' gate rows in PyTorch's row blocks: LSTM i, f, c, o = i, f, g, o; GRU z, r, h = z, r, n. */
const kerasOrder = (cell) => (cell === "lstm" ? [0, 1, 2, 3] : [1, 0, 2]);

/** The cell's states, as tfjs' layer takes them: [h, c] (LSTM), [h] (GRU). */
const stateCount = (cell) => (cell === "lstm" ? 2 : 1);

/**
 * An LSTM or GRU model; for STREAM (T = 1 per call) it also takes the initial states as inputs.
 */
function buildModel(c) {
  const T = c.stream ? 1 : c.T;
  const layer = tfl.layers[c.cell === "lstm" ? "lstm" : "gru"]({
    units: c.H,
    returnSequences: true,
    returnState: true,
    recurrentActivation: "sigmoid", // tfjs defaults to hardSigmoid; PyTorch uses sigmoid
    // setWeights replaces these; the default orthogonal initializer needs chained ops that
    // tfjs-core's Node bundle does not register (only the @tensorflow/tfjs union does).
    kernelInitializer: "zeros",
    recurrentInitializer: "zeros",
  });
  const x = tfl.input({ shape: [T, c.I] });
  if (!c.stream) return { model: tfl.model({ inputs: x, outputs: layer.apply(x) }), layer };
  const states = Array.from({ length: stateCount(c.cell) }, () => tfl.input({ shape: [c.H] }));
  const outputs = layer.apply(x, { initialState: states });
  return { model: tfl.model({ inputs: [x, ...states], outputs }), layer };
}

/** [kernel [I, GH], recurrentKernel [H, GH], bias [GH]] from PyTorch's layout. */
function kerasWeights({ cell, weights: w, I, H }) {
  const order = kerasOrder(cell);
  const G = order.length;
  const rows = (data, cols) => reorderGates(data, H, cols, order);
  const hh = rows(w.bias_hh, 1);
  const bias = rows(w.bias_ih, 1).map((b, j) => b + hh[j]);
  return [
    tf.tensor2d(transpose(rows(w.weight_ih, I), G * H, I), [I, G * H]),
    tf.tensor2d(transpose(rows(w.weight_hh, H), G * H, H), [H, G * H]),
    tf.tensor1d(bias),
  ];
}

function transpose(a, rows, cols) {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) out[k * rows + r] = a[r * cols + k];
  return out;
}

/** predict on batch-first [B, T, I] (converted once, untimed), then read Y back with dataSync. */
function sequenceRunner(model, c) {
  const { T, B, I, H } = c;
  const x = tf.tensor3d(toBatchFirst(c.input, T, B, I), [B, T, I]);
  let y = null;
  return {
    run() {
      const outs = model.predict(x, { batchSize: B });
      y = outs[0].dataSync();
      tf.dispose(outs);
    },
    output: () => toSeqFirst(y, T, B, H),
    dispose: () => x.dispose(),
  };
}

/** One predict per step; the states stay tensors between calls, the output is read every step. */
function streamRunner(model, c) {
  const { T, I, H } = c;
  const out = new Float32Array(T * H);
  return {
    run() {
      let states = Array.from({ length: stateCount(c.cell) }, () => tf.zeros([1, H]));
      for (let t = 0; t < T; t++) {
        const x = tf.tensor3d(frame(c.input, t, I), [1, 1, I]);
        const [y, ...next] = model.predict([x, ...states]);
        out.set(y.dataSync(), t * H);
        tf.dispose([x, y, ...states]);
        states = next;
      }
      tf.dispose(states);
    },
    output: () => out,
  };
}

/** (T, B, n) -> (B, T, n) */
function toBatchFirst(a, T, B, n) {
  const out = new Float32Array(a.length);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      out.set(a.subarray((t * B + b) * n, (t * B + b + 1) * n), (b * T + t) * n);
  return out;
}

/** (B, T, n) -> (T, B, n) */
function toSeqFirst(a, T, B, n) {
  const out = new Float32Array(a.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      out.set(a.subarray((b * T + t) * n, (b * T + t + 1) * n), (t * B + b) * n);
  return out;
}
