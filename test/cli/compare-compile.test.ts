// `cellc compare` and `cellc compile` as a user sees them. compare: one PASS line per reference
// case and a summary, the per-tensor table for one case, FAIL on a tampered expected output, ERROR
// for the wrong cell. compile: the files written, the header, determinism, --ts, --act, --passes,
// and the errors; the modules it writes are imported and checked against the fixtures.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { importKernel, type KernelModule } from "../../src/kernel.js";
import { compareTensors } from "../../src/runtime/compare.js";
import { readNpy, writeNpy } from "../../src/runtime/node-files.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { tensor } from "../../src/shared/tensor.js";
import { FIXTURE_DIR, FIXTURE_NAMES } from "../helpers/cells.js";
import { STACK_FRAME, cellc } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "cellc-compare-compile-"));
const VERSION = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;

const lines = (text: string): string[] => text.trimEnd().split("\n");
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A copy of a fixture case whose expected output has one element moved by `factor` tolerances. */
function tamperedCase(name: string, factor: number): string {
  const target = join(dir, `${name}-x${factor}`);
  cpSync(join(FIXTURE_DIR, name), target, { recursive: true });
  const c = loadReferenceCase(target);
  const output = readNpy(join(target, "output.npy"));
  const data = Float32Array.from(output.data);
  const { atol, rtol } = c.tolerance;
  data[0] = data[0]! + factor * (atol + rtol * Math.abs(data[0]!));
  writeNpy(join(target, "output.npy"), tensor(data, output.shape));
  return target;
}

/** The per-tensor rows of a one-case compare table: name, then the kernel and interpreter verdicts. */
function verdicts(stdout: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of lines(stdout)) {
    const m = /^\s+(\w+)\s+\[[\d, ]+\]\s+\S+\s+\S+\s+(PASS|FAIL)\s+\S+\s+\S+\s+(PASS|FAIL)$/.exec(
      line,
    );
    if (m) rows.set(m[1]!, [m[2]!, m[3]!]);
  }
  return rows;
}

/** Runs a fixture case through a compiled module, as a user of the module would. */
function expectMatchesCase(kernel: KernelModule, name: string): void {
  const c = loadReferenceCase(join(FIXTURE_DIR, name));
  const lengths = c.lengths ? { lengths: c.lengths } : {};
  const model = kernel.create(c.weights, { batchFirst: c.batchFirst });
  const result = model.forward(c.input, c.states, lengths);
  for (const [tensorName, want] of Object.entries(c.expected)) {
    const got = tensorName === "output" ? result.output : result.states[tensorName];
    expect(got, `no tensor '${tensorName}'`).toBeDefined();
    const cmp = compareTensors(got!, want, c.tolerance);
    expect(cmp.mismatch, `${name}/${tensorName}`).toBeNull();
    expect(cmp.pass, `${name}/${tensorName}: max abs error ${cmp.maxAbs}`).toBe(true);
  }
}

/** Whether a fixture case's expected output is reproduced by a compiled module. */
function matchesCase(kernel: KernelModule, name: string): boolean {
  const c = loadReferenceCase(join(FIXTURE_DIR, name));
  const result = kernel.create(c.weights, { batchFirst: c.batchFirst }).forward(c.input, c.states);
  return compareTensors(result.output, c.expected["output"]!, c.tolerance).pass;
}

const importFile = (path: string): Promise<KernelModule> =>
  importKernel(readFileSync(path, "utf8"));

const BAD_CELL = "cell bad\nsize I\ninput x : [I]\nstate h : [I]\nh' = hprev\noutput h'\n";

describe("cellc compare", () => {
  it("prints one PASS line per case and the summary when given every fixture folder", () => {
    expect(FIXTURE_NAMES.length).toBeGreaterThan(1);
    const r = cellc(["compare", ...FIXTURE_NAMES.map((n) => `${FIXTURE_DIR}/${n}/`)]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stdout).toBe(0);
    const out = lines(r.stdout);
    // A header, one line per case in the order given, and the summary.
    expect(out).toHaveLength(FIXTURE_NAMES.length + 2);
    for (const [i, name] of FIXTURE_NAMES.entries()) {
      expect(out[i + 1]).toMatch(new RegExp(`^${name}\\s+PASS\\s`));
    }
    const n = FIXTURE_NAMES.length;
    expect(out.at(-1)).toBe(`${n} cases: ${n} passed, 0 failed`);
  });

  it("prints every tensor with a PASS for kernel and interpreter when given one case", () => {
    const name = "lstmp_2layer_bidir";
    const c = loadReferenceCase(join(FIXTURE_DIR, name));
    const r = cellc(["compare", join(FIXTURE_DIR, name)]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stdout).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe(`${name}: ${c.description}`);
    expect(r.stdout).toMatch(/^\s+tensor\s+shape\s+kernel abs\s+rel\s+interpreter abs\s+rel$/m);
    for (const [tensorName, want] of Object.entries(c.expected)) {
      const shape = literal(`[${want.shape.join(", ")}]`);
      expect(r.stdout).toMatch(new RegExp(`^\\s+${tensorName}\\s+${shape}\\s`, "m"));
    }
    const rows = verdicts(r.stdout);
    expect([...rows.keys()].sort()).toEqual(Object.keys(c.expected).sort());
    for (const [tensorName, verdict] of rows) expect(verdict, tensorName).toEqual(["PASS", "PASS"]);
    expect(out.at(-1)).toBe("PASS");
  });

  it("prints FAIL for the output and exits 1 when the expected output was moved past the tolerance", () => {
    const tampered = tamperedCase("lstm_seed002", 3);
    const r = cellc(["compare", tampered]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stdout).toBe(1);
    const rows = verdicts(r.stdout);
    expect(rows.get("output")).toEqual(["FAIL", "FAIL"]);
    expect(rows.get("h")).toEqual(["PASS", "PASS"]);
    expect(rows.get("c")).toEqual(["PASS", "PASS"]);
    expect(lines(r.stdout).at(-1)).toBe("FAIL");
  });

  it("still passes when the expected output was moved by half the tolerance", () => {
    const r = cellc(["compare", tamperedCase("lstm_seed002", 0.5)]);
    expect(r.code, r.stdout).toBe(0);
    expect(verdicts(r.stdout).get("output")).toEqual(["PASS", "PASS"]);
  });

  it("counts the tampered case as failed in the summary when given several cases", () => {
    const tampered = tamperedCase("lstm_seed002", 3);
    const r = cellc(["compare", join(FIXTURE_DIR, "lstm_seed002"), tampered]);
    expect(r.code, r.stdout).toBe(1);
    const out = lines(r.stdout);
    expect(out[1]).toMatch(/^lstm_seed002\s+PASS\s/);
    expect(out[2]).toMatch(/^lstm_seed002-x3\s+FAIL\s/);
    expect(out.at(-1)).toBe("2 cases: 1 passed, 1 failed");
  });

  it("reports an ERROR line naming the weights and exits 1 when --cell is the wrong cell", () => {
    const caseDir = join(FIXTURE_DIR, "lstm_bidir");
    const c = loadReferenceCase(caseDir);
    const found = `[${c.weights.get("weight_hh_l0")!.shape.join(", ")}]`;
    const r = cellc(["compare", caseDir, "--cell", "cells/gru.cell"]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^  ERROR ${literal(c.weightsFile)}: tensor 'weight_hh_l0': expected shape \\[3\\*H, H\\] = \\[\\d+, \\d+\\], found ${literal(found)}$`,
        "m",
      ),
    );
    expect(lines(r.stdout).at(-1)).toBe("FAIL");
  });

  it("marks only the mismatched case ERROR in the summary when --cell is wrong for one of several", () => {
    const r = cellc([
      "compare",
      join(FIXTURE_DIR, "lstm_bidir"),
      join(FIXTURE_DIR, "gru"),
      "--cell",
      "cells/gru.cell",
    ]);
    expect(r.code, r.stdout).toBe(1);
    const out = lines(r.stdout);
    expect(out[1]).toMatch(/^lstm_bidir\s+ERROR\s+.*weight_hh_l0/);
    expect(out[2]).toMatch(/^gru\s+PASS\s/);
    expect(out.at(-1)).toBe("2 cases: 1 passed, 1 failed");
  });

  it("reports an ERROR and prints the diagnostic when --cell does not compile", () => {
    const cell = join(dir, "bad-for-compare.cell");
    writeFileSync(cell, BAD_CELL);
    const r = cellc(["compare", join(FIXTURE_DIR, "gru"), "--cell", cell]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${cell}:5:6: error E201: unknown name 'hprev'`);
    expect(r.stdout).toMatch(/^\s+ERROR .*bad-for-compare\.cell/m);
    expect(lines(r.stdout).at(-1)).toBe("FAIL");
  });
});

describe("cellc compile", () => {
  it("writes lstm.js and lstm.d.ts with the generated header when given -o", async () => {
    const js = join(dir, "plain", "lstm.js");
    const r = cellc(["compile", "cells/lstm.cell", "-o", js]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`cells/lstm.cell: wrote ${js} and ${join(dir, "plain", "lstm.d.ts")}\n`);
    expect(readdirSync(join(dir, "plain")).sort()).toEqual(["lstm.d.ts", "lstm.js"]);
    const code = readFileSync(js, "utf8");
    expect(lines(code).slice(0, 2)).toEqual([
      `// Generated by cellc ${VERSION} from lstm.cell. Do not edit.`,
      "// Slots: gate = sigmoid, cand = tanh, cell = tanh",
    ]);
    const dts = readFileSync(join(dir, "plain", "lstm.d.ts"), "utf8");
    expect(dts).toMatch(/^export declare const meta\b/m);
    expect(dts).toMatch(/^export declare function create\(/m);
    expectMatchesCase(await importFile(js), "lstm_seed002");
  });

  it("prints the same module to standard output when given neither -o nor --out-dir", () => {
    const js = join(dir, "stdout", "lstm.js");
    expect(cellc(["compile", "cells/lstm.cell", "-o", js]).code).toBe(0);
    const r = cellc(["compile", "cells/lstm.cell"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(readFileSync(js, "utf8"));
  });

  it("writes byte-identical files when compiling the same cell twice", () => {
    const [a, b] = ["twice-a", "twice-b"].map((d) => join(dir, d, "lstm.js")) as [string, string];
    expect(cellc(["compile", "cells/lstm.cell", "-o", a]).code).toBe(0);
    expect(cellc(["compile", "cells/lstm.cell", "-o", b]).code).toBe(0);
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    const dts = (p: string) => readFileSync(p.replace(/\.js$/, ".d.ts"));
    expect(dts(b).equals(dts(a))).toBe(true);
  });

  it("writes the same bytes, naming the cell by its file name only, when given an absolute path", () => {
    const [a, b] = ["relative", "absolute"].map((d) => join(dir, d, "lstm.js")) as [string, string];
    expect(cellc(["compile", "cells/lstm.cell", "-o", a]).code).toBe(0);
    expect(cellc(["compile", join(process.cwd(), "cells/lstm.cell"), "-o", b]).code).toBe(0);
    const code = readFileSync(b, "utf8");
    expect(code).not.toContain(process.cwd());
    expect(code).toContain("// lstm.cell:26  c' = f * c + i * g");
    expect(code).toContain("// lstm.cell:27  h' = o * cell(c')");
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
  });

  it("writes a TypeScript module that type-checks and runs when given --ts", async () => {
    const out = join(dir, "typed", "lstm.ts");
    const r = cellc(["compile", "cells/lstm.cell", "--ts", "-o", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, "typed"))).toEqual(["lstm.ts"]);
    const code = readFileSync(out, "utf8");
    expect(lines(code)[0]).toBe(`// Generated by cellc ${VERSION} from lstm.cell. Do not edit.`);
    expect(code).toMatch(/^export const meta: CellMeta = /m);
    const program = ts.createProgram([out], {
      strict: true,
      noUncheckedIndexedAccess: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      lib: ["lib.es2022.d.ts"],
      types: [],
      noEmit: true,
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(errors).toEqual([]);
    const js = ts.transpileModule(code, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    expectMatchesCase(await importKernel(js), "lstm_seed002");
  });

  it("shows the binding in the header when given --act 'gate=hard_sigmoid(0.25, 0.5)'", () => {
    const js = join(dir, "act", "lstm.js");
    const r = cellc([
      "compile",
      "cells/lstm.cell",
      "--act",
      "gate=hard_sigmoid(0.25, 0.5)",
      "-o",
      js,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(readFileSync(js, "utf8"))[1]).toBe(
      "// Slots: gate = hard_sigmoid(0.25, 0.5), cand = tanh, cell = tanh",
    );
  });

  it("compiles the bindings into the kernel when given the activations of lstm_hard_sigmoid", async () => {
    const c = loadReferenceCase(join(FIXTURE_DIR, "lstm_hard_sigmoid"));
    expect(Object.keys(c.activations).length).toBeGreaterThan(0);
    const acts = Object.entries(c.activations).flatMap(([slot, spec]) => [
      "--act",
      `${slot}=${spec}`,
    ]);
    const js = join(dir, "hard", "lstm.js");
    expect(cellc(["compile", "cells/lstm.cell", ...acts, "-o", js]).code).toBe(0);
    expectMatchesCase(await importFile(js), "lstm_hard_sigmoid");
    // The default bindings do not reproduce the case, so the match above is the --act options' doing.
    const plain = join(dir, "hard-default", "lstm.js");
    expect(cellc(["compile", "cells/lstm.cell", "-o", plain]).code).toBe(0);
    expect(matchesCase(await importFile(plain), "lstm_hard_sigmoid")).toBe(false);
  });

  it("prints the diagnostic, exits 1 and writes nothing when the cell has errors", () => {
    const cell = join(dir, "bad.cell");
    writeFileSync(cell, BAD_CELL);
    const out = join(dir, "bad-out");
    const r = cellc(["compile", cell, "-o", join(out, "bad.js")]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${cell}:5:6: error E201: unknown name 'hprev'`);
    expect(r.stderr).toContain("> 5 | h' = hprev\n    |      ^~~~~");
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("writes the good cells, skips the bad one and exits 1 when one of several cells has errors", () => {
    const cell = join(dir, "bad2.cell");
    writeFileSync(cell, BAD_CELL);
    const out = join(dir, "mixed-out");
    const r = cellc(["compile", "cells/lstm.cell", cell, "--out-dir", out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${cell}:5:6: error E201`);
    expect(readdirSync(out).sort()).toEqual(["lstm.d.ts", "lstm.js"]);
  });

  it("writes a working module with no passes in the header when given --passes none", async () => {
    const js = join(dir, "nopasses", "lstm.js");
    const r = cellc(["compile", "cells/lstm.cell", "--passes", "none", "-o", js]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(readFileSync(js, "utf8"))).toContain("// Passes: none");
    expectMatchesCase(await importFile(js), "lstm_seed002");
  });

  it("prints a one-line usage error, exits 2 and writes nothing when given --passes bogus", () => {
    const out = join(dir, "bogus");
    const r = cellc([
      "compile",
      "cells/lstm.cell",
      "--passes",
      "bogus",
      "-o",
      join(out, "lstm.js"),
    ]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^cellc: unknown pass 'bogus' \(passes: .+, or none\)\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("writes a JavaScript-only module that matches the case when given --target js", async () => {
    const js = join(dir, "target-js", "lstm.js");
    const r = cellc(["compile", "cells/lstm.cell", "--target", "js", "-o", js]);
    expect(r.code, r.stderr).toBe(0);
    const code = readFileSync(js, "utf8");
    expect(lines(code)).toContain("// Kernel: JavaScript (--target js).");
    expect(code).not.toContain("WebAssembly");
    expectMatchesCase(await importFile(js), "lstm_seed002");
  });

  it("says in the header that the default module carries WebAssembly SIMD kernels", () => {
    const r = cellc(["compile", "cells/gru.cell"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toContain(
      "// Kernel: WebAssembly SIMD; JavaScript for tiny layers and where WebAssembly SIMD is missing.",
    );
  });

  it.each([
    [["compile", "cells/lstm.cell", "--target", "gpu"], "--target expects wasm or js; got 'gpu'"],
    [
      ["run", "cells/lstm.cell", "--threads", "0", "--weights", "w", "--input", "x", "--out", "o"],
      "--threads expects a whole number from 1 to 64; got '0'",
    ],
    [
      ["run", "cells/lstm.cell", "--threads", "65", "--weights", "w", "--input", "x", "--out", "o"],
      "--threads expects a whole number from 1 to 64; got '65'",
    ],
  ])("prints a one-line usage error and exits 2 for %j", (args, message) => {
    const r = cellc(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`cellc: ${message}\n`);
  });

  it("asks for --out-dir, exits 2 and writes nothing when given several cells and -o", () => {
    const out = join(dir, "several-o");
    const r = cellc(["compile", "cells/lstm.cell", "cells/gru.cell", "-o", join(out, "x.js")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("cellc: several CELL files need --out-dir DIR\n");
    expect(existsSync(out)).toBe(false);
  });

  it("asks for --out-dir when given several cells and no output option", () => {
    const r = cellc(["compile", "cells/lstm.cell", "cells/gru.cell"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("cellc: several CELL files need --out-dir DIR\n");
    expect(r.stdout).toBe("");
  });

  it("writes DIR/<cell>.js and .d.ts for each cell when given several cells and --out-dir", () => {
    const out = join(dir, "several");
    const r = cellc(["compile", "cells/lstm.cell", "cells/gru.cell", "--out-dir", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["gru.d.ts", "gru.js", "lstm.d.ts", "lstm.js"]);
    for (const name of ["lstm", "gru"]) {
      expect(lines(readFileSync(join(out, `${name}.js`), "utf8"))[0]).toBe(
        `// Generated by cellc ${VERSION} from ${name}.cell. Do not edit.`,
      );
    }
  });
});
