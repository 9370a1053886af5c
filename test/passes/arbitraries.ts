// Random element-wise cells (the trees of test/property/element-wise-cells.ts) in two flavours:
// `anyCell`, over every operator and activation with awkward literals, and `integerCell`, over
// the operators that keep whole numbers whole, where float64 sums are exact in any order.
import { fc } from "@fast-check/vitest";
import {
  ACTIVATION_NAMES,
  ACTIVATIONS,
  ARITHMETIC,
  type BinaryOp,
  COMPARISONS,
  type Cell,
  type ExtraArg,
  type Slot,
  type Tree,
  isVector,
} from "../property/element-wise-cells.js";

interface Flavour {
  readonly literal: fc.Arbitrary<number>;
  /** Extra activation arguments and slot-binding numbers. */
  readonly signed: fc.Arbitrary<number>;
  readonly activations: readonly string[];
  readonly operators: readonly BinaryOp[];
  readonly pow: boolean;
}

/** Mostly everyday numbers; fc.double alone favours extremes such as subnormals. */
const decimal = (max: number): fc.Arbitrary<number> =>
  fc.integer({ min: -max * 100, max: max * 100 }).map((i) => i / 100);

const ANY: Flavour = {
  literal: fc.oneof(
    { arbitrary: decimal(10).map(Math.abs), weight: 4 },
    { arbitrary: fc.constantFrom(0, 1, 2, 0.5, 0.1, 3, 1e-9, 1e300), weight: 2 },
  ),
  signed: fc.oneof(decimal(3), fc.constantFrom(0.2, -0.5, 1, 0, -0, 2.5)),
  activations: ACTIVATION_NAMES,
  operators: [...ARITHMETIC, ...ARITHMETIC, ...COMPARISONS],
  pow: true,
};

// Activations that map whole numbers to whole numbers for whole-number parameters.
const WHOLE = ["linear", "step", "relu", "abs", "floor", "hard_tanh", "thresholded_relu", "affine"];

const INTEGER: Flavour = {
  literal: fc.integer({ min: 0, max: 3 }),
  signed: fc.integer({ min: -2, max: 2 }),
  activations: WHOLE,
  operators: ["+", "+", "-", "*", ...COMPARISONS],
  pow: false,
};

function extraArgs(f: Flavour, name: string): fc.Arbitrary<ExtraArg[]> {
  const arity = ACTIVATIONS[name]!.params.length;
  // Positional arguments lead; once one is named, the rest are named too.
  return fc
    .array(fc.record({ value: f.signed, named: fc.boolean() }), { maxLength: arity })
    .map((xs) => {
      const firstNamed = xs.findIndex((x) => x.named);
      return firstNamed < 0 ? xs : xs.map((x, i) => ({ ...x, named: i >= firstNamed }));
    });
}

function tree(f: Flavour, leaves: readonly string[]): fc.Arbitrary<Tree> {
  return fc.letrec<{ tree: Tree }>((tie) => {
    const sub = tie("tree");
    const kinds: fc.WeightedArbitrary<Tree>[] = [
      { arbitrary: f.literal.map((v): Tree => ({ k: "num", v })), weight: 2 },
      {
        arbitrary: fc.constantFrom(...leaves).map((name): Tree => ({ k: "var", name })),
        weight: 4,
      },
      { arbitrary: sub.map((a): Tree => ({ k: "neg", a })), weight: 1 },
      {
        arbitrary: fc
          .record({ op: fc.constantFrom(...f.operators), a: sub, b: sub })
          .map((r): Tree => ({ k: "bin", ...r })),
        weight: 2,
      },
      {
        // Sums of several terms (from different stages, often), which group-terms regroups.
        arbitrary: fc
          .array(sub, { minLength: 3, maxLength: 5 })
          .map((ts) => ts.reduce((a, b): Tree => ({ k: "bin", op: "+", a, b }))),
        weight: 2,
      },
      {
        arbitrary: fc
          .record({ f: fc.constantFrom("max" as const, "min" as const), a: sub, b: sub })
          .map((r): Tree => ({ k: "minmax", ...r })),
        weight: 1,
      },
      {
        arbitrary: fc.record({ c: sub, a: sub, b: sub }).map((r): Tree => ({ k: "cond", ...r })),
        weight: 1,
      },
      {
        arbitrary: fc
          .constantFrom(...f.activations)
          .chain((name) =>
            fc
              .record({ a: sub, extra: extraArgs(f, name) })
              .map((r): Tree => ({ k: "act", f: name, ...r })),
          ),
        weight: 1,
      },
      { arbitrary: sub.map((a): Tree => ({ k: "slot", a })), weight: 1 },
    ];
    if (f.pow) {
      const pow = fc.record({ a: sub, b: sub }).map((r): Tree => ({ k: "pow", ...r }));
      kinds.push({ arbitrary: pow, weight: 1 });
    }
    return { tree: fc.oneof({ maxDepth: 4, depthIdentifier: "tree" }, ...kinds) };
  }).tree;
}

const BASE = ["x", "h", "c", "b", "s"];
const VECTORS = new Set(["x", "h", "c", "b", "h'", "c'"]);

/** States and the output must be vectors: a scalar tree gets `+ x`. */
const asVector = (t: Tree, vectors: ReadonlySet<string>): Tree =>
  isVector(t, vectors) ? t : { k: "bin", op: "+", a: t, b: { k: "var", name: "x" } };

function cellOf(f: Flavour): fc.Arbitrary<Cell> {
  const slot: fc.Arbitrary<Slot> = fc
    .constantFrom(...f.activations)
    .chain((name) =>
      fc
        .array(f.signed, { maxLength: ACTIVATIONS[name]!.params.length })
        .map((args) => ({ f: name, args })),
    );
  return fc
    .record({
      slot,
      t: tree(f, BASE),
      h: tree(f, [...BASE, "t"]),
      c: tree(f, [...BASE, "t", "h'"]),
      out: tree(f, [...BASE, "t", "h'", "c'"]),
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
}

export const anyCell: fc.Arbitrary<Cell> = cellOf(ANY);
export const integerCell: fc.Arbitrary<Cell> = cellOf(INTEGER);

/** Values of the leaves: vectors x, h, c, b of length n, and the scalar s. */
export interface Leaves {
  readonly n: number;
  readonly values: Readonly<Record<"x" | "h" | "c" | "b" | "s", readonly number[]>>;
}

function leaves(value: fc.Arbitrary<number>): fc.Arbitrary<Leaves> {
  return fc.integer({ min: 1, max: 4 }).chain((n) => {
    const vec = fc.array(value, { minLength: n, maxLength: n });
    const s = fc.array(value, { minLength: 1, maxLength: 1 });
    return fc.record({ x: vec, h: vec, c: vec, b: vec, s }).map((values) => ({ n, values }));
  });
}

export const anyLeaves: fc.Arbitrary<Leaves> = leaves(
  fc.oneof(
    { arbitrary: decimal(8), weight: 6 },
    { arbitrary: fc.double({ min: -8, max: 8, noNaN: true }), weight: 2 },
    {
      arbitrary: fc.constantFrom(0, -0, 1, -1, 1e300, -1e-300, Infinity, -Infinity, NaN),
      weight: 1,
    },
  ),
);

export const integerLeaves: fc.Arbitrary<Leaves> = leaves(fc.integer({ min: -3, max: 3 }));
