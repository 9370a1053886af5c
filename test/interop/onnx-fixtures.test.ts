// Acceptance: models written by torch.onnx.export (tools/gen_onnx_fixtures.py: nn.LSTM with 2
// bidirectional layers, nn.GRU, nn.RNN(relu), batch_first, dynamic axes, old opsets, no constant
// folding) imported and run match PyTorch's outputs within each case's tolerance, through the
// module API and, for every case, through `cellc import` and the `cellc run` line it prints.
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { importOnnx } from "../../src/interop/onnx-import/index.js";
import { importedFiles } from "../../src/interop/stack/index.js";
import { compareTensors, type Tolerance } from "../../src/runtime/compare.js";
import { readNpy } from "../../src/runtime/node-files.js";
import type { Tensor } from "../../src/shared/tensor.js";
import { cellc } from "../helpers/cli.js";
import { kernelFor } from "./imported-kernel.js";

const ROOT = "test/interop/onnx-fixtures";
const NAMES = readdirSync(ROOT).sort();
const out = mkdtempSync(join(tmpdir(), "cellc-onnx-"));
let worst = 0;

interface Case {
  readonly description: string;
  readonly batch_first: boolean;
  readonly input: string;
  readonly states: Record<string, string>;
  readonly expected: Record<string, string>;
  readonly tolerance: Tolerance;
}

const readCase = (name: string): Case =>
  JSON.parse(readFileSync(join(ROOT, name, "case.json"), "utf8")) as Case;

function check(got: Tensor, file: string, tol: Tolerance, what: string): void {
  const r = compareTensors(got, readNpy(file), tol);
  expect(r.mismatch, what).toBeNull();
  expect(r.pass, `${what}: max |error| ${r.maxAbs}`).toBe(true);
  worst = Math.max(worst, r.maxAbs);
}

describe("ONNX import of torch.onnx.export models", () => {
  afterAll(() =>
    console.log(`onnx-fixtures: largest difference from PyTorch ${worst.toExponential(2)}`),
  );

  it("has the cases the generator writes", () => {
    expect(NAMES.length).toBeGreaterThanOrEqual(8);
  });

  it.each(NAMES)("matches PyTorch on %s through the module API", async (name) => {
    const c = readCase(name);
    const dir = join(ROOT, name);
    const { stack } = importOnnx(readFileSync(join(dir, "model.onnx")), "model.onnx");
    expect(stack.batchFirst).toBe(c.batch_first);
    const files = importedFiles(stack);
    const kernel = await kernelFor(files.cellText);
    const states = Object.fromEntries(
      Object.entries(c.states).map(([s, f]) => [s, readNpy(join(dir, f))]),
    );
    const got = kernel
      .create(files.weights, { batchFirst: stack.batchFirst })
      .forward(readNpy(join(dir, c.input)), states);
    for (const [what, file] of Object.entries(c.expected)) {
      const t = what === "output" ? got.output : got.states[what]!;
      check(t, join(dir, file), c.tolerance, `${name} ${what}`);
    }
  });

  it.each(NAMES)(
    "matches PyTorch on %s through cellc import and the run line it prints",
    (name) => {
      const c = readCase(name);
      const dir = join(ROOT, name);
      const target = join(out, name);
      const imported = cellc(["import", join(dir, "model.onnx"), "-o", target]);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      const line = imported.stdout.split("\n").find((l) => l.trim().startsWith("cellc run"))!;
      const files: Record<string, string> = {
        "INPUT.npy": join(dir, c.input),
        "H0.npy": join(dir, c.states["h"] ?? ""),
        "C0.npy": join(dir, c.states["c"] ?? ""),
        OUT: join(target, "out"),
      };
      const args = line
        .trim()
        .split(/\s+/)
        .slice(2)
        .map((w) => w.replace(/INPUT\.npy|H0\.npy|C0\.npy|OUT/g, (p) => files[p]!));
      const run = cellc(["run", ...args]);
      expect(run.code, run.stderr).toBe(0);
      for (const [what, file] of Object.entries(c.expected)) {
        const got = readNpy(
          join(target, "out", what === "output" ? "output.npy" : `${what}_n.npy`),
        );
        check(got, join(dir, file), c.tolerance, `${name} ${what} (cli)`);
      }
    },
  );
});
