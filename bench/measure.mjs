// Timing: warm up, then time whole runs until a time budget is spent and report the median.
// Slow implementations are capped (fewer runs than asked, or one untimed-warm-up run); the
// result says so.

/** @typedef {{ warmRuns: number, warmMs: number, warmMaxMs: number, budgetMs: number,
 *   minRuns: number, maxMs: number, maxRuns: number }} Plan */

/** @type {Plan} about 1.5 s of timed runs per row, after >= 3 warm-up runs and >= 0.3 s */
export const FULL = {
  warmRuns: 3,
  warmMs: 300,
  warmMaxMs: 2000,
  budgetMs: 1500,
  minRuns: 5,
  maxMs: 8000,
  maxRuns: 20000,
};

/** @type {Plan} a smoke test: numbers are noisy */
export const QUICK = {
  warmRuns: 1,
  warmMs: 30,
  warmMaxMs: 500,
  budgetMs: 150,
  minRuns: 3,
  maxMs: 1000,
  maxRuns: 2000,
};

/**
 * @param {() => unknown} run one unit of work; awaited if it returns a promise
 * @param {Plan} plan
 * @returns {Promise<{ medianMs: number, runs: number, capped: boolean, cold?: boolean }>}
 */
export async function measure(run, plan) {
  globalThis.gc?.(); // with --expose-gc: start each row from a clean heap
  let warm = 0;
  const warmStart = performance.now();
  for (;;) {
    await run();
    warm++;
    const spent = performance.now() - warmStart;
    // A first run longer than the whole cap is the only sample: JIT warm-up is noise at that scale.
    if (warm === 1 && spent >= plan.maxMs)
      return { medianMs: spent, runs: 1, capped: true, cold: true };
    if (spent >= plan.warmMaxMs) break; // a single slow run is warm-up enough
    if (warm >= plan.warmRuns && spent >= plan.warmMs) break;
  }
  const samples = [];
  let total = 0;
  while (samples.length < plan.maxRuns) {
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    samples.push(ms);
    total += ms;
    if (total >= plan.maxMs) break;
    if (samples.length >= plan.minRuns && total >= plan.budgetMs) break;
  }
  return { medianMs: median(samples), runs: samples.length, capped: samples.length < plan.minRuns };
}

/** The median; the mean of the middle two for an even count. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Largest |a[i] - b[i]|, or Infinity when the lengths differ. */
export function maxAbsDiff(a, b) {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return Number.isNaN(d) ? Infinity : d;
}
