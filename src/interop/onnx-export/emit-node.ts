// Writes one IR node that runs on a batch as ONNX operators. Layout of a value: a batched one
// (it depends on the input or a state) has the leading dimensions of its graph, (B) in a Scan's
// body and (T, B) outside, then its own: a vector (..., n), a matrix (..., m, n), a number
// (..., 1). A weight-only value is an initializer of its own shape ([] for a number), which
// numpy broadcasting stretches over the leading dimensions. Axes are counted from the end, so one
// translation serves both graphs. Weight-only nodes are never written: they are computed at export.
import type { Sizes } from "../../embedded/bind-sizes.js";
import {
  type BinaryOp,
  isBinary,
  isUnary,
  type Node,
  type NodeOf,
  unreachable,
  type ValueId,
} from "../../compiler/ir/ir.js";
import { evalSize, type Size } from "../../shared/size.js";
import { DataType } from "../onnx/types.js";
import type { GraphBuilder } from "./graph-builder.js";
import { ARITHMETIC_FORMS, COMPARISON_FORMS, UNARY_FORMS } from "./op-table.js";
import { intAttr } from "./proto-values.js";

export interface Value {
  readonly name: string;
  /** Whether it has the leading (batch) dimensions; else it is a weight-only initializer. */
  readonly batched: boolean;
}

export interface NodeScope {
  readonly g: GraphBuilder;
  readonly sizes: Sizes;
  readonly nodes: readonly Node[];
  value(id: ValueId): Value;
  /** Whether `id` is batched, without writing anything (an unused initializer, say). */
  batched(id: ValueId): boolean;
  /** The transpose [n, m] of a weight-only matrix [m, n], for x @ W^T. */
  transposed(id: ValueId): string;
  /** The int64 leading dimensions of batched values, for Expand. */
  lead(): string;
  /** The bool tensors of comparisons written in this graph, by node id (for Where). */
  readonly bools: Map<ValueId, string>;
  /** Reports an operation ONNX cannot express (never returns). */
  cannotExport(op: string): never;
}

const size = (s: Size, sizes: Sizes): number => {
  const n = evalSize(s, sizes);
  if (n === null) throw new Error("internal: an unbound size in the ONNX export");
  return n;
};

const hintOf = (n: Node): string => n.hint ?? n.op;

/** Argument `id` laid out to combine with a result of `rank` IR dimensions. */
function aligned(s: NodeScope, id: ValueId, rank: number): string {
  const v = s.value(id);
  // A batched number (..., 1) must be (..., 1, 1) next to a batched matrix (..., m, n).
  if (v.batched && rank === 2 && s.nodes[id]!.shape.length === 0)
    return s.g.op("Unsqueeze", [v.name, s.g.ints([-1])]);
  return v.name;
}

/** Argument `id` with the leading dimensions (Concat needs every part batched). */
function batchedArg(s: NodeScope, id: ValueId): string {
  const v = s.value(id);
  if (v.batched) return v.name;
  const dims = s.nodes[id]!.shape.map((d) => size(d, s.sizes));
  const shape = s.g.op("Concat", [s.lead(), s.g.ints(dims)], { attrs: [intAttr("axis", 0)] });
  return s.g.op("Expand", [v.name, shape]);
}

/** The bool form of a condition: a comparison's own, or `c != 0` (true for NaN, as `select`). */
function condition(s: NodeScope, id: ValueId, rank: number): string {
  const own = s.bools.get(id);
  if (own !== undefined && !(rank === 2 && s.nodes[id]!.shape.length === 0)) return own;
  const c = aligned(s, id, rank);
  return s.g.op("Not", [s.g.op("Equal", [c, s.g.scalar(0)])]);
}

function product(s: NodeScope, n: Node, w: ValueId, x: ValueId): string {
  if (!s.batched(w)) return s.g.op("MatMul", [s.value(x).name, s.transposed(w)]);
  // A matrix that changes per sample: (..., m, n) @ (..., n, 1), then drop the last axis.
  const column = s.g.op("Unsqueeze", [s.value(x).name, s.g.ints([-1])]);
  const out = s.g.op("MatMul", [s.value(w).name, column]);
  return s.g.op("Squeeze", [out, s.g.ints([-1])], { hint: hintOf(n) });
}

function slice(s: NodeScope, n: Node, start: Size, len: Size, axis: number): string {
  const from = size(start, s.sizes);
  const to = from + size(len, s.sizes);
  const inputs = [s.value(n.args[0]!).name, s.g.ints([from]), s.g.ints([to]), s.g.ints([axis])];
  return s.g.op("Slice", inputs, { hint: hintOf(n) });
}

function binary(s: NodeScope, n: NodeOf<BinaryOp>): string {
  const rank = n.shape.length;
  const [a, b] = n.args.map((id) => aligned(s, id, rank)) as [string, string];
  const hint = hintOf(n);
  const arithmetic = ARITHMETIC_FORMS[n.op];
  if (arithmetic) return s.g.op(arithmetic, [a, b], { hint });
  const comparison = COMPARISON_FORMS[n.op];
  if (!comparison) return s.cannotExport(n.op);
  const bool = comparison(s.g, a, b);
  s.bools.set(n.id, bool);
  return s.g.op("Cast", [bool], { hint, attrs: [intAttr("to", DataType.FLOAT)] });
}

/** Writes `n` (not weight-only, not a leaf) into the scope's graph; returns its batched value. */
export function emitNode(s: NodeScope, n: Node): string {
  if (isUnary(n)) {
    const form = UNARY_FORMS[n.op];
    return form ? form(s.g, s.value(n.args[0]).name, hintOf(n)) : s.cannotExport(n.op);
  }
  if (isBinary(n)) return binary(s, n);
  switch (n.op) {
    case "select": {
      const rank = n.shape.length;
      const [c, a, b] = n.args;
      const inputs = [condition(s, c, rank), aligned(s, a, rank), aligned(s, b, rank)];
      return s.g.op("Where", inputs, { hint: hintOf(n) });
    }
    case "matvec":
      return product(s, n, n.args[0], n.args[1]);
    case "affine": {
      const wx = product(s, n, n.args[0], n.args[1]);
      return s.g.op("Add", [wx, s.value(n.args[2]).name], { hint: hintOf(n) });
    }
    case "slice":
    case "columns":
      return slice(s, n, n.start, n.len, -1);
    case "rows":
      return slice(s, n, n.start, n.len, -2);
    case "sum": {
      const inputs = [s.value(n.args[0]).name, s.g.ints([-1])];
      return s.g.op("ReduceSum", inputs, { hint: hintOf(n), attrs: [intAttr("keepdims", 1)] });
    }
    case "concat": {
      // Vectors join end to end; matrices stack by rows.
      const axis = n.shape.length === 2 ? -2 : -1;
      const parts = n.args.map((id) => batchedArg(s, id));
      return s.g.op("Concat", parts, { hint: hintOf(n), attrs: [intAttr("axis", axis)] });
    }
    case "input":
    case "state":
    case "param":
    case "const":
    case "size":
      throw new Error(`internal: a ${n.op} node reached the ONNX node writer`);
    default:
      return unreachable(n);
  }
}
