// The optimizer's only data: a typed dataflow graph for one time step of one sample. Nodes are
// immutable; ids are dense and in topological order (every arg id is smaller than its node's id).
import type { Span } from "../../diagnostics.js";
import type { Shape, Size } from "../../shared/size.js";

export type ValueId = number;

export const UNARY_OPS = [
  "neg",
  "exp",
  "expm1",
  "log",
  "log1p",
  "abs",
  "sqrt",
  "tanh",
  "sigmoid",
  "sin",
  "cos",
  "floor",
  "erf",
] as const;
export const BINARY_OPS = [
  ...["add", "sub", "mul", "div", "max", "min", "pow"],
  ...["lt", "le", "gt", "ge", "eq", "ne"],
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type LeafOp = "input" | "state" | "param";

/**
 * When a value can be computed: once per weights (at load time), once per input sequence (before
 * the time loop, for all steps at once), or at every step. Set by the `hoist` pass; absent means
 * "every step", which is always correct.
 */
export type Stage = "weight" | "sequence" | "step";

export const STAGE_ORDER: Readonly<Record<Stage, number>> = { weight: 0, sequence: 1, step: 2 };

interface Base {
  readonly id: ValueId;
  readonly shape: Shape;
  readonly span: Span | null;
  /** The source name this value had (`i`, `c'`), carried into printed IR and generated code. */
  readonly hint?: string;
  readonly stage?: Stage;
}

export type Node =
  | (Base & { readonly op: LeafOp; readonly name: string; readonly args: readonly [] })
  | (Base & { readonly op: "const"; readonly value: number; readonly args: readonly [] })
  /** A size as a number (`sum(v) / H`): known once the weights fix the sizes. */
  | (Base & { readonly op: "size"; readonly size: Size; readonly args: readonly [] })
  | (Base & { readonly op: UnaryOp; readonly args: readonly [ValueId] })
  | (Base & { readonly op: BinaryOp; readonly args: readonly [ValueId, ValueId] })
  | (Base & { readonly op: "select"; readonly args: readonly [ValueId, ValueId, ValueId] })
  | (Base & { readonly op: "matvec"; readonly args: readonly [w: ValueId, x: ValueId] })
  /** W @ x + b: a matrix product whose sum starts from b (made by the `fuse-bias` pass). */
  | (Base & { readonly op: "affine"; readonly args: readonly [w: ValueId, x: ValueId, b: ValueId] })
  | (Base & {
      readonly op: "slice";
      readonly start: Size;
      readonly len: Size;
      readonly args: readonly [ValueId];
    })
  /** Columns [start, start + len) of a matrix (the `split-concat` pass makes them, at load time). */
  | (Base & {
      readonly op: "columns";
      readonly start: Size;
      readonly len: Size;
      readonly args: readonly [ValueId];
    })
  /** Rows [start, start + len) of a matrix (`split` of a matrix, narrowed products), at load time. */
  | (Base & {
      readonly op: "rows";
      readonly start: Size;
      readonly len: Size;
      readonly args: readonly [ValueId];
    })
  /** The sum of a vector's elements: a scalar (`mean` and `dot` are built from it). */
  | (Base & { readonly op: "sum"; readonly args: readonly [ValueId] })
  /** Vectors end to end, or matrices stacked by rows (same columns). */
  | (Base & { readonly op: "concat"; readonly args: readonly ValueId[] });

export type Op = Node["op"];
export type NodeOf<O extends Op> = Node extends infer N
  ? N extends { op: infer P }
    ? O extends P
      ? N
      : never
    : never
  : never;

export interface ValueDecl {
  readonly name: string;
  readonly shape: Shape;
}

export interface ParamDecl extends ValueDecl {
  /** The value an absent weight is filled with (`= 0` in the source), or null when required. */
  readonly fill: number | null;
}

export interface SlotBinding {
  readonly slot: string;
  readonly activation: string;
  readonly args: readonly number[];
}

export interface CellIR {
  readonly name: string;
  readonly source: string;
  readonly sizes: readonly string[];
  readonly inputs: readonly ValueDecl[];
  readonly states: readonly ValueDecl[];
  readonly params: readonly ParamDecl[];
  readonly slots: readonly SlotBinding[];
  readonly nodes: readonly Node[];
  /** The next value of each state, in declaration order. */
  readonly next: ReadonlyMap<string, ValueId>;
  readonly output: ValueId;
}

export function isUnaryOp(op: Op): op is UnaryOp {
  return (UNARY_OPS as readonly string[]).includes(op);
}

export function isBinaryOp(op: Op): op is BinaryOp {
  return (BINARY_OPS as readonly string[]).includes(op);
}

export function isUnary(n: Node): n is NodeOf<UnaryOp> {
  return isUnaryOp(n.op);
}

export function isBinary(n: Node): n is NodeOf<BinaryOp> {
  return isBinaryOp(n.op);
}

export function isLeaf(n: Node): n is NodeOf<LeafOp> {
  return n.op === "input" || n.op === "state" || n.op === "param";
}

/** Every value the graph exposes: the state updates, then the output. */
export function rootsOf(ir: CellIR): ValueId[] {
  return [...ir.next.values(), ir.output];
}

export function unreachable(x: never): never {
  throw new Error(`internal: unhandled ${JSON.stringify(x)}`);
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`internal: ${message}`);
}
