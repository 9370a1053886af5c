// Timing: warm up, then time whole runs until a time budget is spent and report the median.
// Slow implementations are capped (fewer runs than asked, or one untimed-warm-up run); the
// result says so.

/** @typedef {{ warmRuns: number, warmMs: number, warmMaxMs: number, budgetMs: number,
 *   minRuns: number, maxMs: number, maxRuns: number, rounds?: number }} Plan */

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

/** @typedef {{ medianMs: number, runs: number, capped: boolean, cold?: boolean }} Timing */

/** Rounds that the timed runs of one case's implementations are spread over (unless plan.rounds). */
const ROUNDS = 5;

/**
 * @param {() => unknown} run one unit of work; awaited if it returns a promise
 * @param {Plan} plan
 * @returns {Promise<Timing>}
 */
export async function measure(run, plan) {
  const [timing] = await measureInTurns([run], plan, (_, e) => {
    throw e;
  });
  return timing;
}

/**
 * Times several implementations of one case in turns: each is warmed up, then the timed budget
 * is cut into ROUNDS rounds, each visiting every implementation once. A machine that slows down
 * for a while (this one shares its host) then slows every row of the case alike, so the ratios
 * between them stay fair; timing one row after another let a slow spell land on one row only.
 * @param {(() => unknown)[]} runs
 * @param {Plan} plan
 * @param {(index: number, error: unknown) => void} failed called once for a run that throws; it
 *   is left out from then on and its timing is null
 * @returns {Promise<(Timing | null)[]>}
 */
export async function measureInTurns(runs, plan, failed) {
  // With --expose-gc: each case starts from a clean heap. Only here: a forced collection shrinks
  // the heap, and code that allocates (prettier, say) then collects more often: forcing one
  // before every turn doubled the generateModule times.
  globalThis.gc?.();
  const rows = runs.map((run) => ({ run, samples: [], total: 0, done: false, timing: null }));
  const attempt = async (i, body) => {
    try {
      await body(rows[i]);
    } catch (e) {
      rows[i].done = true;
      rows[i].failed = true;
      failed(i, e);
    }
  };
  for (let i = 0; i < rows.length; i++) {
    await attempt(i, async (row) => {
      const cold = await warmUp(row.run, plan);
      if (cold) Object.assign(row, { timing: cold, done: true });
    });
  }
  const rounds = plan.rounds ?? ROUNDS;
  const slice = plan.budgetMs / rounds;
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].done) continue;
      await attempt(i, async (row) => {
        const [start, count] = [row.total, row.samples.length];
        do await timeOne(row, plan);
        while (
          !row.done &&
          row.total - start < slice &&
          row.samples.length - count < plan.maxRuns / rounds
        );
      });
    }
  }
  for (let i = 0; i < rows.length; i++) {
    await attempt(i, async (row) => {
      while (!row.done && row.samples.length < plan.minRuns) await timeOne(row, plan);
    });
  }
  return rows.map((row) => {
    if (row.failed) return null;
    if (row.timing) return row.timing;
    const runs = row.samples.length;
    return { medianMs: median(row.samples), runs, capped: runs < plan.minRuns };
  });
}

/** Warm-up runs; a first run longer than the whole cap is returned as the only sample. */
async function warmUp(run, plan) {
  let warm = 0;
  const warmStart = performance.now();
  for (;;) {
    await run();
    warm++;
    const spent = performance.now() - warmStart;
    // JIT warm-up is noise at that scale.
    if (warm === 1 && spent >= plan.maxMs)
      return { medianMs: spent, runs: 1, capped: true, cold: true };
    if (spent >= plan.warmMaxMs) return null; // a single slow run is warm-up enough
    if (warm >= plan.warmRuns && spent >= plan.warmMs) return null;
  }
}

/** One timed run; the row is done when its time cap or run cap is reached. */
async function timeOne(row, plan) {
  const t0 = performance.now();
  await row.run();
  const ms = performance.now() - t0;
  row.samples.push(ms);
  row.total += ms;
  if (row.total >= plan.maxMs || row.samples.length >= plan.maxRuns) row.done = true;
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
