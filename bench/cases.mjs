// The benchmark shapes and their data: seeded PyTorch-style weights and inputs, so every
// implementation sees identical numbers. Buffers are float32, seq-first (T, B, I).

/** @typedef {"lstm" | "layernorm_lstm" | "gru" | "gru_reset_before" | "lstmp"} CellName */
/**
 * @typedef {{ id: string, cell: CellName, T: number, B: number, I: number, H: number, P: number,
 *   stream: boolean, flops: number, weights: Record<string, Float32Array>,
 *   shapes: Record<string, number[]>, input: Float32Array, outSize: number }} Case
 */

/** (T, B, I, H); STREAM runs T steps as T separate calls with B = 1. */
export const SHAPES = [
  { id: "S0", T: 9, B: 1, I: 4, H: 1, stream: false },
  { id: "S1", T: 100, B: 1, I: 128, H: 128, stream: false },
  { id: "S2", T: 100, B: 16, I: 256, H: 256, stream: false },
  { id: "S3", T: 50, B: 64, I: 512, H: 512, stream: false },
  { id: "STREAM", T: 1000, B: 1, I: 32, H: 32, stream: true },
];

/**
 * The cells benchmarked, in table order (cells/<id>.cell): their label in the tables, the gate
 * blocks stacked in their weight matrices, the shapes they run on (all when absent), for a
 * variant the plain cell its time is compared with (run.mjs, measureVariants), and the largest
 * output difference from cellc that still counts as agreement where it is not report.mjs'
 * TOLERANCE.
 */
export const CELLS = [
  { id: "lstm", label: "LSTM", gates: 4 },
  // Its output moves 1.1e-4 at S2 when the weights move by half a float32 unit, in float64 (the
  // LSTM's: 2e-8): layer norm rescales W_hh h to unit variance, so rounding grows over the steps.
  {
    id: "layernorm_lstm",
    label: "LN-LSTM",
    gates: 4,
    shapes: ["S1", "S2"],
    base: "lstm",
    tolerance: 1e-3,
  },
  { id: "gru", label: "GRU", gates: 3 },
  { id: "gru_reset_before", label: "GRU-RB", gates: 3, shapes: ["S1", "S2"], base: "gru" },
  { id: "lstmp", label: "LSTMP", gates: 4 },
];

/** A cell's entry in CELLS. */
export const cellInfo = (id) => {
  const info = CELLS.find((c) => c.id === id);
  if (!info) throw new Error(`unknown bench cell '${id}'`);
  return info;
};

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

/**
 * FLOPs of one forward pass: the products only, counting a multiply-add as 2. Element-wise work
 * is not counted, layer norm's included: LN-LSTM counts as the LSTM (same products) and GRU-RB
 * as the GRU (the same multiply-adds in two products), so GFLOP/s compare across cells and
 * equal GFLOP/s means equal time. What the variants add is in extraFlopsOf.
 */
function flopsOf(cell, { T, B, I, H }, P) {
  if (cell === "lstmp") return (2 * 4 * H * (I + P) + 2 * P * H) * B * T;
  return 2 * cellInfo(cell).gates * H * (I + H) * B * T;
}

/**
 * Layer norm over n values: 2 reduction adds (the sum, the sum of squares) and 5 element-wise
 * ops (subtract the mean, square, divide by the deviation, scale, shift) per value.
 */
export const LAYER_NORM_FLOPS_PER_VALUE = 7;

/**
 * The element-wise FLOPs a variant adds to its plain cell per step and sample: LN-LSTM's three
 * layer norms over 4H + 4H + H values; GRU-RB's r * h before its second product (H).
 */
export function extraFlopsOf(cell, { H }) {
  if (cell === "layernorm_lstm") return LAYER_NORM_FLOPS_PER_VALUE * (4 * H + 4 * H + H);
  if (cell === "gru_reset_before") return H;
  return 0;
}

/**
 * Weights as PyTorch initialises them (U(-1/sqrt(H), 1/sqrt(H))), layer-norm gains in
 * 1 + U(-0.1, 0.1) and shifts in U(-0.1, 0.1), inputs in U(-1, 1), with their PyTorch shapes.
 * @param {CellName} cell @param {typeof SHAPES[number]} shape
 * @returns {Case}
 */
export function makeCase(cell, shape, seed = 1234) {
  const { T, B, I, H } = shape;
  const next = rng(seed + H * 7 + I * 13 + T);
  const P = cell === "lstmp" ? projSize(H) : H;
  const G = cellInfo(cell).gates;
  const k = 1 / Math.sqrt(H);
  const shapes = { weight_ih: [G * H, I], weight_hh: [G * H, P] };
  if (cell === "layernorm_lstm") {
    // No biases (the shifts play their part); gains near 1 and shifts near 0, as after training.
    for (const [n, size] of [
      ["ih", G * H],
      ["hh", G * H],
      ["c", H],
    ])
      Object.assign(shapes, { [`gamma_${n}`]: [size], [`beta_${n}`]: [size] });
  } else Object.assign(shapes, { bias_ih: [G * H], bias_hh: [G * H] });
  if (cell === "lstmp") shapes.weight_hr = [P, H];
  const weights = {};
  for (const [name, dims] of Object.entries(shapes)) {
    const n = dims.reduce((a, d) => a * d, 1);
    const values = uniform(next, n, /^(gamma|beta)_/.test(name) ? 0.1 : k); // gains: 1 + U(-0.1, 0.1)
    if (name.startsWith("gamma_")) values.forEach((v, i) => (values[i] = 1 + v));
    weights[name] = values;
  }
  const input = uniform(next, T * B * I, 1);
  const flops = flopsOf(cell, shape, P);
  return { ...shape, cell, P, weights, shapes, input, flops, outSize: P };
}
