// `cellc` writing into a reader that went away (`cellc ir x.cell | head`): every verb that prints
// ends quietly, with no message and no stack trace, and with status 141 (128 + SIGPIPE, what a shell
// reports for `cat` or `seq` in the same place); other write errors are one line and exit 1.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_FRAME } from "../helpers/cli.js";

const CLOSED_OUTPUT_STATUS = 141;
const CASE = "test/fixtures/lstm_nobias";
const dir = mkdtempSync(join(tmpdir(), "cellc-closed-"));

// A chain of 200 gates whose IR printed after every pass runs to about 0.5 MB: more than a pipe
// (64 KiB) or a socket pair (about 208 KiB) holds, so cellc is still writing when its reader leaves,
// however fast it runs. lstm.cell's 14 KB fit in the buffer and may be written before the close.
const BIG_CELL = join(dir, "chain.cell");
const chain = Array.from(
  { length: 200 },
  (_, k) => `let a${k + 1} = tanh(a${k}) * a${k} + ${k + 1}`,
);
writeFileSync(
  BIG_CELL,
  [
    ...["cell chain", "size H", "input x : [H]", "state h : [H]", "let a0 = tanh(x + h)"],
    ...[...chain, "h' = a200", "output h'", ""],
  ].join("\n"),
);

interface Ending {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** What cellc wrote to the stream that stayed open. */
  readonly other: string;
}

/**
 * Runs cellc with `closed` read by nobody: its reading end is destroyed right after the start
 * (before cellc can write, so its first write fails) or after the first chunk arrives.
 */
function cellcClosing(
  args: readonly string[],
  closed: "stdout" | "stderr",
  when: "at-start" | "after-first-chunk",
): Promise<Ending> {
  const child = spawn(process.execPath, ["dist/cli/main.js", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 15_000,
  });
  const [reader, open] =
    closed === "stdout" ? [child.stdout, child.stderr] : [child.stderr, child.stdout];
  if (when === "at-start") reader.destroy();
  else reader.once("data", () => reader.destroy());
  let other = "";
  open.setEncoding("utf8").on("data", (chunk: string) => (other += chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, other }));
  });
}

function expectQuietEnd(r: Ending, closed: "stdout" | "stderr"): void {
  expect(r.signal).toBeNull();
  if (closed === "stdout") {
    expect(r.other).not.toMatch(STACK_FRAME);
    expect(r.other).not.toContain("internal error");
    expect(r.other).toBe("");
  }
  expect(r.code).toBe(CLOSED_OUTPUT_STATUS);
}

describe("cellc with a closed output", () => {
  it("ends quietly when the reader of 'ir cells/lstm.cell --after all' closes before it writes", async () => {
    const r = await cellcClosing(["ir", "cells/lstm.cell", "--after", "all"], "stdout", "at-start");
    expectQuietEnd(r, "stdout");
  });

  it("ends quietly when the reader closes after the first chunk of a large output", async () => {
    const r = await cellcClosing(["ir", BIG_CELL, "--after", "all"], "stdout", "after-first-chunk");
    expectQuietEnd(r, "stdout");
  });

  it("ends quietly in a shell pipeline into 'head -1'", async () => {
    // The braces report cellc's own status on stderr; the pipeline's status would be head's.
    const script = `{ "$0" dist/cli/main.js ir "$1" --after all; echo "status $?" >&2; } | head -1`;
    const child = spawn("sh", ["-c", script, process.execPath, BIG_CELL], { timeout: 15_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    await new Promise((resolve) => child.on("close", resolve));
    expect(stdout).toBe("# after fold-constants\n");
    expect(stderr).toBe(`status ${CLOSED_OUTPUT_STATUS}\n`);
  });

  // Every verb that prints, on the stream it prints to; run writes its files, then one line to stderr.
  it.each<[string, readonly string[], "stdout" | "stderr"]>([
    ["check", ["check", "cells/lstm.cell", "cells/gru.cell"], "stdout"],
    ["ir", ["ir", "cells/lstm.cell"], "stdout"],
    ["compile to stdout", ["compile", "cells/lstm.cell"], "stdout"],
    ["compare", ["compare", CASE], "stdout"],
    ["run", ["run", "cells/lstm.cell", ...runFiles()], "stderr"],
    ["--help", ["--help"], "stdout"],
    ["help VERB", ["help", "ir"], "stdout"],
    ["--version", ["--version"], "stdout"],
  ])("ends quietly when %s cannot write", async (_, args, closed) => {
    expectQuietEnd(await cellcClosing(args, closed, "at-start"), closed);
  });

  it.skipIf(!existsSync("/dev/full"))(
    "reports another write error in one line, exit 1",
    async () => {
      // /dev/full fails every write with ENOSPC, as a full disk would behind `> file`.
      const full = openSync("/dev/full", "w");
      const child = spawn(process.execPath, ["dist/cli/main.js", "ir", "cells/lstm.cell"], {
        stdio: ["ignore", full, "pipe"],
        timeout: 15_000,
      });
      closeSync(full);
      let stderr = "";
      child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(stderr).toMatch(/^cellc: cannot write the output: ENOSPC: [^\n]*\n$/);
      expect(code).toBe(1);
    },
  );
});

function runFiles(): string[] {
  const out = join(dir, "run-out");
  return ["--weights", join(CASE, "weights.safetensors"), "--input", join(CASE, "input.npy")]
    .concat(["--state", `h=${join(CASE, "h0.npy")}`, "--state", `c=${join(CASE, "c0.npy")}`])
    .concat(["--out", out]);
}
