// `cellc run` and `cellc compare` with .pt weights, as a user runs them: a state_dict saved by
// PyTorch gives the same output files, byte for byte, as the same weights in .safetensors; a case
// folder whose case.json names a .pt passes; and every hostile or refused .pt ends in one line on
// stderr, exit status 1, no output and nothing run.
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readSafetensors, writeNpy } from "../../src/runtime/node-files.js";
import { tensor } from "../../src/shared/tensor.js";
import { FIXTURE_DIR } from "../helpers/cells.js";
import { STACK_FRAME, cellc } from "../helpers/cli.js";
import { ptFromTensors } from "../runtime/pt-bytes.js";

const PT_DIR = "test/fixtures-pt";
const MARKER = "/tmp/cellc-pwned";
const dir = mkdtempSync(join(tmpdir(), "cellc-pt-"));
const INPUT = join(dir, "x.npy");
const values = Array.from({ length: 5 * 2 * 3 }, (_, i) => Math.sin(i * 0.7));
writeNpy(INPUT, tensor(Float32Array.from(values), [5, 2, 3]));

function run(cell: string, weights: string, out: string) {
  return cellc(["run", `cells/${cell}.cell`, "--weights", weights, "--input", INPUT, "--out", out]);
}

describe("cellc run with .pt weights", () => {
  it.each([
    ["lstm_2layer_bidir.float32", "lstm"],
    ["lstm_2layer_bidir.float16", "lstm"],
    ["lstmp.float32", "lstmp"],
    ["gru.bfloat16", "gru"],
    ["rnn.float64", "rnn"],
  ])("writes for %s.pt what the same weights in .safetensors give", (name, cell) => {
    const outs = ["pt", "safetensors"].map((ext) => {
      const out = join(dir, `${name}-${ext}`);
      const r = run(cell, join(PT_DIR, `${name}.${ext}`), out);
      expect(r.code, r.stderr).toBe(0);
      return out;
    });
    const files = readdirSync(outs[0]!).sort();
    expect(files).toContain("output.npy");
    for (const f of files) {
      const [a, b] = outs.map((o) => readFileSync(join(o, f)));
      expect(a!.equals(b!), f).toBe(true);
    }
  });
});

describe("cellc compare with a case whose weights are a .pt", () => {
  it("passes the lstm_bidir case with its weights saved in torch.save's format", () => {
    const caseDir = join(dir, "lstm_bidir_pt");
    cpSync(join(FIXTURE_DIR, "lstm_bidir"), caseDir, { recursive: true });
    const weights = readSafetensors(join(caseDir, "weights.safetensors"));
    writeFileSync(join(caseDir, "weights.pt"), ptFromTensors(weights));
    rmSync(join(caseDir, "weights.safetensors"));
    const spec = JSON.parse(readFileSync(join(caseDir, "case.json"), "utf8")) as object;
    writeFileSync(join(caseDir, "case.json"), JSON.stringify({ ...spec, weights: "weights.pt" }));
    const r = cellc(["compare", caseDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("PASS");
  });
});

const REFUSED = ["hostile", "refused"].flatMap((sub) =>
  readdirSync(join(PT_DIR, sub)).map((f) => join(PT_DIR, sub, f)),
);

describe("cellc run with hostile or refused .pt weights", () => {
  beforeAll(() => rmSync(MARKER, { force: true }));

  it.each(REFUSED)("refuses %s with one line and exit status 1, running nothing", (path) => {
    const out = join(dir, "refused-out");
    const r = run("lstm", path, out);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr.split("\n"), r.stderr).toHaveLength(2);
    expect(r.stderr.startsWith(`cellc: ${path}: `), r.stderr).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(existsSync(MARKER), "a hostile pickle ran").toBe(false);
  });
});
