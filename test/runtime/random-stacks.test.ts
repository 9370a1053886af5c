// The interpreter against hand-written PyTorch equations on random stacks: several seeds,
// 1-3 layers, both directions, batch-first or not, projection, with and without biases, with and
// without sequence lengths.
import { describe, expect, it } from "vitest";
import { referenceForward } from "../../src/compiler/reference.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { compileCell } from "../helpers/cells.js";
import { randomTensor, rng } from "../helpers/random.js";
import { type RnnConfig, referenceRnn } from "./reference-rnn.js";

function makeWeights(cfg: RnnConfig, random: () => number, withBias: boolean): Map<string, Tensor> {
  const gates = cfg.kind === "lstm" ? 4 : 3;
  const H = cfg.hiddenSize;
  const Hout = cfg.projSize > 0 ? cfg.projSize : H;
  const D = cfg.bidirectional ? 2 : 1;
  const w = new Map<string, Tensor>();
  for (let l = 0; l < cfg.layers; l++) {
    for (let d = 0; d < D; d++) {
      const sfx = `_l${l}${d === 1 ? "_reverse" : ""}`;
      const inSize = l === 0 ? cfg.inputSize : D * Hout;
      w.set(`weight_ih${sfx}`, randomTensor(random, [gates * H, inSize]));
      w.set(`weight_hh${sfx}`, randomTensor(random, [gates * H, Hout]));
      if (withBias) {
        w.set(`bias_ih${sfx}`, randomTensor(random, [gates * H]));
        w.set(`bias_hh${sfx}`, randomTensor(random, [gates * H]));
      }
      if (cfg.projSize > 0) w.set(`weight_hr${sfx}`, randomTensor(random, [cfg.projSize, H]));
    }
  }
  return w;
}

function nested(t: Tensor, batchFirst: boolean): number[][][] {
  const [a, b, f] = t.shape as [number, number, number];
  const [T, B] = batchFirst ? [b, a] : [a, b];
  return Array.from({ length: T }, (_, ti) =>
    Array.from({ length: B }, (_, bi) => {
      const row = batchFirst ? bi * T + ti : ti * B + bi;
      return Array.from(t.data.subarray(row * f, (row + 1) * f));
    }),
  );
}

const CASES = Array.from({ length: 12 }, (_, seed) => {
  const random = rng(1000 + seed);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const kind: RnnConfig["kind"] = seed % 4 === 3 ? "gru" : "lstm";
  const cfg: RnnConfig = {
    kind,
    inputSize: pick(6),
    hiddenSize: pick(5),
    projSize: kind === "lstm" && seed % 3 === 1 ? pick(3) : 0,
    layers: 1 + (seed % 3),
    bidirectional: seed % 2 === 1,
  };
  const T = pick(5);
  const B = pick(3);
  // Every other seed gives each sample its own length, 1 to T.
  const lengths = seed % 2 === 0 ? Array.from({ length: B }, () => pick(T)) : undefined;
  return { seed, cfg, batchFirst: seed % 5 === 2, withBias: seed % 6 !== 4, T, B, lengths };
});

describe("reference interpreter on random stacks", () => {
  it.each(CASES)(
    "matches hand-written equations for seed $seed (lengths $lengths)",
    ({ seed, cfg, batchFirst, withBias, T, B, lengths }) => {
      const random = rng(seed);
      const weights = makeWeights(cfg, random, withBias);
      const input = randomTensor(
        random,
        batchFirst ? [B, T, cfg.inputSize] : [T, B, cfg.inputSize],
        1,
      );
      const D = cfg.bidirectional ? 2 : 1;
      const Hout = cfg.projSize > 0 ? cfg.projSize : cfg.hiddenSize;
      const h0 = randomTensor(random, [cfg.layers * D, B, Hout]);
      const c0 = randomTensor(random, [cfg.layers * D, B, cfg.hiddenSize]);
      const cell = cfg.kind === "gru" ? "gru" : cfg.projSize > 0 ? "lstmp" : "lstm";
      const initial: Record<string, Tensor> = cfg.kind === "gru" ? { h: h0 } : { h: h0, c: c0 };
      const options = { batchFirst, ...(lengths ? { lengths } : {}) };
      const got = referenceForward(compileCell(cell), weights, input, initial, options);

      const asStates = (t: Tensor) => nested(t, false);
      const want = referenceRnn(
        cfg,
        weights,
        nested(input, batchFirst),
        asStates(h0),
        asStates(c0),
        lengths,
      );
      const gotOutput = nested(got.output, batchFirst);
      expect(gotOutput.length).toBe(T);
      gotOutput.forEach((step, t) =>
        step.forEach((row, b) =>
          row.forEach((v, j) => expect(v).toBeCloseTo(want.output[t]![b]![j]!, 12)),
        ),
      );
      asStates(got.states["h"]!).forEach((layer, k) =>
        layer.forEach((row, b) =>
          row.forEach((v, j) => expect(v).toBeCloseTo(want.h[k]![b]![j]!, 12)),
        ),
      );
      if (cfg.kind === "lstm") {
        asStates(got.states["c"]!).forEach((layer, k) =>
          layer.forEach((row, b) =>
            row.forEach((v, j) => expect(v).toBeCloseTo(want.c[k]![b]![j]!, 12)),
          ),
        );
      }
    },
  );
});
