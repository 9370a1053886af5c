// Random element-wise cells as plain trees: a tiny float64 evaluator (the oracle for
// interpret.test.ts, sharing no code with src/compiler) and a printer to `.cell` text.

// ----------------- the trees and their oracle -----------------

export const COMPARISONS = ["<", "<=", ">", ">=", "==", "!="] as const;
export const ARITHMETIC = ["+", "-", "*", "/"] as const;
export type BinaryOp = (typeof ARITHMETIC)[number] | (typeof COMPARISONS)[number];

/** Activations by name: extra parameters with their defaults, and the math (ONNX definitions). */
interface Activation {
  readonly params: readonly (readonly [name: string, fallback: number])[];
  readonly f: (x: number, p: readonly number[]) => number;
}
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const clip = (x: number, lo: number, hi: number): number => Math.min(Math.max(x, lo), hi);
/**
 * erf by its series of positive terms, 2/sqrt(pi) e^(-x^2) (x + 2x^3/3 + 4x^5/15 + ...): slow,
 * but plain and free of cancellation (within some 40 float64 units up to 6), and nothing like
 * src/'s polynomials; past 6 erf is +-1 in float64.
 */
function erf(x: number): number {
  if (!(Math.abs(x) < 6)) return Number.isNaN(x) ? x : Math.sign(x);
  let term = x;
  let sum = x;
  for (let n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x * x) / (2 * n + 1);
    sum += term;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
}
export const ACTIVATIONS: Readonly<Record<string, Activation>> = {
  sigmoid: { params: [], f: sigmoid },
  tanh: { params: [], f: Math.tanh },
  exp: { params: [], f: Math.exp },
  abs: { params: [], f: Math.abs },
  sqrt: { params: [], f: Math.sqrt },
  log1p: { params: [], f: Math.log1p },
  sin: { params: [], f: Math.sin },
  cos: { params: [], f: Math.cos },
  floor: { params: [], f: Math.floor },
  erf: { params: [], f: erf },
  linear: { params: [], f: (x) => x },
  step: { params: [], f: (x) => (x >= 0 ? 1 : 0) },
  relu: { params: [], f: (x) => Math.max(x, 0) },
  hard_tanh: { params: [], f: (x) => clip(x, -1, 1) },
  softsign: { params: [], f: (x) => x / (1 + Math.abs(x)) },
  // log(1 + e^x), in the form that neither overflows nor loses small values
  softplus: { params: [], f: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))) },
  // torch.nn.GELU(), exact and approximate='tanh'
  gelu: { params: [], f: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)) },
  gelu_tanh: {
    params: [],
    f: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))),
  },
  hard_sigmoid: {
    params: [
      ["alpha", 0.2],
      ["beta", 0.5],
    ],
    f: (x, [a, b]) => clip(a! * x + b!, 0, 1),
  },
  elu: { params: [["alpha", 1]], f: (x, [a]) => (x >= 0 ? x : a! * Math.expm1(x)) },
  leaky_relu: { params: [["alpha", 0.01]], f: (x, [a]) => (x >= 0 ? x : a! * x) },
  thresholded_relu: { params: [["alpha", 1]], f: (x, [a]) => (x > a! ? x : 0) },
  scaled_tanh: {
    params: [
      ["alpha", 1],
      ["beta", 1],
    ],
    f: (x, [a, b]) => a! * Math.tanh(b! * x),
  },
  affine: {
    params: [
      ["alpha", 1],
      ["beta", 0],
    ],
    f: (x, [a, b]) => a! * x + b!,
  },
};
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);

/** An extra activation argument: positional (`elu(z, 0.5)`) or named (`elu(z, alpha = 0.5)`). */
export interface ExtraArg {
  readonly value: number;
  readonly named: boolean;
}

export type Tree =
  | { readonly k: "num"; readonly v: number }
  | { readonly k: "var"; readonly name: string }
  | { readonly k: "neg"; readonly a: Tree }
  | { readonly k: "bin"; readonly op: BinaryOp; readonly a: Tree; readonly b: Tree }
  | { readonly k: "minmax"; readonly f: "max" | "min"; readonly a: Tree; readonly b: Tree }
  | { readonly k: "pow"; readonly a: Tree; readonly b: Tree }
  | { readonly k: "cond"; readonly c: Tree; readonly a: Tree; readonly b: Tree }
  | { readonly k: "act"; readonly f: string; readonly a: Tree; readonly extra: readonly ExtraArg[] }
  | { readonly k: "slot"; readonly a: Tree };

export interface Slot {
  readonly f: string;
  readonly args: readonly number[];
}

/** Values of every name at one element index; scalars are the same at every index. */
export type Env = ReadonlyMap<string, number>;

function applyActivation(name: string, x: number, given: readonly number[]): number {
  const act = ACTIVATIONS[name]!;
  return act.f(
    x,
    act.params.map(([, fallback], i) => given[i] ?? fallback),
  );
}

export function evaluate(t: Tree, env: Env, slot: Slot): number {
  const ev = (u: Tree): number => evaluate(u, env, slot);
  switch (t.k) {
    case "num":
      return t.v;
    case "var":
      return env.get(t.name)!;
    case "neg":
      return -ev(t.a);
    case "bin":
      return binary(t.op, ev(t.a), ev(t.b));
    case "minmax":
      return t.f === "max" ? Math.max(ev(t.a), ev(t.b)) : Math.min(ev(t.a), ev(t.b));
    case "pow":
      return Math.pow(ev(t.a), ev(t.b));
    case "cond":
      // Any nonzero condition (NaN included) selects the first branch, as in C.
      return ev(t.c) !== 0 ? ev(t.a) : ev(t.b);
    case "act":
      return applyActivation(
        t.f,
        ev(t.a),
        t.extra.map((e) => e.value),
      );
    case "slot":
      return applyActivation(slot.f, ev(t.a), slot.args);
  }
}

function binary(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
  }
}

/** Whether a tree yields a vector, given which names are vectors. */
export function isVector(t: Tree, vectors: ReadonlySet<string>): boolean {
  switch (t.k) {
    case "num":
      return false;
    case "var":
      return vectors.has(t.name);
    case "neg":
    case "act":
    case "slot":
      return isVector(t.a, vectors);
    case "bin":
    case "minmax":
    case "pow":
      return isVector(t.a, vectors) || isVector(t.b, vectors);
    case "cond":
      return [t.c, t.a, t.b].some((u) => isVector(u, vectors));
  }
}

// ----------------- printing the trees as `.cell` text -----------------

export const num = (v: number): string =>
  Object.is(v, -0) || v < 0 ? `-${String(-v)}` : String(v);

/** Fully parenthesised, so the text's meaning does not depend on the printer under test. */
function show(t: Tree): string {
  switch (t.k) {
    case "num":
      return num(t.v);
    case "var":
      return t.name;
    case "neg":
      return `(-${show(t.a)})`;
    case "bin":
      return `(${show(t.a)} ${t.op} ${show(t.b)})`;
    case "minmax":
      return `${t.f}(${show(t.a)}, ${show(t.b)})`;
    case "pow":
      return `pow(${show(t.a)}, ${show(t.b)})`;
    case "cond":
      return `(${show(t.c)} ? ${show(t.a)} : ${show(t.b)})`;
    case "act": {
      const names = ACTIVATIONS[t.f]!.params;
      const extra = t.extra.map((e, i) =>
        e.named ? `${names[i]![0]} = ${num(e.value)}` : num(e.value),
      );
      return `${t.f}(${[show(t.a), ...extra].join(", ")})`;
    }
    case "slot":
      return `gate(${show(t.a)})`;
  }
}

export interface Cell {
  readonly slot: Slot;
  readonly t: Tree;
  readonly h: Tree;
  readonly c: Tree;
  readonly out: Tree;
}

/** States h and c, input x, vector param b, scalar param s, a let t, all of size N. */
export function cellText(cell: Cell): string {
  const args = cell.slot.args.length > 0 ? `(${cell.slot.args.map(num).join(", ")})` : "";
  return [
    "cell random",
    "size N",
    "input x : [N]",
    "state h : [N]",
    "state c : [N]",
    "param b : [N]",
    "param s : []",
    `slot gate = ${cell.slot.f}${args}`,
    `let t = ${show(cell.t)}`,
    `h' = ${show(cell.h)}`,
    `c' = ${show(cell.c)}`,
    `output ${show(cell.out)}`,
    "",
  ].join("\n");
}
