// Seeded random data for tests: the same seed gives the same tensors on every machine.
import type { Tensor } from "../../src/shared/tensor.js";

/** mulberry32: tiny, fast, and good enough to fill test tensors. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [-scale, scale), stored as float32 like real weights. */
export function randomTensor(
  random: () => number,
  shape: readonly number[],
  scale = 0.5,
): Tensor<Float32Array> {
  const n = shape.reduce((p, d) => p * d, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (random() * 2 - 1) * scale;
  return { data, shape: [...shape] };
}
