// Fuzzes compile() with well-formed but extreme cells (long chains of lets and functions, deep or
// long expressions, many declarations, huge split and concat counts, Object.prototype's names):
// each ends within the budget with IR or the located error of the limit it passes (dsl/limits.ts).
// Below: issue 10's reproducers, and passes and code generation on the longest legal chains.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { generateModule } from "../../src/compiler/codegen/index.js";
import { MAX_DECLARATIONS, MAX_EXPR_DEPTH, MAX_NESTING, MAX_PARTS } from "../../src/dsl/limits.js";
import { PIPELINE, compile, formatDiagnostic } from "../../src/index.js";
import { OBJECT_NAMES, expectTotalResult } from "../property/cell-text.js";
import { PROPERTY_TIMEOUT_MS, fuzzParameters, withinBudget } from "./settings.js";

const HEAD = "cell chain\nsize I\ninput x : [I]\nstate h : [I]\nparam W : [I, I]\n";

/** Lines `line(1)` to `line(n)`, each ended by a newline. */
const lines = (n: number, line: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => `${line(i + 1)}\n`).join("");

/** A cell and the error codes it may end with (none: it must compile). */
interface Case {
  readonly text: string;
  readonly codes: readonly string[];
}

/**
 * Compiles within the budget, renders every diagnostic (also within it: rendering must be linear),
 * and checks the outcome: IR, or only errors of the expected codes.
 */
function check({ text, codes }: Case): void {
  const what = `compiling ${JSON.stringify(text.slice(0, 100))}… (${text.length} chars)`;
  const result = withinBudget(what, () => {
    const r = compile(text, { file: "chain.cell" });
    for (const d of r.diagnostics) formatDiagnostic(d, r.source);
    return r;
  });
  expectTotalResult(text, result);
  const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
  if (codes.length === 0) expect(errors).toEqual([]);
  for (const code of errors) expect(codes).toContain(code);
}

// ----------------- chains of lets and functions -----------------

const LET_LINKS: readonly ((prev: string, i: number) => string)[] = [
  (prev) => prev,
  (prev) => `${prev} + 1`,
  (prev) => `tanh(${prev}) * h`,
  (prev, i) => `(${prev} - x) / ${i}`,
  (prev) => `${prev} > 0 ? ${prev} : -${prev}`,
];

/** `let a_i = f(a_{i-1})`: lets never limit a chain's length (lowering takes them in order). */
const letChain: fc.Arbitrary<Case> = fc
  .record({ n: fc.integer({ min: 1, max: 1200 }), link: fc.nat(LET_LINKS.length - 1) })
  .map(({ n, link }) => {
    const body = lines(n, (i) => `let a${i} = ${LET_LINKS[link]!(`a${i - 1}`, i)}`);
    return { text: `${HEAD}let a0 = W @ x\n${body}h' = a${n}\noutput h'\n`, codes: [] };
  });

const FN_LINKS: readonly ((prev: string) => string)[] = [
  (prev) => `${prev}(v)`,
  (prev) => `${prev}(v) + 1`,
  (prev) => `${prev}(v) + ${prev}(v)`,
  (prev) => `tanh(${prev}(v)) * v`,
  (prev) => `${prev}(v + 1)`,
  (prev) => `${prev}(${prev}(v))`,
  (prev) => `${prev}(v + 1) + ${prev}(v + 2)`,
];

/**
 * `fn f_i(v) = ...f_{i-1}...`: functions are inlined, so a long chain is E104, and one that
 * calls the last with two different arguments grows exponentially (E301).
 */
const fnChain: fc.Arbitrary<Case> = fc
  .record({ n: fc.integer({ min: 1, max: 2000 }), link: fc.nat(FN_LINKS.length - 1) })
  .map(({ n, link }) => {
    const body = lines(n, (i) => `fn f${i}(v) = ${FN_LINKS[link]!(`f${i - 1}`)}`);
    const text = `${HEAD}fn f0(v) = v\n${body}h' = f${n}(W @ x)\noutput h'\n`;
    return { text, codes: ["E104", "E301"] };
  });

test.prop([fc.oneof(letChain, fnChain)], fuzzParameters(15))(
  "returns IR or E104 when given a long chain of lets or functions",
  check,
  PROPERTY_TIMEOUT_MS,
);

// ----------------- deep and long expressions, many declarations -----------------

const nested: fc.Arbitrary<Case> = fc
  .record({
    depth: fc.integer({ min: 1, max: 3 * MAX_NESTING }),
    open: fc.constantFrom("(", "tanh(", "-(", "max(x, ", "x > 0 ? x : ("),
  })
  .map(({ depth, open }) => ({
    text: `${HEAD}h' = ${open.repeat(depth)}W @ x${")".repeat(depth)}\noutput h'\n`,
    codes: ["E104"],
  }));

const signs: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 3 * MAX_EXPR_DEPTH }).map((n) => ({
  text: `${HEAD}h' = ${"-".repeat(n)}h\noutput h'\n`,
  codes: n > MAX_EXPR_DEPTH ? ["E104"] : [],
}));

/** A sum of n terms nests n levels (left to right), and takes 2n tokens. */
const longSum: fc.Arbitrary<Case> = fc
  .record({ n: fc.integer({ min: 1, max: 40_000 }), distinct: fc.boolean() })
  .map(({ n, distinct }) => {
    const terms = Array.from({ length: n }, (_, i) => (distinct ? `x * ${i}` : "x"));
    return { text: `${HEAD}h' = ${terms.join(" + ")}\noutput h'\n`, codes: ["E104", "E106"] };
  });

const DECLARATIONS: readonly ((i: number) => string)[] = [
  (i) => `size S${i}`,
  (i) => `param p${i} : [I] = 0`,
  (i) => `let a${i} = x * ${i}`,
  (i) => `slot s${i} = tanh`,
];

const manyDeclarations: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: MAX_DECLARATIONS + 500 }),
    kind: fc.nat(DECLARATIONS.length - 1),
  })
  .map(({ n, kind }) => ({
    text: `${HEAD}${lines(n, DECLARATIONS[kind]!)}h' = W @ x\noutput h'\n`,
    codes: ["E106"],
  }));

test.prop([fc.oneof(nested, signs, longSum, manyDeclarations)], fuzzParameters(30))(
  "returns IR, E104 or E106 when given deep or long expressions or many declarations",
  check,
  PROPERTY_TIMEOUT_MS,
);

// ----------------- split and concat counts -----------------

const bigSplit: fc.Arbitrary<Case> = fc
  .record({
    names: fc.integer({ min: 1, max: 3 * MAX_PARTS }),
    parts: fc.oneof(fc.integer({ min: 1, max: 3 * MAX_PARTS }), fc.constant(100_000), fc.nat()),
    named: fc.boolean(),
  })
  .map(({ names, parts, named }) => {
    const list = Array.from({ length: names }, (_, i) => `a${i}`);
    const count = named ? `parts = ${parts}` : `${parts}`;
    return {
      text: `cell s\nsize I\ninput x : [${parts}*I]\nstate h : [I]\nlet ${list.join(", ")} = split(x, ${count})\nh' = a0 + h\noutput h'\n`,
      codes: ["E217", "E223", "E210", "E209"],
    };
  });

const bigConcat: fc.Arbitrary<Case> = fc.integer({ min: 1, max: 3 * MAX_PARTS }).map((n) => ({
  text: `cell s\nsize I\ninput x : [I]\nstate h : [${n}*I]\nh' = concat(${Array(n).fill("x").join(", ")})\noutput h'\n`,
  codes: ["E223"],
}));

test.prop([fc.oneof(bigSplit, bigConcat)], fuzzParameters(20))(
  "returns IR, or E223 past the part limit, when given a split or a concat of many parts",
  check,
  PROPERTY_TIMEOUT_MS,
);

// ----------------- names every object has -----------------

/** A cell whose every name comes from OBJECT_NAMES (distinct ones, so it must compile). */
const objectNamed: fc.Arbitrary<Case> = fc
  .shuffledSubarray([...OBJECT_NAMES], { minLength: 8, maxLength: 8 })
  .map(([size, input, state1, state2, param, slot, fn, value]) => ({
    text: `cell ${value}
size ${size}
input ${input} : [${size}]
state ${state1} : [${size}]
state ${state2} : [${size}]
param ${param} : [${size}, ${size}]
slot ${slot} = tanh
fn ${fn}(${value}, ${size} = 1) = ${slot}(${value}) * ${size}
let ${value}, ${value}2 = split(concat(${state1}, ${state2}), 2)
${state1}' = ${fn}(${param} @ ${input} + ${value})
${state2}' = ${state2} + ${value}2 * ${state1}'
output ${state1}'
`,
    codes: [],
  }));

test.prop([objectNamed], fuzzParameters(40))(
  "compiles a cell whose names are all Object.prototype's",
  check,
  PROPERTY_TIMEOUT_MS,
);

// ----------------- the issue's reproducers, and code generation on long chains -----------------

const REPRODUCERS: Readonly<Record<string, Case>> = {
  "30 functions each calling the last twice": {
    text: `${HEAD}fn f0(v) = v\n${lines(30, (i) => `fn f${i}(v) = f${i - 1}(v) + f${i - 1}(v)`)}h' = f30(W @ x)\noutput h'\n`,
    codes: [],
  },
  "a chain of 2,000 lets": {
    text: `${HEAD}let a0 = W @ x\n${lines(2000, (i) => `let a${i} = a${i - 1} + 1`)}h' = a2000\noutput h'\n`,
    codes: [],
  },
  "a chain of 2,000 functions": {
    text: `${HEAD}fn f0(v) = v\n${lines(2000, (i) => `fn f${i}(v) = f${i - 1}(v) + 1`)}h' = f2000(W @ x)\noutput h'\n`,
    codes: ["E104"],
  },
  "a chain of 100,000 lets": {
    text: `${HEAD}let a0 = W @ x\n${lines(100_000, (i) => `let a${i} = a${i - 1} + 1`)}h' = a100000\noutput h'\n`,
    codes: ["E106"],
  },
  "a chain of 100,000 functions": {
    text: `${HEAD}fn f0(v) = v\n${lines(100_000, (i) => `fn f${i}(v) = f${i - 1}(v) + 1`)}h' = f100000(W @ x)\noutput h'\n`,
    codes: ["E106"],
  },
  "a sum of 100,000 terms": {
    text: `${HEAD}h' = ${Array(100_000).fill("x").join(" + ")}\noutput h'\n`,
    codes: ["E106"],
  },
  "20,000 size declarations": {
    text: `${HEAD}${lines(20_000, (i) => `size S${i}`)}h' = W @ x\noutput h'\n`,
    codes: ["E106"],
  },
  "4,990 unused sizes (4,990 warnings)": {
    text: `${HEAD}${lines(4_990, (i) => `size S${i}`)}h' = W @ x\noutput h'\n`,
    codes: [],
  },
  "a split into 100,000 parts": {
    text: `cell s\nsize I\ninput x : [100000*I]\nstate h : [I]\nlet ${Array.from({ length: 100_000 }, (_, i) => `a${i}`).join(", ")} = split(x, 100000)\nh' = a0 + h\noutput h'\n`,
    codes: ["E106"],
  },
  "a split into 100,000 parts, named": {
    text: `cell s\nsize I\ninput x : [100000*I]\nstate h : [I]\nlet a, b = split(x, parts = 100000)\nh' = a + b + h\noutput h'\n`,
    codes: ["E223"],
  },
};

describe("compile", () => {
  it.each(Object.entries(REPRODUCERS))("ends within the budget when given %s", (_, c) => check(c));
});

/** Cells that compile at the edge of the limits: passes and code generation must cope. */
const LONG_LEGAL: readonly (readonly [what: string, text: string, format: boolean])[] = [
  [
    "500 lets, each using the last",
    `${HEAD}let a0 = W @ x\n${lines(500, (i) => `let a${i} = tanh(a${i - 1}) * h`)}h' = a500\noutput h'\n`,
    true,
  ],
  [
    "2,000 lets, each using the last",
    `${HEAD}let a0 = W @ x\n${lines(2000, (i) => `let a${i} = a${i - 1} * x + h`)}h' = a2000\noutput h'\n`,
    false,
  ],
  [
    "functions as deep as allowed",
    `${HEAD}fn f0(v) = v\n${lines(330, (i) => `fn f${i}(v) = tanh(f${i - 1}(v)) * v`)}h' = f330(W @ x)\noutput h'\n`,
    true,
  ],
  [
    "a sum of 990 terms",
    `${HEAD}h' = ${Array.from({ length: 990 }, (_, i) => (i % 2 ? `W @ x * ${i}` : "h")).join(" + ")}\noutput h'\n`,
    true,
  ],
];

describe("generateModule", () => {
  it.each(LONG_LEGAL)(
    "writes a module that parses when given %s",
    async (_, text, format) => {
      const { optIR, source, diagnostics } = compile(text, { file: "long.cell" });
      expect(diagnostics).toEqual([]);
      const passes = PIPELINE.map((p) => p.name);
      for (const target of ["js", "wasm"] as const) {
        // Prettier parses what it formats; without it, only V8 does (below).
        const js = await generateModule(optIR!, { source, passes, target, format });
        const typed = await generateModule(optIR!, { source, passes, target, format, typed: true });
        expect(typed.code.length).toBeGreaterThan(0);
        const url = `data:text/javascript;base64,${Buffer.from(js.code).toString("base64")}`;
        const module = (await import(url)) as { meta: { name: string } };
        expect(module.meta.name).toBe("chain");
      }
    },
    60_000,
  );
});
