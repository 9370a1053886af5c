// The project's oracle: evaluates one time step of the IR for one sample in float64, node by node,
// with no cleverness. Every optimisation and every generated kernel is checked against it.
import type { Sizes } from "../../embedded/bind-sizes.js";
import { erf } from "../../embedded/helpers.js";
import { evalSize } from "../../shared/size.js";
import type { BinaryOp, CellIR, Node, UnaryOp } from "./ir.js";
import { isBinary, isLeaf, isUnary, unreachable } from "./ir.js";

export type LeafValues = (node: Extract<Node, { op: "input" | "state" | "param" }>) => Float64Array;

const UNARY: Readonly<Record<UnaryOp, (x: number) => number>> = {
  neg: (x) => -x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  abs: Math.abs,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  // The JavaScript kernel's own erf (JavaScript has none), so the two agree to the bit.
  erf,
};

const BINARY: Readonly<Record<BinaryOp, (a: number, b: number) => number>> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  max: Math.max,
  min: Math.min,
  pow: Math.pow,
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
};

/** One element-wise op on numbers, exactly as the interpreter computes it (for constant folding). */
export function evaluateScalar(
  op: UnaryOp | BinaryOp | "select",
  values: readonly number[],
): number {
  const [a = NaN, b = NaN, c = NaN] = values;
  if (op === "select") return a !== 0 ? b : c;
  if (op in UNARY) return UNARY[op as UnaryOp](a);
  return BINARY[op as BinaryOp](a, b);
}

function size(dim: Node["shape"][number], sizes: Sizes): number {
  const n = evalSize(dim, sizes);
  if (n === null) throw new Error("internal: unbound size in the interpreter");
  return n;
}

/** Element i of a value, stretching scalars (length 1) over vectors. */
const at = (v: Float64Array, i: number): number => (v.length === 1 ? v[0]! : v[i]!);

/** Evaluates every node; returns the values by node id. */
export function interpretStep(ir: CellIR, sizes: Sizes, leaf: LeafValues): Float64Array[] {
  const values: Float64Array[] = [];
  for (const n of ir.nodes) values.push(evaluate(n, values, sizes, leaf));
  return values;
}

function evaluate(
  n: Node,
  values: readonly Float64Array[],
  sizes: Sizes,
  leaf: LeafValues,
): Float64Array {
  if (isLeaf(n)) return leaf(n);
  const out = new Float64Array(n.shape.reduce((p, d) => p * size(d, sizes), 1));
  const arg = (k: number): Float64Array => values[n.args[k]!]!;
  if (isUnary(n)) {
    const [f, x] = [UNARY[n.op], arg(0)];
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!);
    return out;
  }
  if (isBinary(n)) {
    const [f, a, b] = [BINARY[n.op], arg(0), arg(1)];
    for (let i = 0; i < out.length; i++) out[i] = f(at(a, i), at(b, i));
    return out;
  }
  switch (n.op) {
    case "const":
      return out.fill(n.value);
    case "size":
      return out.fill(size(n.size, sizes));
    case "sum": {
      let total = 0;
      for (const v of arg(0)) total += v;
      out[0] = total;
      return out;
    }
    case "select": {
      const [c, a, b] = [arg(0), arg(1), arg(2)];
      for (let i = 0; i < out.length; i++) out[i] = at(c, i) !== 0 ? at(a, i) : at(b, i);
      return out;
    }
    case "matvec":
    case "affine": {
      const [w, x] = [arg(0), arg(1)];
      const bias = n.op === "affine" ? arg(2) : null;
      for (let r = 0; r < out.length; r++) {
        let sum = bias ? bias[r]! : 0;
        for (let j = 0; j < x.length; j++) sum += w[r * x.length + j]! * x[j]!;
        out[r] = sum;
      }
      return out;
    }
    case "slice": {
      const start = size(n.start, sizes);
      out.set(arg(0).subarray(start, start + out.length));
      return out;
    }
    case "columns": {
      const start = size(n.start, sizes);
      const w = arg(0);
      const [rows, len] = [size(n.shape[0]!, sizes), out.length / size(n.shape[0]!, sizes)];
      const cols = w.length / rows;
      for (let r = 0; r < rows; r++)
        out.set(w.subarray(r * cols + start, r * cols + start + len), r * len);
      return out;
    }
    case "rows": {
      // Row-major: rows [start, start + len) are one run of the matrix's data.
      const cols = size(n.shape[1]!, sizes);
      const start = size(n.start, sizes) * cols;
      out.set(arg(0).subarray(start, start + out.length));
      return out;
    }
    case "concat": {
      let offset = 0;
      for (let k = 0; k < n.args.length; k++) {
        out.set(arg(k), offset);
        offset += arg(k).length;
      }
      return out;
    }
    default:
      return unreachable(n);
  }
}
