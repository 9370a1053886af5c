// Renders element-wise IR nodes as JavaScript expressions, with parentheses from a precedence
// table. Semantics match the float64 interpreter exactly: comparisons give 1 or 0, and `select`
// takes its first branch for any nonzero condition, NaN included.
import type { BinaryOp, Node, UnaryOp, ValueId } from "../ir/ir.js";
import { isBinary, isUnary } from "../ir/ir.js";
import type { HelperManager } from "./helpers.js";

// JavaScript precedence, loosest first (only the levels generated code uses).
export const enum Prec {
  Conditional = 2,
  Relational = 9,
  Additive = 11,
  Multiplicative = 12,
  Unary = 14,
  Atom = 20,
}

export interface Rendered {
  readonly text: string;
  readonly prec: Prec;
}

export const atom = (text: string): Rendered => ({
  text,
  // A negative literal is a unary expression as far as its neighbours are concerned.
  prec: text.startsWith("-") ? Prec.Unary : Prec.Atom,
});

function wrap(r: Rendered, min: Prec): string {
  return r.prec < min ? `(${r.text})` : r.text;
}

const MATH_UNARY: Readonly<Record<Exclude<UnaryOp, "neg" | "sigmoid" | "erf">, string>> = {
  exp: "Math.exp",
  expm1: "Math.expm1",
  log: "Math.log",
  log1p: "Math.log1p",
  abs: "Math.abs",
  sqrt: "Math.sqrt",
  tanh: "Math.tanh",
  sin: "Math.sin",
  cos: "Math.cos",
  floor: "Math.floor",
};

const INFIX: Partial<Readonly<Record<BinaryOp, [string, Prec]>>> = {
  add: ["+", Prec.Additive],
  sub: ["-", Prec.Additive],
  mul: ["*", Prec.Multiplicative],
  div: ["/", Prec.Multiplicative],
};

const COMPARE: Partial<Readonly<Record<BinaryOp, string>>> = {
  lt: "<",
  le: "<=",
  gt: ">",
  ge: ">=",
  eq: "===",
  ne: "!==",
};

/** Renders node `n` given its arguments already rendered. */
export function renderNode(
  n: Node,
  arg: (id: ValueId) => Rendered,
  helpers: HelperManager,
): Rendered {
  if (isUnary(n)) {
    const x = arg(n.args[0]);
    if (n.op === "neg") {
      const inner = wrap(x, Prec.Unary);
      return { text: inner.startsWith("-") ? `-(${inner})` : `-${inner}`, prec: Prec.Unary };
    }
    // sigmoid and erf are not Math's: the module carries its own (src/embedded/helpers.ts).
    const fn = n.op === "sigmoid" || n.op === "erf" ? helpers.use(n.op) : MATH_UNARY[n.op];
    return atom(`${fn}(${x.text})`);
  }
  if (isBinary(n)) {
    const [a, b] = [arg(n.args[0]), arg(n.args[1])];
    const infix = INFIX[n.op];
    if (infix) {
      const [op, prec] = infix;
      // Left-associative: the right operand must bind tighter to keep its grouping.
      return { text: `${wrap(a, prec)} ${op} ${wrap(b, prec + 1)}`, prec };
    }
    const compare = COMPARE[n.op];
    if (compare) {
      const test = `${wrap(a, Prec.Relational + 1)} ${compare} ${wrap(b, Prec.Relational + 1)}`;
      return { text: `${test} ? 1 : 0`, prec: Prec.Conditional };
    }
    const fn = n.op === "max" ? "Math.max" : n.op === "min" ? "Math.min" : "Math.pow";
    return atom(`${fn}(${a.text}, ${b.text})`);
  }
  if (n.op === "select") {
    const [c, a, b] = [arg(n.args[0]), arg(n.args[1]), arg(n.args[2])];
    const test = `${wrap(c, Prec.Relational + 1)} !== 0`;
    return {
      text: `${test} ? ${wrap(a, Prec.Conditional + 1)} : ${wrap(b, Prec.Conditional)}`,
      prec: Prec.Conditional,
    };
  }
  throw new Error(`internal: ${n.op} is not element-wise`);
}
