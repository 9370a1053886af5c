// The printer is the parser's inverse: for any well-formed AST, parse(print(ast)) gives the same
// tree back (spans aside), and printing what was parsed reproduces the text exactly.
import { readFileSync, readdirSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { CellFile } from "../../src/dsl/ast.js";
import { parseCell } from "../../src/dsl/parse.js";
import { printCell } from "../../src/dsl/print.js";
import {
  cellFile,
  constantExpr,
  decl,
  declWithNumbers,
  expr,
  numberArgOf,
} from "./ast-arbitraries.js";
import { stripSpans } from "./strip-spans.js";

const CELLS = new URL("../../cells/", import.meta.url);
const SPAN0 = { start: 0, end: 0 } as const;

/** Parses text the test itself printed; any diagnostic there is a printer or parser bug. */
function reparse(text: string): CellFile {
  const { file, diagnostics } = parseCell(text);
  expect(
    diagnostics.map((d) => `${d.code} ${d.message}`),
    text,
  ).toEqual([]);
  expect(file).not.toBeNull();
  return file!;
}

describe("printCell", () => {
  test.prop([cellFile], { seed: 0x5eed01, numRuns: 400 })(
    "gives back the same tree when its output is parsed",
    (ast) => {
      const text = printCell(ast);
      expect(stripSpans(reparse(text)), text).toEqual(stripSpans(ast));
    },
  );

  test.prop([cellFile], { seed: 0x5eed02, numRuns: 200 })(
    "is idempotent when printing what it printed",
    (ast) => {
      const text = printCell(ast);
      expect(printCell(reparse(text))).toBe(text);
    },
  );

  // Smaller trees, one expression at a time: shrinks to readable counterexamples faster.
  test.prop([expr], { seed: 0x5eed03, numRuns: 400 })(
    "gives back any expression when it is the output",
    (value) => {
      const ast: CellFile = { decls: [{ kind: "Output", value, span: SPAN0 }], span: SPAN0 };
      expect(stripSpans(reparse(printCell(ast)))).toEqual(stripSpans(ast));
    },
  );

  test.prop([decl, decl], { seed: 0x5eed04, numRuns: 300 })(
    "keeps declarations apart when two follow each other",
    (a, b) => {
      const ast: CellFile = { decls: [a, b], span: SPAN0 };
      expect(stripSpans(reparse(printCell(ast)))).toEqual(stripSpans(ast));
    },
  );

  it.each(readdirSync(CELLS).filter((f) => f.endsWith(".cell")))(
    "gives back the tree of the shipped cell %s when it is parsed again",
    (name) => {
      const original = reparse(readFileSync(new URL(name, CELLS), "utf8"));
      const text = printCell(original);
      expect(stripSpans(reparse(text))).toEqual(stripSpans(original));
      expect(printCell(reparse(text))).toBe(text);
    },
  );

  // Signed zero is its own property: `= -0` parses to -0 (the sign is applied to the literal), so
  // the printer must keep the sign for the tree to come back.
  test.prop([declWithNumbers(numberArgOf(fc.constantFrom(-0, 0, -1)))], {
    seed: 0x5eed05,
    numRuns: 100,
  })("keeps the sign of a zero when a default or activation argument is zero", (d) => {
    const ast: CellFile = { decls: [d], span: SPAN0 };
    expect(stripSpans(reparse(printCell(ast)))).toEqual(stripSpans(ast));
  });

  test.prop([declWithNumbers(numberArgOf(fc.constant(1)), constantExpr)], {
    seed: 0x5eed06,
    numRuns: 200,
  })("gives back defaults and activation arguments when they are constant arithmetic", (d) => {
    const ast: CellFile = { decls: [d], span: SPAN0 };
    expect(stripSpans(reparse(printCell(ast)))).toEqual(stripSpans(ast));
  });

  it("prints defaults and activation arguments with the parentheses they need", () => {
    const text = "fn f(v, a = -(1 / 3), b = (2 + 1) * 3, c = 1e-5) = v\nslot s = f(1 / -4, --2)\n";
    expect(printCell(reparse(text))).toBe(
      "fn f(v, a = -(1 / 3), b = (2 + 1) * 3, c = 0.00001) = v\nslot s = f(1 / -4, --2)\n",
    );
  });

  it("parenthesises a comparison when it is the left operand of another", () => {
    expect(parseCell("output a < b < c\n").file).toBeNull();
    const ast = reparse("output (a < b) < c\n");
    expect(printCell(ast)).toBe("output (a < b) < c\n");
  });
});
