// compile() is total: whatever text it gets — (a) any string, (b) token soup, (c) mutated shipped
// cells, (d) parseable cells that misuse names, (e) bad --act overrides — it returns, and either
// gives IR with no errors or explains itself with an error inside the text. Messages follow §7.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { printCell } from "../../src/dsl/print.js";
import { type CompileOptions, compile } from "../../src/index.js";
import { astArbitraries } from "./ast-arbitraries.js";
import { SHIPPED, expectTotal, mutatedCell as mutated, tokenSoup as soup } from "./cell-text.js";

const LSTM = SHIPPED.find((c) => c.name === "lstm.cell")!.text;

/** STYLE.md §7, checked apart from totality so that a wording slip hides no crash. */
function expectHouseStyle(text: string, options: CompileOptions = {}): void {
  for (const d of compile(text, options).diagnostics) {
    const what = `${d.code} ${JSON.stringify(d.message)}`;
    expect(d.message, what).toMatch(/^[^A-Z]/);
    expect(d.message, what).not.toMatch(/\.$/);
  }
}

// (b) token soup and (c) mutations of the shipped cells: see cell-text.ts.
const tokenSoup = soup();
const mutatedCell = mutated();

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

  it("takes overrides from own properties or a Map, never inherited ones, when given activations", () => {
    const slots = (activations: NonNullable<CompileOptions["activations"]>) => {
      const result = compile(LSTM, { activations });
      return result.optIR?.slots.map((s) => `${s.slot}=${s.activation}`) ?? result.diagnostics;
    };
    const defaults = ["gate=sigmoid", "cand=tanh", "cell=tanh"];
    expect(slots(new Map([["gate", "relu"]]))).toEqual(["gate=relu", "cand=tanh", "cell=tanh"]);
    // A `__proto__` key in an object literal sets the prototype: `gate` is inherited, not given.
    expect(slots({ __proto__: { gate: "relu" } } as unknown as Record<string, string>)).toEqual(
      defaults,
    );
    expect(slots(Object.create({ gate: "relu" }) as Record<string, string>)).toEqual(defaults);
    const own = JSON.parse('{"__proto__": "relu"}') as Record<string, string>;
    expect(compile(LSTM, { activations: own }).diagnostics.map((d) => d.code)).toEqual(["E207"]);
    const notText = { gate: 5 } as unknown as Record<string, string>;
    // Its text, "5", is no activation: a syntax error in the override, not an exception.
    expect(compile(LSTM, { activations: notText }).diagnostics.map((d) => d.code)).toEqual([
      "E102",
    ]);
  });
});
