// ONNX Runtime (onnxruntime-node, CPU): one LSTM or GRU node built in code, 1 or 2 intra-op threads
// (GRU with linear_before_reset 1 for gru, 0 for gru_reset_before).
// Full shapes omit the initial state (zeros); STREAM feeds Y_h (and Y_c) back as the next state.
import ort from "onnxruntime-node";
import { frame } from "./impl.mjs";
import { recurrentModel } from "./onnx-model.mjs";

export const ortVersion = ort.env.versions?.common ?? "?";

/** @param {number} threads @returns {import("./impl.mjs").Impl} */
export function ortImpl(threads) {
  return {
    name: `ONNX Runtime, ${threads} thread${threads > 1 ? "s" : ""}`,
    cells: ["lstm", "gru", "gru_reset_before"],
    async prepare(c) {
      const op = c.cell === "lstm" ? "LSTM" : "GRU";
      const T = c.stream ? 1 : c.T;
      const bytes = recurrentModel(op, c.weights, {
        T,
        B: c.B,
        I: c.I,
        H: c.H,
        withState: c.stream,
        linearBeforeReset: c.cell === "gru_reset_before" ? 0 : 1,
      });
      const session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      const runner = c.stream ? streamRunner(session, c, op) : sequenceRunner(session, c);
      return { ...runner, dispose: () => session.release() };
    },
  };
}

function sequenceRunner(session, c) {
  const feeds = { X: new ort.Tensor("float32", c.input, [c.T, c.B, c.I]) };
  let last = null;
  return {
    async run() {
      last = await session.run(feeds);
    },
    output: () => last.Y.data, // (T, 1, B, H) is (T, B, H) in memory
  };
}

/** One session.run per step; the state tensors returned are fed straight back in. */
function streamRunner(session, c, op) {
  const { T, I, H } = c;
  const out = new Float32Array(T * H);
  const zeros = () => new ort.Tensor("float32", new Float32Array(H), [1, 1, H]);
  return {
    async run() {
      let h = zeros();
      let cell = op === "LSTM" ? zeros() : null;
      for (let t = 0; t < T; t++) {
        const feeds = {
          X: new ort.Tensor("float32", frame(c.input, t, I), [1, 1, I]),
          initial_h: h,
        };
        if (cell) feeds.initial_c = cell;
        const r = await session.run(feeds);
        out.set(r.Y.data, t * H);
        h = r.Y_h;
        if (cell) cell = r.Y_c;
      }
    },
    output: () => out,
  };
}
