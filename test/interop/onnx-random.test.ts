// Acceptance: 100 random single-node ONNX models (onnx-cases.ts), imported and run by cellc's
// kernel, match ONNX Runtime's Y, Y_h and Y_c within 1e-5. The largest difference is printed.
import * as ort from "onnxruntime-web";
import { afterAll, describe, expect, it } from "vitest";
import { encodeModel } from "../../src/interop/onnx/proto.js";
import { importOnnx } from "../../src/interop/onnx-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { ACTIVATION_NAMES, type OnnxCase, onnxCase } from "./onnx-cases.js";
import { kernelFor } from "./imported-kernel.js";

const CASES = Array.from({ length: 100 }, (_, i) => onnxCase(5000 + i));
let worst = 0;

/** (a, b, c) -> (b, a, c). */
function swap01(t: { data: ArrayLike<number>; shape: readonly number[] }): Float32Array {
  const [a, b, c] = t.shape as [number, number, number];
  const out = new Float32Array(a * b * c);
  for (let i = 0; i < a; i++)
    for (let j = 0; j < b; j++)
      for (let k = 0; k < c; k++) out[(j * a + i) * c + k] = t.data[(i * b + j) * c + k]!;
  return out;
}

/** ONNX's Y (T, D, B, H) as cellc lays out its output: (T, B, D*H), or (B, T, D*H) batch first. */
function yAsCellc(c: OnnxCase, y: Float32Array): Float32Array {
  const { T, D, B, H } = c;
  const out = new Float32Array(y.length);
  for (let t = 0; t < T; t++)
    for (let d = 0; d < D; d++)
      for (let b = 0; b < B; b++) {
        const row = c.layout === 1 ? b * T + t : t * B + b;
        for (let h = 0; h < H; h++) out[(row * D + d) * H + h] = y[((t * D + d) * B + b) * H + h]!;
      }
  return out;
}

function compare(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  let max = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    expect(d <= 1e-5 + 1e-5 * Math.abs(want[i]!), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBe(
      true,
    );
    max = Math.max(max, d);
  }
  worst = Math.max(worst, max);
}

describe("ONNX import against ONNX Runtime", () => {
  afterAll(() =>
    console.log(`onnx-random: largest difference from ONNX Runtime ${worst.toExponential(2)}`),
  );

  it("draw every operator, direction, layout, activation and option", () => {
    const all = CASES.map((c) => c.summary).join("\n");
    const words = [
      ...["LSTM", "GRU", "RNN"].flatMap((op) =>
        ["forward", "reverse", "bidirectional"].map((d) => `${op} ${d}`),
      ),
      ...ACTIVATION_NAMES.map((a) => `"${a}"`),
      ...["clip", "input_forget", "activation_alpha", "activation_beta", " P", " lens", " states"],
      ...['"linear_before_reset":0', '"linear_before_reset":1'],
    ];
    for (const w of words) expect(all, w).toContain(w);
    for (const op of ["LSTM", "GRU", "RNN"]) expect(all).toMatch(new RegExp(`${op} \\w+ layout 1`));
    expect(all).toMatch(/reverse.* lens/);
  });

  it.each(CASES)("matches ONNX Runtime on seed $seed", async (c) => {
    const session = await ort.InferenceSession.create(encodeModel(c.oracle));
    const feeds = Object.fromEntries(
      [...c.feeds].map(([n, t]) => [
        n,
        new ort.Tensor(t.data instanceof Int32Array ? "int32" : "float32", t.data, t.shape),
      ]),
    );
    const want = await session.run(feeds);
    const { stack } = importOnnx(encodeModel(c.model), "random.onnx");
    const files = importedFiles(stack);
    const kernel = await kernelFor(files.cellText);
    const states: Record<string, Tensor> = {};
    for (const [feed, state] of [
      ["H0", "h"],
      ["C0", "c"],
    ] as const) {
      const t = c.feeds.get(feed);
      if (t) states[state] = { data: t.data as Float32Array, shape: t.shape };
    }
    const x = c.feeds.get("X")!;
    const input =
      c.layout === 1
        ? { data: swap01(x), shape: [c.B, c.T, c.I] }
        : { data: x.data as Float32Array, shape: x.shape };
    const lengths = c.feeds.get("L")?.data as Int32Array | undefined;
    const got = kernel
      .create(files.weights, { batchFirst: c.layout === 1 })
      .forward(input, states, lengths ? { lengths } : {});
    compare(got.output.data, yAsCellc(c, want["Y"]!.data as Float32Array), `${c.summary} Y`);
    for (const [out, state] of [
      ["Y_h", "h"],
      ["Y_c", "c"],
    ] as const) {
      const w = want[out];
      if (w) compare(got.states[state]!.data, w.data as Float32Array, `${c.summary} ${out}`);
    }
  });
});
