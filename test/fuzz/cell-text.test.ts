// Fuzzes compile() with hostile `.cell` text: long token soups, shipped cells mutated many times
// (tokens and lines inserted, deleted, duplicated, swapped) or renamed to Object.prototype's names.
// Each case ends within the budget with IR, or a located error, and never throws (cell-text.ts).
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { compile } from "../../src/index.js";
import { KEYWORDS } from "../../src/dsl/tokens.js";
import {
  OBJECT_NAMES,
  SHIPPED,
  TOKENS,
  expectTotalResult,
  mutatedCell,
  tokenSoup,
} from "../property/cell-text.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters, withinBudget } from "./settings.js";

const HOSTILE_TOKENS = [...TOKENS, ...OBJECT_NAMES];

/** Compiles within the budget and checks the outcome; returns the result. */
function compileChecked(text: string): ReturnType<typeof compile> {
  const what = `compiling ${JSON.stringify(text.slice(0, 120))} (${text.length} chars)`;
  const result = withinBudget(what, () => compile(text, { file: "fuzz.cell" }));
  expectTotalResult(text, result);
  return result;
}

test.prop([tokenSoup(400, HOSTILE_TOKENS)], fuzzParameters(300))(
  "returns IR or a located error when given a long soup of the language's tokens",
  (text) => void compileChecked(text),
  PROPERTY_TIMEOUT_MS,
);

test.prop([mutatedCell(12, SHIPPED, HOSTILE_TOKENS)], fuzzParameters(300))(
  "returns IR or a located error when a shipped cell is mutated many times",
  (text) => void compileChecked(text),
  PROPERTY_TIMEOUT_MS,
);

/** The names a cell declares (not keywords: `slot cell` keeps its name). */
function declaredNames(text: string): string[] {
  const names = new Set<string>();
  const lists =
    /\b(?:size|input|state|param|let|slot|fn)\s+([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)/g;
  for (const m of text.matchAll(lists)) for (const n of m[1]!.split(",")) names.add(n.trim());
  for (const m of text.matchAll(/\bfn\s+\w+\s*\(([^)]*)\)/g))
    for (const p of m[1]!.split(",")) names.add(p.split("=")[0]!.trim());
  return [...names].filter((n) => n !== "" && !KEYWORDS.has(n));
}

/** A shipped cell with each declared name renamed to one of Object.prototype's (made distinct). */
const renamedCell = fc
  .record({ cell: fc.constantFrom(...SHIPPED), order: fc.array(fc.nat(), { minLength: 40 }) })
  .map(({ cell, order }) => {
    const pool = [...OBJECT_NAMES];
    const renames = new Map<string, string>();
    declaredNames(cell.text).forEach((name, k) => {
      const pick = pool.splice((order[k] ?? 0) % pool.length, 1)[0];
      const renamed = pick ?? `${OBJECT_NAMES[k % OBJECT_NAMES.length]}${k}`;
      // A leading _ stays: it exempts a let that is never used (mgu's unused halves) from W202.
      renames.set(name, name.startsWith("_") && !renamed.startsWith("_") ? `_${renamed}` : renamed);
    });
    const text = cell.text.replace(/[A-Za-z_]\w*/g, (w) => renames.get(w) ?? w);
    return { original: cell.text, text };
  });

test.prop([renamedCell], fuzzParameters(60))(
  "compiles a shipped cell to the same graph when its names are Object.prototype's",
  ({ original, text }) => {
    const renamed = compileChecked(text);
    expect(renamed.diagnostics).toEqual([]);
    expect(renamed.optIR?.nodes.length).toBe(compile(original).optIR?.nodes.length);
  },
  PROPERTY_TIMEOUT_MS,
);
