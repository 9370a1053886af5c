// `--target wasm|js` (which kernel a module carries) and `--threads N` (how `run` splits a batch).
import { type Target, TARGETS, isTarget } from "../compiler/codegen/target.js";
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

export function threadsFrom(value: unknown): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!/^\d+$/.test(String(value)) || n < 1)
    throw new UsageError(`--threads expects a positive whole number; got '${String(value)}'`);
  return n;
}
