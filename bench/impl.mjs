// The contract every implementation module fulfils, so run.mjs can treat them alike.

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

/** Copies step t of a seq-first (T, B, n) buffer into a fresh array, as a stream delivers it. */
export const frame = (data, t, n) => data.slice(t * n, (t + 1) * n);

export {};
