// Symbolic sizes are integer linear forms over size variables. The arithmetic must agree with
// evaluation under any binding, the printed form must be canonical (same form ⇔ same text), and
// solveSize must invert evaluation when exactly one variable is unknown.
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  type Size,
  addSizes,
  evalSize,
  formatSize,
  scaleSize,
  sizeConst,
  sizeVar,
  solveSize,
  subSizes,
} from "../../src/shared/size.js";

const NAMES = ["H", "I", "P", "K", "n_2"] as const;
type Binding = ReadonlyMap<string, number>;

/** A canonical size built directly (not through the code under test): sorted, no zero terms. */
function makeSize(constant: number, coeffs: Readonly<Record<string, number>>): Size {
  const terms = Object.entries(coeffs)
    .filter(([, c]) => c !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, coeff]) => ({ name, coeff }));
  return { constant, terms };
}

const coeff = fc.integer({ min: -5, max: 5 });
const size: fc.Arbitrary<Size> = fc
  .record({
    constant: fc.integer({ min: -20, max: 20 }),
    coeffs: fc.dictionary(fc.constantFrom(...NAMES), coeff, { maxKeys: NAMES.length }),
  })
  .map(({ constant, coeffs }) => makeSize(constant, coeffs));

const binding: fc.Arbitrary<Binding> = fc
  .tuple(...NAMES.map(() => fc.integer({ min: -50, max: 50 })))
  .map((values) => new Map(NAMES.map((n, i) => [n, values[i]!])));

function evalAll(s: Size, b: Binding): number {
  const v = evalSize(s, b);
  expect(v).not.toBeNull();
  return v!;
}

/** Independent equivalence of linear forms: equal at zero and at every unit vector. */
function sameForm(a: Size, b: Size): boolean {
  const points = [new Map(NAMES.map((n) => [n, 0]))];
  for (const k of NAMES) points.push(new Map(NAMES.map((n) => [n, n === k ? 1 : 0])));
  return points.every((p) => evalAll(a, p) === evalAll(b, p));
}

function expectCanonical(s: Size): void {
  const names = s.terms.map((t) => t.name);
  expect(names).toEqual([...new Set(names)].sort());
  for (const t of s.terms) {
    expect(t.coeff).not.toBe(0);
    expect(Number.isInteger(t.coeff)).toBe(true);
  }
}

/** A second size equal to `a`, reached by a detour through other sizes. */
const detour: fc.Arbitrary<(a: Size) => Size> = fc.oneof(
  size.map((c) => (a: Size) => subSizes(addSizes(a, c), c)),
  size.map((c) => (a: Size) => addSizes(subSizes(a, c), c)),
  fc.constant((a: Size) => scaleSize(scaleSize(a, -1), -1)),
  fc.constant((a: Size) =>
    a.terms.reduce(
      (acc, t) => addSizes(acc, scaleSize(sizeVar(t.name), t.coeff)),
      sizeConst(a.constant),
    ),
  ),
);

describe("symbolic sizes", () => {
  test.prop([size, size, binding], { seed: 0x512e01, numRuns: 300 })(
    "adds and subtracts as their values do when evaluated under any binding",
    (a, b, env) => {
      const sum = addSizes(a, b);
      const diff = subSizes(a, b);
      expect(evalAll(sum, env)).toBe(evalAll(a, env) + evalAll(b, env));
      expect(evalAll(diff, env)).toBe(evalAll(a, env) - evalAll(b, env));
      expectCanonical(sum);
      expectCanonical(diff);
    },
  );

  test.prop([size, fc.integer({ min: -6, max: 6 }), binding], { seed: 0x512e02, numRuns: 300 })(
    "scales as its value does when evaluated under any binding",
    (a, k, env) => {
      const scaled = scaleSize(a, k);
      expect(evalAll(scaled, env) === k * evalAll(a, env)).toBe(true); // 0 and -0 alike
      expectCanonical(scaled);
    },
  );

  test.prop([size, binding], { seed: 0x512e03, numRuns: 100 })(
    "evaluates variables to their bindings when bound and to null when one is not",
    (a, env) => {
      for (const n of NAMES) expect(evalSize(sizeVar(n), env)).toBe(env.get(n));
      expect(evalSize(sizeConst(a.constant), new Map())).toBe(a.constant);
      if (a.terms.length > 0) expect(evalSize(a, new Map())).toBeNull();
    },
  );

  test.prop([size, size], { seed: 0x512e04, numRuns: 500 })(
    "prints equal text exactly when two sizes are the same linear form",
    (a, b) => {
      expect(formatSize(a) === formatSize(b)).toBe(sameForm(a, b));
    },
  );

  test.prop([size, detour], { seed: 0x512e05, numRuns: 300 })(
    "prints the same text when a size is reached by a detour",
    (a, via) => {
      const b = via(a);
      expect(sameForm(a, b)).toBe(true);
      expect(formatSize(b)).toBe(formatSize(a));
    },
  );

  test.prop(
    [size, fc.constantFrom(...NAMES), coeff.filter((c) => c !== 0), binding.map(nonNegative)],
    { seed: 0x512e06, numRuns: 300 },
  )("recovers the one unknown variable when given the size's value", (base, name, c, env) => {
    const a = addSizes(base, scaleSize(sizeVar(name), c - (termOf(base, name) ?? 0)));
    expect(termOf(a, name)).toBe(c);
    const known = new Map([...env].filter(([n]) => n !== name));
    const solved = solveSize(a, evalAll(a, env), known);
    expect(solved).not.toBeNull();
    expect(solved).not.toBe("unsolvable");
    const { name: got, value } = solved as { name: string; value: number };
    expect(got).toBe(name);
    expect(value === env.get(name)).toBe(true); // 0 and -0 alike
  });

  test.prop([size, binding.map(nonNegative)], { seed: 0x512e07, numRuns: 200 })(
    "learns nothing when no variable or more than one is unknown",
    (a, env) => {
      expect(solveSize(a, evalAll(a, env), env)).toBeNull();
      if (a.terms.length >= 2) {
        const known = new Map(
          [...env].filter(([n]) => !a.terms.slice(0, 2).some((t) => t.name === n)),
        );
        expect(solveSize(a, evalAll(a, env), known)).toBeNull();
      }
    },
  );

  test.prop(
    [size, fc.constantFrom(...NAMES), fc.integer({ min: 2, max: 5 }), binding.map(nonNegative)],
    { seed: 0x512e08, numRuns: 200 },
  )(
    "reports no whole solution when the value is off by less than the coefficient",
    (base, name, c, env) => {
      const a = addSizes(base, scaleSize(sizeVar(name), c - (termOf(base, name) ?? 0)));
      const known = new Map([...env].filter(([n]) => n !== name));
      expect(solveSize(a, evalAll(a, env) + 1, known)).toBe("unsolvable");
    },
  );
});

function termOf(s: Size, name: string): number | undefined {
  return s.terms.find((t) => t.name === name)?.coeff;
}

function nonNegative(env: Binding): Binding {
  return new Map([...env].map(([n, v]) => [n, Math.abs(v)]));
}
