// Runs the built `cellc` binary (dist/, built by `npm test` and by `npm ci`) as a user would.
import { spawnSync } from "node:child_process";

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export function cellc(args: readonly string[], input?: string): CliResult {
  const start = performance.now();
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], {
    encoding: "utf8",
    input,
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start };
}

/** A stack trace would show frames like `    at foo (file.js:1:2)`. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m;
