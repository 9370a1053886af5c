// TensorFlow.js through tfjs-layers' LSTM on the cpu (plain JS) and wasm (XNNPACK, SIMD, one
// thread: tfjs disables wasm threads in Node) backends. Keras gates are i, f, c, o = PyTorch's
// i, f, g, o, so the weights only need transposing; the two PyTorch biases are summed.
import { fileURLToPath } from "node:url";
import { sep } from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import "@tensorflow/tfjs-backend-cpu";
import { frame } from "./impl.mjs";

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
    cells: ["lstm"],
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

/** An LSTM model; for STREAM (T = 1 per call) it also takes the initial h and c as inputs. */
function buildModel(c) {
  const T = c.stream ? 1 : c.T;
  const layer = tfl.layers.lstm({
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
  const h0 = tfl.input({ shape: [c.H] });
  const c0 = tfl.input({ shape: [c.H] });
  const outputs = layer.apply(x, { initialState: [h0, c0] });
  return { model: tfl.model({ inputs: [x, h0, c0], outputs }), layer };
}

/** [kernel [I, 4H], recurrentKernel [H, 4H], bias [4H]] from PyTorch's layout. */
function kerasWeights({ weights: w, I, H }) {
  const bias = w.bias_ih.map((b, j) => b + w.bias_hh[j]);
  return [
    tf.tensor2d(transpose(w.weight_ih, 4 * H, I), [I, 4 * H]),
    tf.tensor2d(transpose(w.weight_hh, 4 * H, H), [H, 4 * H]),
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

/** One predict per step; h and c stay tensors between calls, the output is read every step. */
function streamRunner(model, c) {
  const { T, I, H } = c;
  const out = new Float32Array(T * H);
  return {
    run() {
      let h = tf.zeros([1, H]);
      let cell = tf.zeros([1, H]);
      for (let t = 0; t < T; t++) {
        const x = tf.tensor3d(frame(c.input, t, I), [1, 1, I]);
        const [y, h2, c2] = model.predict([x, h, cell]);
        out.set(y.dataSync(), t * H);
        tf.dispose([x, y, h, cell]);
        h = h2;
        cell = c2;
      }
      tf.dispose([h, cell]);
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
