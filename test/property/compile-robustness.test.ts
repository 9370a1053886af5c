// compile() is total: whatever text it gets — (a) any string, (b) token soup, (c) mutated shipped
// cells, (d) parseable cells that misuse names, (e) bad --act overrides — it returns, and either
// gives IR with no errors or explains itself with an error inside the text. Messages follow §7.
import { readFileSync, readdirSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { printCell } from "../../src/dsl/print.js";
import { type CompileOptions, type Diagnostic, type Span, compile } from "../../src/index.js";
import { astArbitraries } from "./ast-arbitraries.js";

const CELLS = new URL("../../cells/", import.meta.url);
const SHIPPED: readonly { name: string; text: string }[] = readdirSync(CELLS)
  .filter((f) => f.endsWith(".cell"))
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, CELLS), "utf8") }));

const LSTM = SHIPPED.find((c) => c.name === "lstm.cell")!.text;

function expectSpanInside(span: Span | null | undefined, text: string, what: string): void {
  if (span === null || span === undefined) return;
  expect(Number.isInteger(span.start) && Number.isInteger(span.end), what).toBe(true);
  expect(0 <= span.start && span.start <= span.end && span.end <= text.length, what).toBe(true);
}

function expectWellFormed(d: Diagnostic, text: string): void {
  const what = `${d.code} ${JSON.stringify(d.message)} at ${JSON.stringify(d.span)}`;
  expect(d.code, what).toMatch(/^[EW][1-3]\d\d$/);
  expect(d.code[0], what).toBe(d.severity === "error" ? "E" : "W");
  expect(d.message.length, what).toBeGreaterThan(0);
  // A span points into the file, or into the --act override named by `source`.
  expectSpanInside(d.span, d.source?.text ?? text, what);
  expectSpanInside(d.related?.span, text, `${what} (related)`);
}

/** The property every outcome of compile() must have. */
function expectTotal(text: string, options: CompileOptions = {}): void {
  const result = compile(text, { file: "fuzz.cell", ...options });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.ir) expect(errors).toEqual([]);
  else expect(errors.length, "no IR, yet no error says why").toBeGreaterThan(0);
  for (const d of result.diagnostics) expectWellFormed(d, text);
  if (Object.keys(options.activations ?? {}).length === 0) {
    expect(result.diagnostics.filter((d) => d.source !== undefined)).toEqual([]);
  }
}

/** STYLE.md §7, checked apart from totality so that a wording slip hides no crash. */
function expectHouseStyle(text: string, options: CompileOptions = {}): void {
  for (const d of compile(text, options).diagnostics) {
    const what = `${d.code} ${JSON.stringify(d.message)}`;
    expect(d.message, what).toMatch(/^[^A-Z]/);
    expect(d.message, what).not.toMatch(/\.$/);
  }
}

// ----------------- (b) token soup -----------------

const TOKENS: readonly string[] = [
  ...["cell", "size", "input", "state", "param", "slot", "fn", "let", "output"],
  ...["x", "h", "c", "H", "I", "W", "b", "z", "i", "g", "gate", "act", "foo"],
  ...["sigmoid", "tanh", "relu", "hard_sigmoid", "split", "concat", "select", "max", "pow"],
  ...["0", "1", "3", "4", "0.5", ".5", "2.", "1e3", "1e999", "007"],
  ...["+", "-", "*", "/", "@", "<", "<=", ">", ">=", "==", "!=", "="],
  ...["'", "?", ":", ",", "(", ")", "[", "]", "\n", "# note\n"],
];

const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.constantFrom(...TOKENS), fc.constantFrom(" ", " ", "", "\n")), {
    maxLength: 60,
  })
  .map((parts) => parts.map(([token, gap]) => token + gap).join(""));

// ----------------- (c) mutations of the shipped cells -----------------

/** Splits text into pieces (tokens, comments, whitespace) that join back to the text. */
const PIECE = /\s+|#[^\n]*|[A-Za-z_]\w*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|<=|>=|==|!=|[^\s]/g;

type Mutation =
  | { readonly op: "delete" | "duplicate"; readonly unit: "token" | "line"; readonly at: number }
  | {
      readonly op: "swap";
      readonly unit: "token" | "line";
      readonly at: number;
      readonly with: number;
    }
  | { readonly op: "insert"; readonly at: number; readonly token: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constantFrom("delete", "duplicate"),
    unit: fc.constantFrom("token", "line"),
    at: fc.nat(),
  }),
  fc.record({
    op: fc.constant("swap"),
    unit: fc.constantFrom("token", "line"),
    at: fc.nat(),
    with: fc.nat(),
  }),
  fc.record({ op: fc.constant("insert"), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
);

function mutate(text: string, m: Mutation): string {
  const line = m.op !== "insert" && m.unit === "line";
  const units = line ? text.split("\n") : (text.match(PIECE) ?? []);
  // Whole lines may be blank; tokens are the non-blank pieces.
  const slots = units.flatMap((u, i) => (line || u.trim() !== "" ? [i] : []));
  if (slots.length === 0) return text;
  const pick = (k: number): number => slots[k % slots.length]!;
  const out = [...units];
  const i = pick(m.at);
  switch (m.op) {
    case "delete":
      out.splice(i, 1);
      break;
    case "duplicate":
      out.splice(i, 0, out[i]!, line ? "" : " ");
      break;
    case "swap": {
      const j = pick(m.with);
      [out[i], out[j]] = [out[j]!, out[i]!];
      break;
    }
    case "insert":
      out.splice(i, 0, ` ${m.token} `);
      break;
  }
  return out.join(line ? "\n" : "");
}

const mutatedCell: fc.Arbitrary<string> = fc
  .record({
    cell: fc.constantFrom(...SHIPPED),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
  })
  .map(({ cell, mutations }) => mutations.reduce(mutate, cell.text));

const SPAN0 = { start: 0, end: 0 } as const;

/** Activation specs, from well-formed (`hard_sigmoid(0.25, 0.5)`) to garbage. */
const actSpec: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("tanh", "hard_sigmoid", "elu", "relu", "split", "x", "nope", "1", ""),
      fc.option(
        fc.array(fc.constantFrom("0.25", "-1", "1e999", "x", "", "(", "- -2"), { maxLength: 4 }),
      ),
    )
    .map(([name, args]) => (args === null ? name : `${name}(${args.join(", ")})`)),
  fc.string({ maxLength: 20 }),
);

// ----------------- (d) parseable programs over the names a cell declares -----------------

const SKELETON = `cell fuzz
size I, H
input x : [I]
state h : [H]
param W : [H, I]
param U : [H, H]
param b : [H] = 0
slot gate = sigmoid
`;

const vocabulary = astArbitraries({
  name: fc.constantFrom(
    ...["x", "h", "W", "U", "b", "I", "H", "gate", "z", "a", "alpha", "parts", "cell"],
    ...["sigmoid", "tanh", "relu", "hard_sigmoid", "elu", "split", "concat", "select"],
    ...["max", "pow", "exp", "step", "clip"],
  ),
  literal: fc.constantFrom(0, 1, 2, 3, 4, 0.5, 1e300),
  signed: fc.constantFrom(-1, 0, 0.2, 0.5, 1, 2),
});

/** Text that always parses, so resolve and lower see it: declarations that may or may not fit. */
const parseableCell: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(vocabulary.decl, { maxLength: 6 })
    .map((decls) => SKELETON + printCell({ decls, span: SPAN0 })),
  fc.array(vocabulary.expr, { minLength: 2, maxLength: 2 }).map(([next, out]) => {
    const decls = [
      { kind: "Update", name: { name: "h", span: SPAN0 }, value: next!, span: SPAN0 },
      { kind: "Output", value: out!, span: SPAN0 },
    ] as const;
    return SKELETON + printCell({ decls, span: SPAN0 });
  }),
);

describe("compile", () => {
  it.each(SHIPPED.map((c) => [c.name, c.text]))(
    "gives IR without diagnostics when compiling the shipped cell %s",
    (_, text) => {
      const result = compile(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.ir).toBeDefined();
    },
  );

  // (a) any string at all, including lone surrogates and the language's own characters
  test.prop(
    [
      fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: "binary", maxLength: 80 }),
        fc.string({
          unit: fc.constantFrom(..."cellsizeinputx h'=+-*/@<>!?:,()[]#.0123456789eE\n\t "),
          maxLength: 80,
        }),
      ),
    ],
    { seed: 0xc0de01, numRuns: 300 },
  )("returns IR or an error inside the text when given arbitrary text", (text) =>
    expectTotal(text),
  );

  test.prop([tokenSoup], { seed: 0xc0de02, numRuns: 400 })(
    "returns IR or an error inside the text when given a sequence of the language's tokens",
    (text) => expectTotal(text),
  );

  test.prop([mutatedCell], { seed: 0xc0de03, numRuns: 400 })(
    "returns IR or an error inside the text when a shipped cell is mutated",
    (text) => expectTotal(text),
  );

  test.prop([parseableCell], { seed: 0xc0de04, numRuns: 400 })(
    "returns IR or an error inside the text when a parseable cell misuses its names",
    (text) => expectTotal(text),
  );

  test.prop(
    [
      fc.oneof(
        fc.oneof(fc.string({ maxLength: 40 }), tokenSoup, mutatedCell, parseableCell),
        actSpec.map((spec) => ({ gate: spec })),
      ),
    ],
    { seed: 0xc0de06, numRuns: 400 },
  )("words every message in lower case without a trailing period when given any input", (input) =>
    typeof input === "string"
      ? expectHouseStyle(input)
      : expectHouseStyle(LSTM, { activations: input }),
  );

  // (e) --act overrides: their errors point into the override's own text.
  test.prop([fc.constantFrom("gate", "cand", "act", "nope"), actSpec], {
    seed: 0xc0de05,
    numRuns: 200,
  })("returns IR or an error inside the override when given an arbitrary --act", (slot, spec) =>
    expectTotal(LSTM, {
      activations: { [slot]: spec },
    }),
  );
});
