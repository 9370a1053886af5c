// How the fuzzers run. In `npm test`: a fixed seed and a few hundred cases per property, so a run
// is repeatable and quick. In `npm run fuzz` (CELLC_FUZZ_MINUTES set, 10 by default there): a
// random seed, printed on failure by fast-check, and as many cases as fit in each property's share
// of the time. Every case must end within CASE_BUDGET_MS, whatever it is given.
import { readFileSync, readdirSync } from "node:fs";
import { expect } from "vitest";

/** Set by `npm run fuzz`: the whole long run's length, shared among the properties. */
const MINUTES = Number(process.env["CELLC_FUZZ_MINUTES"] ?? "0");

/**
 * How many properties `npm run fuzz` runs (one after another: it runs the files in sequence), to
 * split the long run's time among them: counted in the fuzz files themselves, so a new property
 * takes its share without anyone updating a number.
 */
const PROPERTIES = readdirSync(new URL(".", import.meta.url))
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => readFileSync(new URL(f, import.meta.url), "utf8").split("fuzzParameters(").length - 1)
  .reduce((a, b) => a + b, 0);

export const LONG_RUN = MINUTES > 0;

/** No single case may take longer than this (a hang or a blow-up would). */
export const CASE_BUDGET_MS = 1000;

/** A vitest timeout for one property: its share of a long run, or generous for the quick one. */
export const PROPERTY_TIMEOUT_MS = LONG_RUN ? (MINUTES * 60_000) / PROPERTIES + 60_000 : 120_000;

/** The part of fast-check's parameters the fuzzers set (assignable to any property's). */
export interface FuzzParameters {
  readonly seed?: number;
  readonly numRuns: number;
  readonly interruptAfterTimeLimit?: number;
  readonly markInterruptAsFailure?: boolean;
}

/** fast-check parameters for a property that runs `quickRuns` cases in `npm test`. */
export function fuzzParameters(quickRuns: number): FuzzParameters {
  if (!LONG_RUN) return { seed: 20261202, numRuns: quickRuns };
  return {
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: (MINUTES * 60_000) / PROPERTIES,
    markInterruptAsFailure: false,
  };
}

/** Runs one case, failing it if it takes longer than CASE_BUDGET_MS. */
export function withinBudget<R>(what: string, run: () => R): R {
  const start = performance.now();
  const result = run();
  const ms = performance.now() - start;
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_BUDGET_MS);
  return result;
}

/** The same for an async case. */
export async function withinBudgetAsync<R>(what: string, run: () => Promise<R>): Promise<R> {
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(CASE_BUDGET_MS);
  return result;
}
