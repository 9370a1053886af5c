// Hostile names given to `cellc`, as issue 10 found them: states, slots and expected tensors named
// after Object.prototype's members (`__proto__`, `constructor`), which plain-object lookups ignore
// or misroute, and control characters in file names and arguments, which must reach the terminal
// as escapes. The cells are the shipped rnn.cell with its state or slot renamed; the data is the
// rnn_tanh reference case (its h0 is not zero, so an ignored --state would change the result).
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareTensors } from "../../src/runtime/compare.js";
import { readNpy } from "../../src/runtime/node-files.js";
import { loadReferenceCase } from "../../src/runtime/node-reference-case.js";
import { FIXTURE_DIR } from "../helpers/cells.js";
import { STACK_FRAME, cellc, type CliResult } from "../helpers/cli.js";

const CASE = join(FIXTURE_DIR, "rnn_tanh");
const reference = loadReferenceCase(CASE);
const DATA = ["--weights", reference.weightsFile, "--input", reference.inputFile];
const H0 = reference.stateFiles["h"]!;

const POSIX = process.platform !== "win32";
/** Raw control characters other than newline and tab: what a terminal would act on. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const dir = mkdtempSync(join(tmpdir(), "cellc-hostile-names-"));
let outs = 0;
const freshOut = (): string => join(dir, `out${++outs}`);

/** rnn.cell with its state `h` (or its slot `act`) renamed. */
function rnnWith(what: "state" | "slot", name: string): string {
  const source = readFileSync("cells/rnn.cell", "utf8");
  const text =
    what === "state"
      ? source.replace(/\bh\b/g, name).replace(/^cell rnn$/m, "cell renamed")
      : source.replace(/\bact\b/g, name);
  const path = join(dir, `${what}-${name}.cell`);
  writeFileSync(path, text);
  return path;
}

function expectOneLine(r: CliResult, line: string | RegExp, code: number): void {
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(r.stderr).not.toContain("internal error");
  expect(r.stderr.split("\n"), r.stderr).toHaveLength(2);
  if (typeof line === "string") expect(r.stderr).toBe(`cellc: ${line}\n`);
  else expect(r.stderr).toMatch(line);
  expect(r.code, r.stderr).toBe(code);
}

/** The final state `file` written by run matches the case's expected h_n. */
function expectFinalState(file: string): void {
  const got = readNpy(file);
  const cmp = compareTensors(got, reference.expected["h"]!, reference.tolerance);
  expect(cmp.mismatch, file).toBeNull();
  expect(cmp.pass, `${file}: max abs error ${cmp.maxAbs}`).toBe(true);
}

describe("cellc with names from Object.prototype", () => {
  it("uses a case whose initial state is not zero", () => {
    expect(Array.from(readNpy(H0).data).some((v) => v !== 0)).toBe(true);
  });

  it.for(["constructor", "__proto__"])(
    "runs a cell whose state is named %s and writes <name>_n.npy from --state <name>=h0",
    (name) => {
      const out = freshOut();
      const r = cellc(
        ["run", rnnWith("state", name), ...DATA, "--state", `${name}=${H0}`].concat(["--out", out]),
      );
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual([`${name}_n.npy`, "output.npy"].sort());
      expectFinalState(join(out, `${name}_n.npy`));
    },
  );

  it.for(["constructor", "__proto__", "toString"])(
    "runs a cell whose state is named %s without initial states",
    (name) => {
      const out = freshOut();
      const r = cellc(["run", rnnWith("state", name), ...DATA, "--out", out]);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual([`${name}_n.npy`, "output.npy"].sort());
    },
  );

  it.for(["__proto__", "constructor"])(
    "refuses --state %s=FILE for a cell without that state, listing its states",
    (name) => {
      const r = cellc(
        ["run", "cells/rnn.cell", ...DATA, "--state", `${name}=${H0}`].concat([
          "--out",
          freshOut(),
        ]),
      );
      const detail = `cell 'rnn' has no state '${name}' (its states: h)`;
      expectOneLine(r, `--state ${name}=${H0}: ${detail} (see 'cellc run --help')`, 2);
    },
  );

  it.for(["__proto__", "constructor"])(
    "reports --act %s=relu as an unknown slot instead of ignoring it",
    (name) => {
      const r = cellc(["check", "cells/rnn.cell", "--act", `${name}=relu`]);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stderr).toContain(`--act ${name}: error E207: unknown activation slot '${name}'`);
      expect(r.stdout).toBe("cells/rnn.cell: 1 error\n");
      expect(r.code).toBe(1);
    },
  );

  it.for(["__proto__", "constructor"])("binds --act %s=relu to a slot of that name", (name) => {
    const r = cellc(["ir", rnnWith("slot", name), "--act", `${name}=relu`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`slot ${name} = relu`);
  });

  it("compares a case whose expected tensors include 'constructor' without aborting", () => {
    const target = join(dir, "case-constructor-key");
    cpSync(CASE, target, { recursive: true });
    const json = JSON.parse(readFileSync(join(target, "case.json"), "utf8")) as {
      expected: Record<string, string>;
    };
    json.expected["constructor"] = "h_n.npy";
    writeFileSync(join(target, "case.json"), JSON.stringify(json));
    const r = cellc(["compare", target]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^\s+constructor\s.*FAIL \(not computed\)/m);
    expect(r.stdout).toMatch(/^\s+h\s.*PASS\s.*PASS$/m);
    expect(r.code).toBe(1);
  });

  it("compares a case for a cell whose state is named 'constructor'", () => {
    const target = join(dir, "case-constructor-state");
    cpSync(CASE, target, { recursive: true });
    const json = JSON.parse(readFileSync(join(target, "case.json"), "utf8")) as {
      states: Record<string, string>;
      expected: Record<string, string>;
    };
    json.states = { constructor: "h0.npy" };
    json.expected = { output: "output.npy", constructor: "h_n.npy" };
    writeFileSync(join(target, "case.json"), JSON.stringify(json));
    const r = cellc(["compare", target, "--cell", rnnWith("state", "constructor")]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toMatch(/^\s+constructor\s.*PASS\s.*PASS$/m);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});

describe.runIf(POSIX)("cellc printing names with control characters", () => {
  const ESC = "\u001b[2J\u0007";
  const SHOWN = "\\x1b[2J\\x07";

  it("escapes them in a file it cannot read", () => {
    const path = join(dir, `missing${ESC}.cell`);
    const r = cellc(["check", path]);
    expectOneLine(r, `${join(dir, `missing${SHOWN}.cell`)}: cannot read: no such file`, 1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it("escapes them in check's summary and in diagnostics", () => {
    const good = join(dir, `good${ESC}.cell`);
    cpSync("cells/rnn.cell", good);
    const ok = cellc(["check", good]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`good${SHOWN}.cell: ok: cell rnn;`);
    const bad = join(dir, `bad${ESC}.cell`);
    writeFileSync(bad, "cell x\nstate h : [H]\n");
    const r = cellc(["check", bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`bad${SHOWN}.cell:`);
    for (const text of [ok.stdout, ok.stderr, r.stdout, r.stderr])
      expect(text).not.toMatch(RAW_CONTROL);
  });

  it("escapes them in the lines that say what was written", () => {
    const js = join(dir, `mod${ESC}.js`);
    const compiled = cellc(["compile", "cells/rnn.cell", "-o", js]);
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(compiled.stderr).toContain(`wrote ${join(dir, `mod${SHOWN}.js`)} and`);
    const out = join(dir, `out${ESC}`);
    const ran = cellc(["run", "cells/rnn.cell", ...DATA, "--out", out]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toMatch(/ to .*out\\x1b\[2J\\x07\n$/);
    for (const text of [compiled.stderr, ran.stderr]) expect(text).not.toMatch(RAW_CONTROL);
  });

  it("escapes them in usage errors quoting an argument", () => {
    const r = cellc(["run", "cells/rnn.cell", ...DATA, "--state", `z${ESC}=x.npy`, "--out", "o"]);
    expectOneLine(r, /^cellc: --state z\\x1b\[2J\\x07=x\.npy: cell 'rnn' has no state/, 2);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it("escapes them in compare's table", () => {
    const target = join(dir, "case-control-key");
    cpSync(CASE, target, { recursive: true });
    const json = JSON.parse(readFileSync(join(target, "case.json"), "utf8")) as {
      description: string;
      expected: Record<string, string>;
    };
    json.description = `described${ESC}`;
    json.expected[`h${ESC}`] = "h_n.npy";
    writeFileSync(join(target, "case.json"), JSON.stringify(json));
    const r = cellc(["compare", target]);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stdout).toContain(`described${SHOWN}`);
    expect(r.stdout).toMatch(/^\s+h\\x1b\[2J\\x07\s.*FAIL \(not computed\)/m);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
  });
});
