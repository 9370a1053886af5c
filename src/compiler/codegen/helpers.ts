// Functions the generated code calls, emitted once each and only when used [sucrase HelperManager].
// Their text is written formatted (test/compiler/golden.test.ts checks it), so that generated
// modules need not format them again.
import { GEMM_JS, GEMM_TS } from "./gemm-js.js";

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

  /** The used helpers, each followed by a blank line: formatted, as prettier leaves them. */
  text(typed: boolean): string {
    return Object.keys(HELPERS)
      .filter((name) => this.used.has(name))
      .map((name) => `${(typed ? HELPERS[name]!.ts : HELPERS[name]!.js).join("\n")}\n\n`)
      .join("");
  }
}
