// The contract every implementation module fulfils, so run.mjs can treat them alike, and the
// helpers they share.

/**
 * A prepared benchmark: weights loaded, buffers ready. `run` does exactly the work being timed.
 * `output` returns the last run's outputs as float32, seq-first (T, B, outSize); for STREAM,
 * the T per-step outputs in order.
 * @typedef {{ run(): unknown, output(): Float32Array, dispose?(): void | Promise<void> }} Runner
 */

/**
 * @typedef {{ name: string, cells: readonly import("./cases.mjs").CellName[],
 *   prepare(c: import("./cases.mjs").Case): Promise<Runner> }} Impl
 */

/** Gathers H-row blocks of a [G*H, cols] matrix (or a [G*H] vector) in the order `blocks`. */
export function reorderGates(data, H, cols, blocks) {
  const out = new Float32Array(data.length);
  const rows = H * cols;
  blocks.forEach((b, k) => out.set(data.subarray(b * rows, (b + 1) * rows), k * rows));
  return out;
}

/** Copies step t of a seq-first (T, B, n) buffer into a fresh array, as a stream delivers it. */
export const frame = (data, t, n) => data.slice(t * n, (t + 1) * n);

export {};
