// `cellc check` and `cellc ir` as a user sees them: exit codes, summaries, and no stack traces
// on hostile input (random bytes, an empty file, a 10,000-deep expression).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { CELL_NAMES } from "../helpers/cells.js";
import { rng } from "../helpers/random.js";
import { STACK_FRAME, cellc } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "cellc-cli-"));
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function randomBytes(seed: number, n: number): Uint8Array {
  const random = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

const deep = (n: number) =>
  `cell deep\nsize I\ninput x : [I]\nstate h : [I]\nh' = ${"(".repeat(n)}x${")".repeat(n)}\noutput h'\n`;

describe("cellc check", () => {
  it("accepts every shipped cell with one summary line each", () => {
    const r = cellc(["check", ...CELL_NAMES.map((n) => `cells/${n}.cell`)]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(CELL_NAMES.length);
    for (const [i, name] of CELL_NAMES.entries()) {
      expect(lines[i]).toMatch(
        new RegExp(`^cells/${name}\\.cell: ok: cell ${name}; input x\\[I\\]; states `),
      );
    }
  });

  it("prints the caret diagnostic and exits 1 when a file has an error", () => {
    const path = file(
      "bad.cell",
      "cell bad\nsize I\ninput x : [I]\nstate h : [I]\nh' = hprev\noutput h'\n",
    );
    const r = cellc(["check", path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path}:5:6: error E201: unknown name 'hprev'`);
    expect(r.stderr).toContain("> 5 | h' = hprev\n    |      ^~~~~");
    expect(r.stdout).toBe(`${path}: 1 error\n`);
  });

  // The bar is one second for the whole command, start-up included; the extra cases
  // (much larger inputs) get a looser bound so a loaded CI machine does not make them flaky.
  const hostile: [string, () => string, number][] = [
    ["random bytes", () => file("random.cell", randomBytes(42, 4096)), 1000],
    ["an empty file", () => file("empty.cell", ""), 1000],
    ["a 10,000-deep nested expression", () => file("deep.cell", deep(10_000)), 1000],
    [
      "random printable text",
      () =>
        file(
          "text.cell",
          Array.from(randomBytes(7, 4096), (b) => String.fromCharCode(32 + (b % 95))).join(""),
        ),
      3000,
    ],
    [
      "10,000 unary minus signs",
      () => file("minus.cell", deep(0).replace("h' = x", `h' = ${"-".repeat(10_000)}x`)),
      3000,
    ],
    [
      "a 10,000-term sum",
      () =>
        file("sum.cell", deep(0).replace("h' = x", `h' = ${Array(10_000).fill("x").join(" + ")}`)),
      3000,
    ],
  ];

  it.each(hostile)("reports a diagnostic for %s without a stack trace", (_, make, limitMs) => {
    const path = make();
    const r = cellc(["check", path]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error E\d{3}: /);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.stderr).not.toContain("internal error");
    expect(r.ms).toBeLessThan(limitMs);
  });

  it("compiles a 10,000-deep expression to a diagnostic in well under a second in process", () => {
    const start = performance.now();
    const result = compile(deep(10_000), { file: "deep.cell" });
    expect(performance.now() - start).toBeLessThan(1000);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["E104"]);
  });

  it("says which file cannot be read", () => {
    const r = cellc(["check", join(dir, "missing.cell")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`cellc: ${join(dir, "missing.cell")}: cannot read: no such file\n`);
  });

  it("applies --act overrides and reports a bad one against its own text", () => {
    const ok = cellc(["check", "cells/lstm.cell", "--act", "gate=hard_sigmoid(0.25, 0.5)"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("slots gate=hard_sigmoid(0.25, 0.5), cand=tanh, cell=tanh");
    // Arguments may be arithmetic; the summary shows the numbers they compute.
    const arithmetic = cellc(["check", "cells/lstm.cell", "--act", "gate=hard_sigmoid(1/4, 1/2)"]);
    expect(arithmetic.stdout).toBe(ok.stdout);
    const bad = cellc(["check", "cells/lstm.cell", "--act", "gate=hard_sigmoidd"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "--act gate:1:1: error E206: unknown activation 'hard_sigmoidd'; did you mean 'hard_sigmoid'?",
    );
  });
});

describe("cellc check with an activation that changes a shape", () => {
  const cell = [
    ...["cell gated", "size I, H", "input x : [I]", "state h : [H]", "param W : [H, I]"],
    ...["slot gate = sigmoid", "fn zero(v) = 0", "h' = gate(W @ x) * h", "output h'", ""],
  ].join("\n");

  it("names the slot, the activation and both shapes, at the override, with a note at the use", () => {
    const path = file("gated.cell", cell);
    const r = cellc(["check", path, "--act", "gate=zero"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${path}: 1 error\n`);
    expect(r.stderr).toBe(
      [
        "--act gate:1:1: error E231: activation 'zero' bound to slot 'gate' returns shape [] for an argument of shape [H] (an activation must keep the shape)",
        "> 1 | zero",
        "    | ^~~~",
        `  note: slot 'gate' is applied to [H] here (${path}:8:6)`,
        "",
        "",
      ].join("\n"),
    );
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it("accepts the cell when the override keeps the shape", () => {
    const r = cellc(["check", file("gated-ok.cell", cell), "--act", "gate=hard_sigmoid"]);
    expect(r.code).toBe(0);
  });
});

describe("cellc ir", () => {
  it("prints one node per line with shapes and source positions", () => {
    const r = cellc(["ir", "cells/rnn.cell"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cell rnn \(sizes I, H\)\n/);
    expect(r.stdout).toMatch(/^ {2}%\d+ = tanh %\d+ : \[H\] {2}; h' {2}cells\/rnn\.cell:\d+:\d+$/m);
    expect(r.stdout).toMatch(/^ {2}h' = %\d+$/m);
  });

  it("shows the bound activation in the IR when a slot is overridden", () => {
    const r = cellc(["ir", "cells/rnn.cell", "--act", "act=relu"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("slot act = relu");
    expect(r.stdout).toMatch(/= max %\d+, %\d+ : \[H\]/);
    expect(r.stdout).not.toMatch(/= tanh /);
  });
});

describe("cellc usage", () => {
  it.each(["check", "ir"])("prints help for '%s --help' and exits 0", (verb) => {
    const r = cellc([verb, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^usage: cellc ${verb} `));
  });

  it("lists the verbs for --help", () => {
    const r = cellc(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("check");
    expect(r.stdout).toContain("ir");
  });

  it("rejects an unknown verb or option with a one-line message and exit 2", () => {
    const verb = cellc(["frobnicate"]);
    expect(verb.code).toBe(2);
    expect(verb.stderr).toBe(
      "cellc: unknown verb 'frobnicate' (verbs: check, ir, compile, run, compare, import, export)\n",
    );
    const option = cellc(["check", "--frob", "cells/lstm.cell"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("cellc: unknown option '--frob' (see 'cellc check --help')\n");
    expect(option.stderr).not.toMatch(STACK_FRAME);
  });

  it("rejects an --act without SLOT=", () => {
    const r = cellc(["check", "cells/lstm.cell", "--act", "sigmoid"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--act expects SLOT=SPEC");
  });
});
