// `cellc run` as a user runs it on every reference case in test/fixtures: the options come from
// case.json, and the .npy files it writes must match the case's expected arrays within the case's
// own tolerance, once through the compiled float32 kernel and once through the float64 interpreter.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareTensors } from "../../src/runtime/compare.js";
import { readNpy } from "../../src/runtime/node-files.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import type { ReferenceCase } from "../../src/runtime/reference-case.js";
import { FIXTURE_DIR, FIXTURE_NAMES } from "../helpers/cells.js";
import { STACK_FRAME, type CliResult } from "../helpers/cli.js";

const outRoot = mkdtempSync(join(tmpdir(), "cellc-run-"));

/** Like `cellc` from test/helpers/cli.ts, but without blocking, so cases can run concurrently. */
function cellcAsync(args: readonly string[]): Promise<CliResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["dist/cli/main.js", ...args],
      { encoding: "utf8", timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr, ms: performance.now() - start });
      },
    );
  });
}

/** The command line a user would type for a case, built from its case.json. */
function runArgs(c: ReferenceCase, out: string): string[] {
  return [
    "run",
    `cells/${c.cell}.cell`,
    "--weights",
    c.weightsFile,
    "--input",
    c.inputFile,
    ...Object.entries(c.stateFiles).flatMap(([name, file]) => ["--state", `${name}=${file}`]),
    ...(c.lengthsFile === null ? [] : ["--lengths", c.lengthsFile]),
    ...(c.batchFirst ? ["--batch-first"] : []),
    ...Object.entries(c.activations).flatMap(([slot, spec]) => ["--act", `${slot}=${spec}`]),
    "--out",
    out,
  ];
}

/** The file `cellc run` writes for an expected tensor: output.npy, or <state>_n.npy. */
const outFile = (tensorName: string): string =>
  tensorName === "output" ? "output.npy" : `${tensorName}_n.npy`;

/** The dtype in a .npy header, read from the raw bytes rather than through our reader. */
function npyDescr(path: string): string | undefined {
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 6).equals(Buffer.from("\x93NUMPY", "latin1"))).toBe(true);
  const header = bytes.subarray(10, 10 + bytes.readUInt16LE(8)).toString("latin1");
  return /'descr':\s*'([^']*)'/.exec(header)?.[1];
}

const MODES = [
  { label: "compiled kernel", flags: [] },
  { label: "reference interpreter", flags: ["--reference"] },
  { label: "JavaScript kernel, 2 threads", flags: ["--target", "js", "--threads", "2"] },
] as const;

const LECTURE_OUTPUT = [0, 0, 0, 0, 0, 7, 0, 0, 6];

describe("cellc run", () => {
  it("finds the reference cases, the lecture case among them", () => {
    expect(FIXTURE_NAMES.length).toBeGreaterThan(0);
    expect(FIXTURE_NAMES).toContain("lee_linear");
  });

  const table = FIXTURE_NAMES.flatMap((name) =>
    MODES.map((mode) => [name, mode.label, mode.flags] as const),
  );

  it.concurrent.for(table)(
    "writes float32 output and final states matching case %s when run with the %s",
    async ([name, , flags], { expect }) => {
      const c = loadReferenceCase(join(FIXTURE_DIR, name));
      const out = join(outRoot, `${name}${flags.join("")}`);
      const r = await cellcAsync([...runArgs(c, out), ...flags]);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^wrote output\.npy \[[\d, ]+\].* to .+\n$/);
      // One file per expected tensor (output and every state), and nothing else.
      expect(Object.keys(c.expected)).toContain("output");
      const files = Object.keys(c.expected).map(outFile);
      expect(readdirSync(out).sort()).toEqual([...files].sort());
      for (const [tensorName, want] of Object.entries(c.expected)) {
        const path = join(out, outFile(tensorName));
        expect(npyDescr(path), path).toBe("<f4");
        const got = readNpy(path);
        expect(got.data).toBeInstanceOf(Float32Array);
        const cmp = compareTensors(got, want, c.tolerance);
        expect(cmp.mismatch, `${name}/${tensorName}`).toBeNull();
        const why = `${name}/${tensorName}: max abs error ${cmp.maxAbs} (atol ${c.tolerance.atol}, rtol ${c.tolerance.rtol})`;
        expect(cmp.pass, why).toBe(true);
      }
    },
  );

  it("notes on stderr, and still runs, when --threads is more than the machine's cores", async () => {
    const c = loadReferenceCase(join(FIXTURE_DIR, "lstm_seed002"));
    const threads = availableParallelism() + 1;
    const out = join(outRoot, "oversubscribed");
    const r = await cellcAsync([...runArgs(c, out), "--threads", String(threads)]);
    expect(r.code, r.stderr).toBe(0);
    const note = `cellc: note: --threads ${threads} is more than this machine's ${threads - 1} cores`;
    expect(r.stderr.split("\n")[0]).toBe(note);
    const got = readNpy(join(out, "output.npy"));
    expect(compareTensors(got, c.expected["output"]!, c.tolerance).pass).toBe(true);
  });

  it("holds exactly 0 0 0 0 0 7 0 0 6 in the lecture case's expected output", () => {
    const c = loadReferenceCase(join(FIXTURE_DIR, "lee_linear"));
    expect(c.cell).toBe("linear_lstm");
    expect(Array.from(c.expected["output"]!.data)).toEqual(LECTURE_OUTPUT);
  });

  it.concurrent.for(MODES.map((mode) => [mode.label, mode.flags] as const))(
    "writes exactly 0 0 0 0 0 7 0 0 6 for the lecture case when run with the %s",
    async ([, flags], { expect }) => {
      const c = loadReferenceCase(join(FIXTURE_DIR, "lee_linear"));
      const out = join(outRoot, `lecture${flags.join("")}`);
      const r = await cellcAsync([
        "run",
        "cells/linear_lstm.cell",
        "--weights",
        c.weightsFile,
        "--input",
        c.inputFile,
        "--out",
        out,
        ...flags,
      ]);
      expect(r.code, r.stderr).toBe(0);
      const output = readNpy(join(out, "output.npy"));
      expect(output.shape).toEqual([9, 1, 1]);
      expect(Array.from(output.data)).toEqual(LECTURE_OUTPUT);
    },
  );
});
