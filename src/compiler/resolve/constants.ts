// Constant expressions: a function parameter's default and an activation binding's arguments are
// numbers known when the file is checked (`alpha = 1/4`, `hard_sigmoid(-1/3, 2*3)`). Numbers,
// parentheses, unary minus and + - * /, computed in float64 as the interpreter would.
import type { Diagnostic } from "../../diagnostics.js";
import type { Expr } from "../../dsl/ast.js";
import { notConstant } from "../errors.js";

type Constant = { readonly value: number } | { readonly culprit: Expr };

/** The value of `e`, or its first part that is not constant arithmetic. */
export function evaluateConstant(e: Expr): Constant {
  switch (e.kind) {
    case "Number":
      return { value: e.value };
    case "Negate": {
      const x = evaluateConstant(e.operand);
      return "value" in x ? { value: -x.value } : x;
    }
    case "Binary": {
      if (e.op !== "+" && e.op !== "-" && e.op !== "*" && e.op !== "/") return { culprit: e };
      const [a, b] = [evaluateConstant(e.lhs), evaluateConstant(e.rhs)];
      if (!("value" in a)) return a;
      if (!("value" in b)) return b;
      return { value: arithmetic(e.op, a.value, b.value) };
    }
    default:
      return { culprit: e };
  }
}

function arithmetic(op: "+" | "-" | "*" | "/", a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
  }
}

/** The value of a constant; NaN (never used: resolve fails) after reporting what is not one. */
export function constantValue(e: Expr, what: string, report: (d: Diagnostic) => void): number {
  const result = evaluateConstant(e);
  if ("value" in result) return result.value;
  report(notConstant(what, describe(result.culprit), result.culprit.span));
  return NaN;
}

/** The value of a default or argument already checked (reported) by `constantValue`. */
export function checkedConstant(e: Expr): number {
  const result = evaluateConstant(e);
  return "value" in result ? result.value : NaN;
}

function describe(e: Expr): string {
  switch (e.kind) {
    case "Name":
      return e.primed ? `${e.name}'` : `'${e.name}'`;
    case "Call":
      return `a call of '${e.callee.name}'`;
    case "Binary":
      return e.op === "@" ? "a product '@'" : `a comparison '${e.op}'`;
    case "Conditional":
      return "a conditional '?:'";
    case "Number":
    case "Negate":
      return "this"; // never a culprit: constants themselves
  }
}
