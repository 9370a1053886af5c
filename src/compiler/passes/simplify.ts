// Local algebra, applied in one rebuild (arguments are simplified before their users, so one
// sweep reaches a fixpoint). A rule fires only when its result has the node's own shape: a
// scalar never stands in for a vector. Requires: verified IR. Guarantees: none of the rules below
// applies anywhere. Idempotent.
import type { IRBuilder } from "../ir/builder.js";
import type { Node, Op, ValueId } from "../ir/ir.js";
import { shapeEquals } from "../../shared/size.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";

interface Rule {
  readonly name: string;
  readonly op: Op;
  readonly apply: (args: readonly ValueId[], b: IRBuilder, n: Node) => ValueId | null;
}

const rule = (name: string, op: Op, apply: Rule["apply"]): Rule => ({ name, op, apply });

const isConst = (b: IRBuilder, id: ValueId | undefined, v: number): boolean => {
  if (id === undefined) return false;
  const n = b.node(id);
  return n.op === "const" && Object.is(n.value, v);
};

/** -y, without a double negation: 0 - (-y) -> y in the same sweep. */
const negate = (b: IRBuilder, y: ValueId, n: Node): ValueId =>
  b.node(y).op === "neg" ? b.node(y).args[0]! : b.emit("neg", [y], {}, n.span);

// Exact in IEEE arithmetic, signed zeros included: x + 0 is +0 for x = -0, so only x + (-0) is
// x; likewise x - 0 (not x - (-0)) and -0 - x (not 0 - x). Constants are compared with Object.is.
const RULES: readonly Rule[] = [
  rule("add-zero", "add", ([x, y], b) => (isConst(b, y, -0) ? x! : isConst(b, x, -0) ? y! : null)), // x + -0 -> x
  rule("sub-zero", "sub", ([x, y], b) => (isConst(b, y, 0) ? x! : null)), // x - 0 -> x
  rule("mul-one", "mul", ([x, y], b) => (isConst(b, y, 1) ? x! : isConst(b, x, 1) ? y! : null)), // x * 1 -> x
  rule("div-one", "div", ([x, y], b) => (isConst(b, y, 1) ? x! : null)), // x / 1 -> x
  rule("neg-neg", "neg", ([x], b) => (b.node(x!).op === "neg" ? b.node(x!).args[0]! : null)), // -(-x) -> x
  rule("zero-sub", "sub", ([x, y], b, n) => (isConst(b, x, -0) ? negate(b, y!, n) : null)), // -0 - x -> -x
  rule("floor-floor", "floor", ([x], b) => (b.node(x!).op === "floor" ? x! : null)), // floor(floor(x)) -> floor(x)
  rule("select-same", "select", ([, a, c]) => (a === c ? a! : null)), // c ? a : a -> a
  rule("select-const", "select", ([c, a, d], b) => {
    const cond = b.node(c!);
    return cond.op === "const" ? (cond.value !== 0 ? a! : d!) : null; // 1 ? a : b -> a
  }),
];

export const simplify: Pass = {
  name: "simplify",
  run(ir) {
    const out = rebuild(ir, (n, args, b) => {
      for (const r of RULES) {
        if (r.op !== n.op) continue;
        const id = r.apply(args, b, n);
        if (id !== null && shapeEquals(b.node(id).shape, n.shape)) return id;
      }
      return null;
    });
    return sameIR(ir, out) ? ir : out;
  },
};
