// Which kernels a generated module carries: "wasm", WebAssembly SIMD with the JavaScript kernel as
// the fallback where SIMD is missing (the default), or "js", JavaScript only.

export const TARGETS = ["wasm", "js"] as const;

export type Target = (typeof TARGETS)[number];

export function isTarget(value: unknown): value is Target {
  return TARGETS.some((t) => t === value);
}
