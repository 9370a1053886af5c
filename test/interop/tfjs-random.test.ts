// Acceptance: random tfjs-layers models (LSTM, GRU, SimpleRNN; Bidirectional; stacked; random
// Keras activations, biases, dropout layers, last step only or every step) saved with tfjs' own
// save, imported from model.json and its weight shards, and run by cellc's kernel, give what
// tfjs-layers itself computes after loading the same files. The largest difference is printed.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importTfjs } from "../../src/interop/tfjs-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import { rng } from "../helpers/random.js";
import { kernelFor } from "./imported-kernel.js";
import { KERAS_ACTIVATIONS, loadTfjs, tf, writeTfjsCase } from "./tfjs-models.js";

const SEEDS = Array.from({ length: 40 }, (_, i) => 7000 + i);
const root = mkdtempSync(join(tmpdir(), "cellc-tfjs-"));
let worst = 0;

/** The rows of h_n (L*D, B, H) that a last-step-only output shows: the last layer's, side by side. */
function lastStep(hn: Float32Array, L: number, D: number, B: number, H: number): Float32Array {
  const out = new Float32Array(B * D * H);
  for (let b = 0; b < B; b++)
    for (let d = 0; d < D; d++)
      out.set(
        hn.subarray(((L - 1) * D + d) * B * H + b * H, ((L - 1) * D + d) * B * H + (b + 1) * H),
        (b * D + d) * H,
      );
  return out;
}

describe("tfjs import against tfjs-layers", () => {
  afterAll(() =>
    console.log(`tfjs-random: largest difference from tfjs-layers ${worst.toExponential(2)}`),
  );

  it.each(SEEDS)("matches tfjs-layers on seed %i", async (seed) => {
    const dir = join(root, String(seed));
    const c = await writeTfjsCase(seed, dir);
    const random = rng(seed + 1);
    const x = Float32Array.from({ length: c.B * c.T * c.I }, () => random() * 2 - 1);
    // The oracle is the model tfjs loads from the files, or for gelu_new the one it saved.
    const model = c.geluNew ? c.model : await loadTfjs(dir);
    const y = model.predict(tf.tensor3d(x, [c.B, c.T, c.I])) as tf.Tensor;
    const want = (await y.data()) as Float32Array;
    const wantShape = y.shape;
    tf.dispose(y);
    if (model !== c.model) model.dispose();
    c.model.dispose();
    const read = (name: string) => readFileSync(join(dir, name));
    const { stack } = importTfjs(readFileSync(join(dir, "model.json")), "model.json", read);
    const files = importedFiles(stack);
    const kernel = await kernelFor(files.cellText);
    const got = kernel
      .create(files.weights, { batchFirst: true })
      .forward({ data: x, shape: [c.B, c.T, c.I] });
    const L = stack.layers.length;
    const D = stack.directions === "bidirectional" ? 2 : 1;
    const H = stack.hiddenSize;
    const mine =
      wantShape.length === 3 ? got.output.data : lastStep(got.states["h"]!.data, L, D, c.B, H);
    expect(mine.length, c.summary).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      const d = Math.abs(mine[i]! - want[i]!);
      worst = Math.max(worst, d);
      expect(
        d <= 1e-5 + 1e-5 * Math.abs(want[i]!),
        `${c.summary} [${i}]: ${mine[i]} vs ${want[i]}`,
      ).toBe(true);
    }
  });

  it("draws every layer kind, Bidirectional, stacks, last-step outputs and every activation", async () => {
    const all: string[] = [];
    for (const seed of SEEDS) {
      const c = await writeTfjsCase(seed, join(root, "draw"));
      c.model.dispose();
      all.push(c.summary);
    }
    const text = all.join("\n");
    for (const w of [
      "lstm",
      "gru",
      "simpleRNN",
      "bidirectional",
      "2x",
      "3x",
      "last step",
      "dropout",
      " bias",
    ])
      expect(text, w).toContain(w);
    for (const a of KERAS_ACTIVATIONS) expect(text, a).toMatch(new RegExp(`[ /]${a}[ /]`));
  });
});
