// The benchmark shapes and their data: seeded PyTorch-style weights and inputs, so every
// implementation sees identical numbers. Buffers are float32, seq-first (T, B, I).

/** @typedef {"lstm" | "gru" | "lstmp"} CellName */
/**
 * @typedef {{ id: string, cell: CellName, T: number, B: number, I: number, H: number, P: number,
 *   stream: boolean, flops: number, weights: Record<string, Float32Array>, input: Float32Array,
 *   outSize: number }} Case
 */

/** (T, B, I, H); STREAM runs T steps as T separate calls with B = 1. */
export const SHAPES = [
  { id: "S0", T: 9, B: 1, I: 4, H: 1, stream: false },
  { id: "S1", T: 100, B: 1, I: 128, H: 128, stream: false },
  { id: "S2", T: 100, B: 16, I: 256, H: 256, stream: false },
  { id: "S3", T: 50, B: 64, I: 512, H: 512, stream: false },
  { id: "STREAM", T: 1000, B: 1, I: 32, H: 32, stream: true },
];

/** mulberry32: a tiny seeded PRNG with uniform output in [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const uniform = (next, n, k) => Float32Array.from({ length: n }, () => (2 * next() - 1) * k);

/** The projection size for LSTMP (PyTorch requires 0 < P < H, so S0's H = 1 has none). */
export const projSize = (H) => Math.floor(H / 2);

/** FLOPs of one forward pass, counting a multiply-add as 2. */
function flopsOf(cell, { T, B, I, H }, P) {
  if (cell === "gru") return 2 * 3 * H * (I + H) * B * T;
  if (cell === "lstmp") return (2 * 4 * H * (I + P) + 2 * P * H) * B * T;
  return 2 * 4 * H * (I + H) * B * T;
}

/**
 * Weights as PyTorch initialises them (U(-1/sqrt(H), 1/sqrt(H))) and inputs in U(-1, 1).
 * @param {CellName} cell @param {typeof SHAPES[number]} shape
 * @returns {Case}
 */
export function makeCase(cell, shape, seed = 1234) {
  const { T, B, I, H } = shape;
  const next = rng(seed + H * 7 + I * 13 + T);
  const P = cell === "lstmp" ? projSize(H) : H;
  const G = cell === "gru" ? 3 : 4;
  const k = 1 / Math.sqrt(H);
  const weights = {
    weight_ih: uniform(next, G * H * I, k),
    weight_hh: uniform(next, G * H * P, k),
    bias_ih: uniform(next, G * H, k),
    bias_hh: uniform(next, G * H, k),
  };
  if (cell === "lstmp") weights.weight_hr = uniform(next, P * H, k);
  const input = uniform(next, T * B * I, 1);
  const flops = flopsOf(cell, shape, P);
  return { ...shape, cell, P, weights, input, flops, outSize: P };
}
