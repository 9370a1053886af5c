// Adapts baselines/tutorial.mjs to the harness. Inputs become nested arrays once, untimed, since a
// tutorial user would hold them that way; a batch is run as B separate sequences.
import { lstmCell, lstmForward, paramsFromPyTorch } from "./baselines/tutorial.mjs";

/** @type {import("./impl.mjs").Impl} */
export const tutorialImpl = {
  name: "tutorial-style JS",
  cells: ["lstm"],
  async prepare(c) {
    const { T, B, I, H } = c;
    const params = paramsFromPyTorch(c.weights, I, H);
    const vec = (t, b) => Array.from(c.input.subarray((t * B + b) * I, (t * B + b + 1) * I));
    const sequences = Array.from({ length: B }, (_, b) =>
      Array.from({ length: T }, (_, t) => vec(t, b)),
    );
    let results = [];
    const run = c.stream
      ? () => {
          // One lstmCell call per arriving frame, state carried by the caller.
          let h = new Array(H).fill(0);
          let cell = new Array(H).fill(0);
          const outputs = [];
          for (const x of sequences[0]) {
            ({ h, c: cell } = lstmCell(params, x, h, cell));
            outputs.push(h);
          }
          results = [outputs];
        }
      : () => {
          results = sequences.map((xs) => lstmForward(params, xs).outputs);
        };
    return { run, output: () => flatten(results, T, B, H) };
  },
};

/** results[b][t][j] -> (T, B, H) float32 */
function flatten(results, T, B, H) {
  const out = new Float32Array(T * B * H);
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) out.set(results[b][t], (t * B + b) * H);
  return out;
}
