// Stacks whose weights are all named `_reverse` run backward only (ONNX's direction 'reverse'):
// a layer's outputs and final states are those of the backward half of a bidirectional layer
// with the same weights, and each layer above reads the one below, on the kernel and the reference.
import { describe, expect, it } from "vitest";
import { compileOrThrow, loadKernel, PIPELINE, referenceForward } from "../../src/index.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellSource } from "../helpers/cells.js";
import { randomTensor, rng } from "../helpers/random.js";

const I = 3;
const H = 4;
const T = 5;
const B = 3;
const LENGTHS = [5, 2, 4];

function lstmWeights(random: () => number, suffix: string, inSize: number): [string, Tensor][] {
  return [
    [`weight_ih${suffix}`, randomTensor(random, [4 * H, inSize])],
    [`weight_hh${suffix}`, randomTensor(random, [4 * H, H])],
    [`bias_ih${suffix}`, randomTensor(random, [4 * H])],
  ];
}

/** The features [from, from + n) of every (t, b) row of a (T, B, F) tensor. */
function features(t: Tensor, from: number, n: number): number[] {
  const F = t.shape[2]!;
  const out: number[] = [];
  for (let row = 0; row < t.data.length / F; row++)
    out.push(...t.data.subarray(row * F + from, row * F + from + n));
  return out;
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  expect(Array.from(a).map((x, i) => Math.abs(x - b[i]!))).toSatisfy((d: number[]) =>
    d.every((x) => x <= 1e-6),
  );

describe("backward-only stacks", async () => {
  const { ir, optIR, source } = compileOrThrow(cellSource("lstm"), { file: "lstm.cell" });
  const kernel = await loadKernel(
    optIR,
    source,
    PIPELINE.map((p) => p.name),
  );
  const random = rng(77);
  const backward = lstmWeights(random, "_l0_reverse", I);
  const input = randomTensor(random, [T, B, I], 1);
  const h0 = randomTensor(random, [1, B, H]);
  const c0 = randomTensor(random, [1, B, H]);

  it("run one layer as the backward half of a bidirectional layer, lengths included", () => {
    const both = new Map([...lstmWeights(random, "_l0", I), ...backward]);
    const zeros = { data: new Float32Array(B * H), shape: [1, B, H] };
    const pair = (t: Tensor): Tensor => ({
      data: Float32Array.from([...zeros.data, ...t.data]),
      shape: [2, B, H],
    });
    for (const run of ["kernel", "reference"] as const) {
      const forward = (w: Map<string, Tensor>, init: Record<string, Tensor>) =>
        run === "kernel"
          ? kernel.create(w).forward(input, init, { lengths: LENGTHS })
          : referenceForward(ir, w, input, init, { lengths: LENGTHS });
      const one = forward(new Map(backward), { h: h0, c: c0 });
      const two = forward(both, { h: pair(h0), c: pair(c0) });
      close(one.output.data, features(two.output, H, H));
      expect(one.states["h"]!.shape).toEqual([1, B, H]);
      close(one.states["h"]!.data, two.states["h"]!.data.subarray(B * H));
      close(one.states["c"]!.data, two.states["c"]!.data.subarray(B * H));
    }
  });

  it("feed each backward layer the outputs of the one below", () => {
    const upper = lstmWeights(random, "_l1_reverse", H);
    const stack = kernel.create(new Map([...backward, ...upper]));
    const whole = stack.forward(input, {}, { lengths: LENGTHS });
    const first = kernel.create(new Map(backward)).forward(input, {}, { lengths: LENGTHS });
    const renamed = upper.map(([n, t]): [string, Tensor] => [n.replace("_l1", "_l0"), t]);
    const second = kernel.create(new Map(renamed)).forward(first.output, {}, { lengths: LENGTHS });
    close(whole.output.data, second.output.data);
    close(whole.states["h"]!.data.subarray(B * H), second.states["h"]!.data);
  });

  it("name a missing weight with its _reverse suffix", () => {
    const partial = new Map(backward.filter(([n]) => !n.startsWith("weight_hh")));
    expect(() => kernel.create(partial)).toThrow(/weight_hh_l0_reverse/);
  });
});
