// The error corpus: every test/errors/*.cell is compiled and its diagnostics, as sorted short forms
// (`formatShort`), must equal exactly the sorted list its annotations expect: a missing or an extra
// diagnostic fails. Inputs too large or too odd to commit are generated below instead.
//
// Annotation grammar. Annotations are `#` comments, so the compiler never sees them; the first `#`
// of a line starts its comment, as in the lexer. One annotation per comment, on any line: the
// position is written out, so an annotation need not sit on the line it is about.
//
//   expectation := "#" SP* severity SP+ code SP+ "@" where SP+ message
//   severity    := "error" | "warning"            (E codes are errors, W codes warnings)
//   code        := ("E" | "W") DIGIT DIGIT DIGIT
//   where       := LINE ":" COL                    in this file; 1-based, COL counts UTF-16 units
//                | "--act" SP SLOT ":" LINE ":" COL  in the text of the override of SLOT
//                | "--act" SP SLOT                  about that override as a whole (no span)
//   message     := the rest of the comment, verbatim (trailing blanks dropped)
//   override    := "#" SP* "act:" SP* SLOT "=" SPEC  compile with activations[SLOT] = SPEC (trimmed)
//
// An expectation stands for the short form `WHERE: SEVERITY CODE: MESSAGE`, where WHERE is
// `test/errors/NAME.cell:LINE:COL`, `--act SLOT:LINE:COL` or `--act SLOT`. A comment whose first
// word is `error`, `warning` or `act:` but which does not match the grammar fails the test, so a
// typo cannot silently drop an expectation. Every file expects at least one diagnostic, and a file
// compiles to IR exactly when it expects no error.

import { readdirSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compile, formatShort } from "../../src/index.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const HERE = fileURLToPath(new URL("./", import.meta.url));
const CORPUS = readdirSync(HERE)
  .filter((f) => f.endsWith(".cell"))
  .sort();

const EXPECTATION =
  /^#\s*(error|warning)\s+([EW]\d{3})\s+@(\d+:\d+|--act [A-Za-z_]\w*(?::\d+:\d+)?)\s+(.*\S)\s*$/;
const OVERRIDE = /^#\s*act:\s*([A-Za-z_]\w*)=(.*\S)\s*$/;
const LOOKS_LIKE_ANNOTATION = /^#\s*(error|warning|act:)/;

interface Annotations {
  readonly expected: readonly string[];
  readonly activations: Readonly<Record<string, string>>;
}

/** Reads the annotations of one corpus file; `file` is its path relative to the repository. */
function readAnnotations(text: string, file: string): Annotations {
  const expected: string[] = [];
  const activations: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    const hash = line.indexOf("#");
    if (hash < 0) return;
    const comment = line.slice(hash);
    if (!LOOKS_LIKE_ANNOTATION.test(comment)) return;
    const at = `${file}:${i + 1}`;
    const override = OVERRIDE.exec(comment);
    if (override) {
      const [, slot = "", spec = ""] = override;
      if (slot in activations) throw new Error(`${at}: a second override of slot '${slot}'`);
      activations[slot] = spec.trim();
      return;
    }
    const m = EXPECTATION.exec(comment);
    if (!m) throw new Error(`${at}: malformed annotation: ${comment}`);
    const [, severity = "", code = "", where = "", message = ""] = m;
    if ((severity === "error") !== code.startsWith("E")) {
      throw new Error(`${at}: ${code} is not ${severity === "error" ? "an error" : "a warning"}`);
    }
    const location = where.startsWith("--act") ? where : `${file}:${where}`;
    expected.push(`${location}: ${severity} ${code}: ${message}`);
  });
  return { expected, activations };
}

/** Compiles `text` and returns its diagnostics as sorted short forms, and whether IR came out. */
function diagnose(text: string, file: string, activations: Readonly<Record<string, string>>) {
  // Overrides are labelled as the CLI labels them, so expectations read like what users see.
  const activationLabel = (slot: string) => `--act ${slot}`;
  const result = compile(text, { file, activations, activationLabel });
  const actual = result.diagnostics.map((d) => formatShort(d, result.source)).sort();
  return { actual, hasIR: result.ir !== undefined };
}

const sorted = (xs: readonly string[]): string[] => [...xs].sort();

describe("error corpus", () => {
  it("finds the corpus files when the folder is read", () => {
    expect(CORPUS.length).toBeGreaterThan(20);
  });

  for (const name of CORPUS) {
    it(`reports exactly the annotated diagnostics when compiling ${name}`, () => {
      const path = `${HERE}${name}`;
      const file = relative(REPO, path).split("\\").join("/");
      const text = readFileSync(path, "utf8");
      const { expected, activations } = readAnnotations(text, file);
      expect(expected.length, `${file} expects no diagnostic`).toBeGreaterThan(0);
      const { actual, hasIR } = diagnose(text, file, activations);
      expect(actual).toEqual(sorted(expected));
      expect(hasIR).toBe(!expected.some((e) => e.includes(": error E")));
    });
  }
});

describe("readAnnotations", () => {
  it("builds short forms when a file mixes positions, overrides and warnings", () => {
    const text = [
      "# act: gate = ignored",
      "# act: gate=hard_sigmoid(0.25, 0.5)",
      "h' = q  # error E201 @1:6 unknown name 'q'",
      "# warning W202 @2:5 'z' is never used",
      "# error E207 @--act gatez unknown activation slot 'gatez'",
      "# error E206 @--act gate:1:1 unknown activation 'x'",
    ].join("\n");
    expect(() => readAnnotations(text, "a.cell")).toThrow(/a.cell:1: malformed annotation/);
    const ok = readAnnotations(text.split("\n").slice(1).join("\n"), "a.cell");
    expect(ok.activations).toEqual({ gate: "hard_sigmoid(0.25, 0.5)" });
    expect(ok.expected).toEqual([
      "a.cell:1:6: error E201: unknown name 'q'",
      "a.cell:2:5: warning W202: 'z' is never used",
      "--act gatez: error E207: unknown activation slot 'gatez'",
      "--act gate:1:1: error E206: unknown activation 'x'",
    ]);
  });

  it("rejects an annotation when its severity does not match its code", () => {
    expect(() => readAnnotations("# warning E201 @1:1 x", "a.cell")).toThrow(/not a warning/);
    expect(() => readAnnotations("# error W201 @1:1 x", "a.cell")).toThrow(/not an error/);
  });

  it("rejects an annotation when its position is missing", () => {
    expect(() => readAnnotations("# error E201 unknown name 'q'", "a.cell")).toThrow(/malformed/);
  });
});

// ----------------- generated inputs -----------------

const RNN_HEAD = "cell rnn\nsize I, H\ninput x : [I]\nstate h : [H]\nparam w : [H, I]\n";

/** A cell whose update is `h' = EXPR + h`, with EXPR on line 6. */
const rnnWith = (expr: string) => `${RNN_HEAD}h' = ${expr} + h\noutput h'\n`;

const nestedParens = (depth: number) => `${"(".repeat(depth)}w @ x${")".repeat(depth)}`;

/** Lines `line(1)` to `line(n)`, each ended by a newline. */
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `${line(i + 1)}\n`).join("");

interface Generated {
  readonly name: string;
  readonly text: string;
  readonly expected: readonly string[];
}

const GENERATED: readonly Generated[] = [
  { name: "parens-at-limit", text: rnnWith(nestedParens(100)), expected: [] },
  {
    name: "parens-over-limit",
    text: rnnWith(nestedParens(101)),
    expected: ["6:106: error E104: expression is nested too deeply (the limit is 100 levels)"],
  },
  {
    // Far past the limit: still one diagnostic, and no stack overflow.
    name: "parens-far-over-limit",
    text: rnnWith(nestedParens(20000)),
    expected: ["6:106: error E104: expression is nested too deeply (the limit is 100 levels)"],
  },
  {
    name: "brackets-over-limit",
    text: rnnWith(`w @ x${"[".repeat(101)}`),
    expected: ["6:111: error E104: expression is nested too deeply (the limit is 100 levels)"],
  },
  {
    // `c ? a : c ? a : ...` nests one level per `?`.
    name: "conditionals-over-limit",
    text: rnnWith(`${"x > 0 ? w @ x : ".repeat(101)}h`),
    expected: [
      `6:${6 + 16 * 100 + 6}: error E104: expression is nested too deeply (the limit is 100 levels)`,
    ],
  },
  { name: "signs-within-limit", text: rnnWith(`${"-".repeat(500)}w @ x`), expected: [] },
  {
    // Signs need no parentheses, so they meet the expression-depth limit (1000) instead: the
    // 1001st sign is one level too many.
    name: "signs-over-limit",
    text: `${RNN_HEAD}h' = ${"-".repeat(1001)}h\noutput h'\n`,
    expected: ["6:6: error E104: expression is nested too deeply (the limit is 1000 levels)"],
  },
  {
    // A chain of lets nests as deep as it is long, and lowering takes it in dependency order.
    name: "let-chain-long",
    text: `${RNN_HEAD}let a0 = w @ x\n${lines(2000, (i) => `let a${i} = a${i - 1} + h`)}h' = a2000\noutput h'\n`,
    expected: [],
  },
  {
    // Functions are inlined, so a chain of them is as deep as it is long: f1000 is one too many.
    name: "fn-chain-over-limit",
    text: `${RNN_HEAD}fn f0(v) = v\n${lines(2000, (i) => `fn f${i}(v) = f${i - 1}(v)`)}h' = f2000(w @ x)\noutput h'\n`,
    expected: [
      "1006:4: error E104: function 'f1000' is nested too deeply with the functions it calls (the limit is 1000 levels)",
    ],
  },
  {
    // Each function calls the last twice: 2^30 calls, but the same values, so lowered once each.
    name: "fn-chain-doubling",
    text: `${RNN_HEAD}fn f0(v) = v\n${lines(30, (i) => `fn f${i}(v) = f${i - 1}(v) + f${i - 1}(v)`)}h' = f30(w @ x)\noutput h'\n`,
    expected: [],
  },
  {
    // 5 declarations in RNN_HEAD, then one per line: the 5,001st is on line 5001.
    name: "declarations-over-limit",
    text: `${RNN_HEAD}${lines(5_000, (i) => `let a${i} = x`)}h' = h\noutput h'\n`,
    expected: ["5001:1: error E106: too many declarations (the limit is 5000)"],
  },
  {
    // RNN_HEAD has 26 tokens and `h' =` 3 more, so token 50,001 is the `+` after the 24,986th x.
    name: "tokens-over-limit",
    text: rnnWith(Array(30_000).fill("x").join(" + ")),
    expected: ["6:99948: error E106: the file is too large (the limit is 50000 tokens)"],
  },
  {
    name: "characters-over-limit",
    text: `${RNN_HEAD}#${" ".repeat(1_000_000)}\n`,
    expected: [
      `6:${1_000_000 - RNN_HEAD.length + 1}: error E106: the file is too large (the limit is 1000000 characters)`,
    ],
  },
  {
    name: "concat-over-limit",
    text: rnnWith(`w @ concat(${Array(1025).fill("x").join(", ")})`),
    expected: ["6:10: error E223: concat of 1025 vectors has too many parts (the limit is 1024)"],
  },
  {
    name: "nul-byte",
    text: `cell rnn\u0000\n`,
    expected: ["1:9: error E105: this is not a text file (invalid UTF-8 or a NUL byte here)"],
  },
  {
    name: "invalid-utf8",
    text: `cell rnn\nsize \ufffdH\n`,
    expected: ["2:6: error E105: this is not a text file (invalid UTF-8 or a NUL byte here)"],
  },
];

describe("generated inputs", () => {
  for (const g of GENERATED) {
    it(`reports exactly the expected diagnostics when compiling ${g.name}`, () => {
      const file = `generated/${g.name}.cell`;
      const { actual, hasIR } = diagnose(g.text, file, {});
      expect(actual).toEqual(sorted(g.expected.map((e) => `${file}:${e}`)));
      expect(hasIR).toBe(g.expected.length === 0);
    });
  }
});

// ----------------- coverage -----------------

/** Every code a diagnostic factory in src/ can produce. */
function definedCodes(): string[] {
  const sources = ["src/dsl/errors.ts", "src/compiler/errors.ts"];
  const codes = sources.flatMap((s) =>
    [...readFileSync(`${REPO}${s}`, "utf8").matchAll(/"([EW]\d{3})"/g)].map((m) => m[1]!),
  );
  return [...new Set(codes)].sort();
}

describe("error corpus coverage", () => {
  it("exercises every diagnostic code when the corpus and generated inputs are read", () => {
    const annotated = CORPUS.flatMap(
      (name) => readAnnotations(readFileSync(`${HERE}${name}`, "utf8"), name).expected,
    );
    const all = [...annotated, ...GENERATED.flatMap((g) => g.expected)];
    const covered = new Set(all.map((e) => /(?:error|warning) ([EW]\d{3}):/.exec(e)?.[1]));
    expect(definedCodes().filter((c) => !covered.has(c))).toEqual([]);
  });
});
