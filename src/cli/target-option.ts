// `--target wasm|js` (which kernel a module carries) and `--threads N` (how `run` splits a batch).
import { type Target, TARGETS, isTarget } from "../compiler/codegen/target.js";
import { availableParallelism } from "node:os";
import { MAX_THREADS } from "../shared/limits.js";
import { printable } from "../shared/printable.js";
import { UsageError } from "./usage.js";

export const TARGET_OPTION = { target: { type: "string" } } as const;

export const TARGET_HELP = `  --target T        wasm (default): WebAssembly SIMD kernels, with the JavaScript kernel as
                    the fallback where SIMD is missing; js: JavaScript only`;

export function targetFrom(value: unknown): Target {
  if (value === undefined) return "wasm";
  if (isTarget(value)) return value;
  throw new UsageError(`--target expects ${TARGETS.join(" or ")}; got '${String(value)}'`);
}

export const THREADS_OPTION = { threads: { type: "string" } } as const;

/**
 * `--threads N`: a whole number from 1 to MAX_THREADS. More than the machine's cores is allowed
 * (the results are the same) but said once on stderr, since the extra threads only take turns.
 */
export function threadsFrom(value: unknown): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < 1 || n > MAX_THREADS) {
    const got = printable(String(value));
    throw new UsageError(`--threads expects a whole number from 1 to ${MAX_THREADS}; got '${got}'`);
  }
  const cores = availableParallelism();
  if (n > cores) {
    process.stderr.write(
      `cellc: note: --threads ${n} is more than this machine's ${cores} cores\n`,
    );
  }
  return n;
}
