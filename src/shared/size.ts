// Symbolic sizes: integer linear combinations of size variables, such as `4*H` or `H + I`.
// Values are canonical (terms sorted by name, no zero coefficients), so equal sizes compare equal
// by `sizeKey` and serialise the same way in generated modules.

export interface SizeTerm {
  readonly name: string;
  readonly coeff: number;
}

/** A size such as 4*H + 1: constant + sum of coeff * name. */
export interface Size {
  readonly constant: number;
  readonly terms: readonly SizeTerm[];
}

export type Shape = readonly Size[];

export function sizeConst(n: number): Size {
  return { constant: n, terms: [] };
}

export function sizeVar(name: string): Size {
  return { constant: 0, terms: [{ name, coeff: 1 }] };
}

function normalise(constant: number, coeffs: ReadonlyMap<string, number>): Size {
  const terms = [...coeffs]
    .filter(([, c]) => c !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, coeff]) => ({ name, coeff }));
  return { constant, terms };
}

function combine(a: Size, b: Size, sign: 1 | -1): Size {
  const coeffs = new Map<string, number>();
  for (const t of a.terms) coeffs.set(t.name, t.coeff);
  for (const t of b.terms) coeffs.set(t.name, (coeffs.get(t.name) ?? 0) + sign * t.coeff);
  return normalise(a.constant + sign * b.constant, coeffs);
}

export const addSizes = (a: Size, b: Size): Size => combine(a, b, 1);
export const subSizes = (a: Size, b: Size): Size => combine(a, b, -1);

export function scaleSize(a: Size, k: number): Size {
  return normalise(a.constant * k, new Map(a.terms.map((t) => [t.name, t.coeff * k])));
}

export function isConstSize(a: Size): boolean {
  return a.terms.length === 0;
}

/** Divides exactly, or returns null when some coefficient is not a multiple of `k`. */
export function divideSize(a: Size, k: number): Size | null {
  if (a.constant % k !== 0 || a.terms.some((t) => t.coeff % k !== 0)) return null;
  return scaleSize(a, 1 / k);
}

export function sizeEquals(a: Size, b: Size): boolean {
  return sizeKey(a) === sizeKey(b);
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => sizeEquals(d, b[i]!));
}

/** `4*H + I - 1`: the canonical text, also used as a hash key. */
export function formatSize(a: Size): string {
  const parts: string[] = [];
  for (const t of a.terms) {
    const magnitude = Math.abs(t.coeff);
    const text = magnitude === 1 ? t.name : `${magnitude}*${t.name}`;
    if (parts.length === 0) parts.push(t.coeff < 0 ? `-${text}` : text);
    else parts.push(t.coeff < 0 ? `- ${text}` : `+ ${text}`);
  }
  if (a.constant !== 0 || parts.length === 0) {
    if (parts.length === 0) parts.push(String(a.constant));
    else parts.push(a.constant < 0 ? `- ${-a.constant}` : `+ ${a.constant}`);
  }
  return parts.join(" ");
}

export const sizeKey = formatSize;

export function formatSymbolicShape(shape: Shape): string {
  return `[${shape.map(formatSize).join(", ")}]`;
}

/** The value of a size once its variables are known, or null if one is not. */
export function evalSize(a: Size, values: ReadonlyMap<string, number>): number | null {
  let n = a.constant;
  for (const t of a.terms) {
    const v = values.get(t.name);
    if (v === undefined) return null;
    n += t.coeff * v;
  }
  return n;
}

/**
 * Learns size variables from `size == actual` when exactly one variable in it is unknown.
 * Returns the variable and its value; null when there is nothing to learn (no unknown, or more
 * than one); "unsolvable" when no whole non-negative value fits.
 */
export function solveSize(
  a: Size,
  actual: number,
  known: ReadonlyMap<string, number>,
): { name: string; value: number } | "unsolvable" | null {
  const unknown = a.terms.filter((t) => !known.has(t.name));
  if (unknown.length !== 1) return null;
  const term = unknown[0]!;
  const rest = evalSize({ constant: a.constant, terms: a.terms.filter((t) => t !== term) }, known);
  if (rest === null) return null;
  const value = (actual - rest) / term.coeff;
  if (!Number.isInteger(value) || value < 0) return "unsolvable";
  // `| 0` turns -0 into 0 and, above all, makes the size a small integer for V8: a size computed
  // by division is a boxed double, and kernels indexing with it deoptimize and run ~2x slower.
  return { name: term.name, value: value <= 0x7fffffff ? value | 0 : value };
}
