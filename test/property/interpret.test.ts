// Compiling is faithful: for random element-wise cells, written as `.cell` text from a random
// expression tree, the IR verifies and interpretStep computes what a tiny float64 evaluator of the
// same tree computes. The oracle is element-wise-cells.ts; it shares no code with src/compiler.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compile } from "../../src/index.js";
import { interpretStep } from "../../src/compiler/ir/interpret.js";
import { verifyIR } from "../../src/compiler/ir/verify.js";
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  ARITHMETIC,
  COMPARISONS,
  type Cell,
  type ExtraArg,
  type Slot,
  type Tree,
  cellText,
  evaluate,
  isVector,
} from "./element-wise-cells.js";

// ----------------- arbitraries -----------------

/** Mostly everyday numbers; fc.double alone favours extremes such as subnormals. */
const decimal = (max: number): fc.Arbitrary<number> =>
  fc.integer({ min: -max * 100, max: max * 100 }).map((i) => i / 100);
const literal = fc.oneof(
  { arbitrary: decimal(10).map(Math.abs), weight: 4 },
  { arbitrary: fc.constantFrom(0, 1, 2, 0.5, 0.1, 3, 1e-9, 1e300), weight: 2 },
  {
    arbitrary: fc.double({ min: 0, max: 10, noNaN: true }).filter((v) => !Object.is(v, -0)),
    weight: 1,
  },
);
const signed = fc.oneof(
  { arbitrary: decimal(3), weight: 4 },
  { arbitrary: fc.constantFrom(0.2, -0.5, 1, 0, -0, 2.5), weight: 2 },
  { arbitrary: fc.double({ min: -3, max: 3, noNaN: true }), weight: 1 },
);

function extraArgs(name: string): fc.Arbitrary<ExtraArg[]> {
  const arity = ACTIVATIONS[name]!.params.length;
  // Named arguments may come in any subset but keep their order here; positional ones lead.
  return fc
    .array(fc.record({ value: signed, named: fc.boolean() }), { maxLength: arity })
    .map((xs) => {
      const firstNamed = xs.findIndex((x) => x.named);
      return firstNamed < 0 ? xs : xs.map((x, i) => ({ ...x, named: i >= firstNamed }));
    });
}

function tree(leaves: readonly string[]): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => {
    const sub = tie("tree");
    return {
      tree: fc.oneof(
        { maxDepth: 4, depthIdentifier: "tree" },
        { arbitrary: literal.map((v): Tree => ({ k: "num", v })), weight: 2 },
        {
          arbitrary: fc.constantFrom(...leaves).map((name): Tree => ({ k: "var", name })),
          weight: 4,
        },
        sub.map((a): Tree => ({ k: "neg", a })),
        fc
          .record({
            op: fc.constantFrom(...ARITHMETIC, ...ARITHMETIC, ...COMPARISONS),
            a: sub,
            b: sub,
          })
          .map((r): Tree => ({ k: "bin", ...r })),
        fc
          .record({ f: fc.constantFrom("max", "min"), a: sub, b: sub })
          .map((r): Tree => ({ k: "minmax", ...r })),
        fc.record({ a: sub, b: sub }).map((r): Tree => ({ k: "pow", ...r })),
        fc.record({ c: sub, a: sub, b: sub }).map((r): Tree => ({ k: "cond", ...r })),
        fc
          .constantFrom(...ACTIVATION_NAMES)
          .chain((f) =>
            fc.record({ a: sub, extra: extraArgs(f) }).map((r): Tree => ({ k: "act", f, ...r })),
          ),
        sub.map((a): Tree => ({ k: "slot", a })),
      ),
    };
  }).tree;
}

const slot: fc.Arbitrary<Slot> = fc
  .constantFrom(...ACTIVATION_NAMES)
  .chain((f) =>
    fc.array(signed, { maxLength: ACTIVATIONS[f]!.params.length }).map((args) => ({ f, args })),
  );

const BASE = ["x", "h", "c", "b", "s"];
const VECTORS = new Set(["x", "h", "c", "b", "h'", "c'"]);

/** Makes sure a root is a vector, as states and the output must be: adds x if it is not. */
const asVector = (t: Tree, vectors: ReadonlySet<string>): Tree =>
  isVector(t, vectors) ? t : { k: "bin", op: "+", a: t, b: { k: "var", name: "x" } };

const cell: fc.Arbitrary<Cell> = fc
  .record({
    slot,
    t: tree(BASE),
    h: tree([...BASE, "t"]),
    c: tree([...BASE, "t", "h'"]),
    out: tree([...BASE, "t", "h'", "c'"]),
  })
  .map((r) => {
    const vectors = isVector(r.t, VECTORS) ? new Set([...VECTORS, "t"]) : VECTORS;
    return {
      ...r,
      h: asVector(r.h, vectors),
      c: asVector(r.c, vectors),
      out: asVector(r.out, vectors),
    };
  });

const value = fc.oneof(
  { arbitrary: decimal(8), weight: 6 },
  { arbitrary: fc.double({ min: -8, max: 8, noNaN: true }), weight: 2 },
  { arbitrary: fc.constantFrom(0, -0, 1, -1, 1e300, -1e-300, Infinity, -Infinity, NaN), weight: 1 },
);

interface Values {
  readonly n: number;
  readonly vectors: Readonly<Record<"x" | "h" | "c" | "b", readonly number[]>>;
  readonly s: number;
}

const values: fc.Arbitrary<Values> = fc.integer({ min: 1, max: 6 }).chain((n) => {
  const vec = fc.array(value, { minLength: n, maxLength: n });
  return fc.record({
    n: fc.constant(n),
    vectors: fc.record({ x: vec, h: vec, c: vec, b: vec }),
    s: value,
  });
});

// ----------------- the property -----------------

/** Within 1e-12 relative; NaN equals NaN, and infinities must match exactly. */
function close(got: number, want: number): boolean {
  if (Number.isNaN(got) || Number.isNaN(want)) return Number.isNaN(got) && Number.isNaN(want);
  if (got === want) return true;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return false;
  return Math.abs(got - want) <= 1e-12 * Math.max(Math.abs(got), Math.abs(want));
}

/** The oracle's answer for h', c' and the output, element by element. */
function expected(cellSpec: Cell, v: Values): Record<"h" | "c" | "out", number[]> {
  const out = { h: [] as number[], c: [] as number[], out: [] as number[] };
  for (let i = 0; i < v.n; i++) {
    const env = new Map<string, number>([["s", v.s]]);
    for (const [name, xs] of Object.entries(v.vectors)) env.set(name, xs[i]!);
    env.set("t", evaluate(cellSpec.t, env, cellSpec.slot));
    env.set("h'", evaluate(cellSpec.h, env, cellSpec.slot));
    env.set("c'", evaluate(cellSpec.c, env, cellSpec.slot));
    out.h.push(env.get("h'")!);
    out.c.push(env.get("c'")!);
    out.out.push(evaluate(cellSpec.out, env, cellSpec.slot));
  }
  return out;
}

describe("interpretStep", () => {
  test.prop([cell, values], { seed: 0x1e7e01, numRuns: 250 })(
    "agrees with a direct evaluation of the expression tree when the cell is element-wise",
    (spec, v) => {
      const text = cellText(spec);
      const result = compile(text, { file: "random.cell" });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(
        errors.map((d) => `${d.code} ${d.message}`),
        text,
      ).toEqual([]);
      const ir = result.ir!;
      expect(() => verifyIR(ir, "in the property")).not.toThrow();

      const leaves: Readonly<Record<string, readonly number[]>> = { ...v.vectors, s: [v.s] };
      const computed = interpretStep(ir, new Map([["N", v.n]]), (node) =>
        Float64Array.from(leaves[node.name]!),
      );
      const want = expected(spec, v);
      const got = {
        h: [...computed[ir.next.get("h")!]!],
        c: [...computed[ir.next.get("c")!]!],
        out: [...computed[ir.output]!],
      };
      for (const key of ["h", "c", "out"] as const) {
        expect(got[key].length, `${key} in\n${text}`).toBe(v.n);
        const bad = got[key].findIndex((g, i) => !close(g, want[key][i]!));
        if (bad >= 0) {
          expect.fail(`${key}[${bad}] is ${got[key][bad]}, expected ${want[key][bad]} in\n${text}`);
        }
      }
    },
  );
});
