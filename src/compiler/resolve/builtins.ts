// The primitive functions every cell can call. Everything else in the activation library is
// written in the cell language itself (library.ts) on top of these.
import type { BinaryOp, UnaryOp } from "../ir/ir.js";

export interface ParamSpec {
  readonly name: string;
  readonly default: number | null;
}

export type Primitive =
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly params: readonly ParamSpec[] }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly params: readonly ParamSpec[] }
  | { readonly kind: "select"; readonly params: readonly ParamSpec[] }
  /** split(x, parts): equal gate blocks; only on the right of `let a, b, ... =`. */
  | { readonly kind: "split"; readonly params: readonly ParamSpec[] }
  /** concat(a, b, ...): any number of vectors, end to end. */
  | { readonly kind: "concat"; readonly params: readonly ParamSpec[] }
  /** sum(x), mean(x), dot(a, b): a vector reduced to one number. */
  | { readonly kind: "reduce"; readonly op: Reduction; readonly params: readonly ParamSpec[] };

export type Reduction = "sum" | "mean" | "dot";

const p = (...names: string[]): ParamSpec[] => names.map((name) => ({ name, default: null }));

const unary = (op: UnaryOp): Primitive => ({ kind: "unary", op, params: p("x") });
const binary = (op: BinaryOp, a: string, b: string): Primitive => ({
  kind: "binary",
  op,
  params: p(a, b),
});

export const PRIMITIVES: ReadonlyMap<string, Primitive> = new Map<string, Primitive>([
  ["sigmoid", unary("sigmoid")],
  ["tanh", unary("tanh")],
  ["exp", unary("exp")],
  ["expm1", unary("expm1")],
  ["log", unary("log")],
  ["log1p", unary("log1p")],
  ["abs", unary("abs")],
  ["sqrt", unary("sqrt")],
  ["sin", unary("sin")],
  ["cos", unary("cos")],
  ["floor", unary("floor")],
  ["erf", unary("erf")],
  ["max", binary("max", "a", "b")],
  ["min", binary("min", "a", "b")],
  ["pow", binary("pow", "x", "y")],
  ["select", { kind: "select", params: p("condition", "then", "otherwise") }],
  ["split", { kind: "split", params: p("x", "parts") }],
  ["concat", { kind: "concat", params: [] }],
  ["sum", { kind: "reduce", op: "sum", params: p("x") }],
  ["mean", { kind: "reduce", op: "mean", params: p("x") }],
  ["dot", { kind: "reduce", op: "dot", params: p("a", "b") }],
]);
