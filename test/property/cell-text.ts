// Hostile `.cell` text (token soups, mutated shipped cells) and the property compile() must have on
// it (IR without errors, or an error located in the text; well-formed diagnostics), shared by
// compile-robustness.test.ts and the fuzzers (test/fuzz/cell-*.test.ts).
import { readFileSync, readdirSync } from "node:fs";
import { fc } from "@fast-check/vitest";
import { expect } from "vitest";
import { type CompileOptions, type Diagnostic, type Span, compile } from "../../src/index.js";

const CELLS = new URL("../../cells/", import.meta.url);

export const SHIPPED: readonly { name: string; text: string }[] = readdirSync(CELLS)
  .filter((f) => f.endsWith(".cell"))
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, CELLS), "utf8") }));

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

/**
 * The property every outcome of compile() must have: IR and no error, or no IR and an error
 * located in the text (or in an override); every diagnostic well-formed.
 */
export function expectTotal(text: string, options: CompileOptions = {}): void {
  expectTotalResult(text, compile(text, { file: "fuzz.cell", ...options }), options);
}

/** The same check of a result already at hand (say, one timed by the caller). */
export function expectTotalResult(
  text: string,
  result: ReturnType<typeof compile>,
  options: CompileOptions = {},
): void {
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.ir) expect(errors).toEqual([]);
  else {
    expect(errors.length, "no IR, yet no error says why").toBeGreaterThan(0);
    const located = errors.some((d) => d.span !== null || d.source !== undefined);
    expect(located, `no error is located: ${JSON.stringify(errors)}`).toBe(true);
  }
  for (const d of result.diagnostics) expectWellFormed(d, text);
  if (Object.keys(options.activations ?? {}).length === 0) {
    expect(result.diagnostics.filter((d) => d.source !== undefined)).toEqual([]);
  }
}

// ----------------- token soup -----------------

export const TOKENS: readonly string[] = [
  ...["cell", "size", "input", "state", "param", "slot", "fn", "let", "output"],
  ...["x", "h", "c", "H", "I", "W", "b", "z", "i", "g", "gate", "act", "foo"],
  ...["sigmoid", "tanh", "relu", "hard_sigmoid", "split", "concat", "select", "max", "pow"],
  ...["0", "1", "3", "4", "0.5", ".5", "2.", "1e3", "1e999", "007"],
  ...["+", "-", "*", "/", "@", "<", "<=", ">", ">=", "==", "!=", "="],
  ...["'", "?", ":", ",", "(", ")", "[", "]", "\n", "# note\n"],
];

/** Names every JavaScript object has: a cell must treat them as any other name. */
export const OBJECT_NAMES: readonly string[] = [
  ...["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"],
  ...["propertyIsEnumerable", "toLocaleString", "__defineGetter__", "__lookupSetter__"],
];

/** Up to `maxLength` tokens of the language (or `tokens`), with random spacing. */
export function tokenSoup(maxLength = 60, tokens = TOKENS): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.constantFrom(...tokens), fc.constantFrom(" ", " ", "", "\n")), {
      maxLength,
    })
    .map((parts) => parts.map(([token, gap]) => token + gap).join(""));
}

// ----------------- mutations of the shipped cells -----------------

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

function mutation(tokens: readonly string[]): fc.Arbitrary<Mutation> {
  return fc.oneof(
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
    fc.record({ op: fc.constant("insert"), at: fc.nat(), token: fc.constantFrom(...tokens) }),
  );
}

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

/** A shipped cell (one of `cells`) after 1 to `maxMutations` token or line edits. */
export function mutatedCell(
  maxMutations = 3,
  cells = SHIPPED,
  tokens = TOKENS,
): fc.Arbitrary<string> {
  return fc
    .record({
      cell: fc.constantFrom(...cells),
      mutations: fc.array(mutation(tokens), { minLength: 1, maxLength: maxMutations }),
    })
    .map(({ cell, mutations }) => mutations.reduce(mutate, cell.text));
}
