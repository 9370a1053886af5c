// Functions the generated code calls, emitted once each and only when used [sucrase HelperManager].
import { GEMM_JS, GEMM_TS } from "./gemm-js.js";
import type { CodeWriter } from "./writer.js";

interface Helper {
  readonly js: readonly string[];
  readonly ts: readonly string[];
}

const HELPERS: Readonly<Record<string, Helper>> = {
  gemm: { js: GEMM_JS.split("\n"), ts: GEMM_TS.split("\n") },
  // Exact and overflow-safe: exp of a positive number is never taken.
  sigmoid: {
    js: [
      "function sigmoid(x) {",
      "  if (x >= 0) return 1 / (1 + Math.exp(-x));",
      "  const e = Math.exp(x);",
      "  return e / (1 + e);",
      "}",
    ],
    ts: [
      "function sigmoid(x: number): number {",
      "  if (x >= 0) return 1 / (1 + Math.exp(-x));",
      "  const e = Math.exp(x);",
      "  return e / (1 + e);",
      "}",
    ],
  },
};

export class HelperManager {
  private readonly used = new Set<string>();

  /** Marks a helper as used and returns the name to call it by. */
  use(name: keyof typeof HELPERS): string {
    this.used.add(name);
    return name;
  }

  names(): string[] {
    return Object.keys(HELPERS);
  }

  emit(w: CodeWriter, typed: boolean): void {
    for (const name of Object.keys(HELPERS)) {
      if (!this.used.has(name)) continue;
      for (const line of typed ? HELPERS[name]!.ts : HELPERS[name]!.js) w.line(line);
      w.line();
    }
  }
}
