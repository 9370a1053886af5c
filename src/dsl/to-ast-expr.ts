// The to-ast visitor's lower half: the rules inside a declaration (shapes, size expressions,
// activation bindings, expressions). AstBuilder in to-ast.ts extends it with the declarations;
// only the two together are a whole visitor, so validateVisitor() runs there.
import type { IToken } from "chevrotain";
import { type Diagnostic, cover } from "../diagnostics.js";
import type * as A from "./ast.js";
import type * as C from "./cst.js";
import { numberOutOfRange } from "./errors.js";
import { cellParser } from "./parser.js";
import { ident, nth, one, spanOf, tokenSpan } from "./to-ast-cst.js";

const BaseVisitor = cellParser.getBaseCstVisitorConstructor();

export class ExprBuilder extends BaseVisitor {
  /** Numbers out of range, the one error found here; the caller clears it per run. */
  readonly diagnostics: Diagnostic[] = [];

  // ----------------- shapes -----------------

  shape(ctx: C.ShapeCstChildren): A.ShapeExpr {
    const dims = (ctx.sizeExpr ?? []).map((s) => this.sizeExpr(s.children));
    return { dims, span: spanOf(ctx) };
  }

  sizeExpr(ctx: C.SizeExprCstChildren): A.SizeExpr {
    let result = this.sizeTerm(one(ctx.lhs).children);
    (ctx.rhs ?? []).forEach((rhs, i) => {
      const op = nth(ctx.AddOp, i).image === "+" ? "+" : "-";
      const right = this.sizeTerm(rhs.children);
      result = {
        kind: "SizeBinary",
        op,
        lhs: result,
        rhs: right,
        span: cover(result.span, right.span),
      };
    });
    return result;
  }

  sizeTerm(ctx: C.SizeTermCstChildren): A.SizeExpr {
    let result = this.sizeAtom(one(ctx.lhs).children);
    for (const rhs of ctx.rhs ?? []) {
      const right = this.sizeAtom(rhs.children);
      result = {
        kind: "SizeBinary",
        op: "*",
        lhs: result,
        rhs: right,
        span: cover(result.span, right.span),
      };
    }
    return result;
  }

  sizeAtom(ctx: C.SizeAtomCstChildren): A.SizeExpr {
    if (ctx.NumberLiteral) {
      const t = one(ctx.NumberLiteral);
      return { kind: "SizeNumber", value: this.number(t), span: tokenSpan(t) };
    }
    if (ctx.Identifier) {
      const t = one(ctx.Identifier);
      return { kind: "SizeName", name: t.image, span: tokenSpan(t) };
    }
    // Parentheses leave no node, but the span includes them.
    return { ...this.sizeExpr(one(ctx.sizeExpr).children), span: spanOf(ctx) };
  }

  // ----------------- activation bindings -----------------

  activationSpec(ctx: C.ActivationSpecCstChildren): A.ActivationSpec {
    const args = (ctx.expression ?? []).map((e) => this.expression(e.children));
    return { name: ident(one(ctx.Identifier)), args, span: spanOf(ctx) };
  }

  signedNumber(ctx: C.SignedNumberCstChildren): A.NumberArg {
    const magnitude = this.number(one(ctx.NumberLiteral));
    const negative = ctx.AddOp !== undefined && one(ctx.AddOp).image === "-";
    return { value: negative ? -magnitude : magnitude, span: spanOf(ctx) };
  }

  // ----------------- expressions -----------------

  expression(ctx: C.ExpressionCstChildren): A.Expr {
    const condition = this.comparison(one(ctx.condition).children);
    if (!ctx.then || !ctx.otherwise) return condition;
    const then = this.expression(one(ctx.then).children);
    const otherwise = this.expression(one(ctx.otherwise).children);
    return { kind: "Conditional", condition, then, otherwise, span: spanOf(ctx) };
  }

  comparison(ctx: C.ComparisonCstChildren): A.Expr {
    const lhs = this.additive(one(ctx.lhs).children);
    if (!ctx.rhs) return lhs;
    const rhs = this.additive(one(ctx.rhs).children);
    const op = one(ctx.CompareOp).image as A.BinaryOperator;
    return { kind: "Binary", op, lhs, rhs, span: cover(lhs.span, rhs.span) };
  }

  additive(ctx: C.AdditiveCstChildren): A.Expr {
    const operands = [one(ctx.lhs), ...(ctx.rhs ?? [])].map((n) => this.multiplicative(n.children));
    return foldLeft(operands, ctx.AddOp ?? []);
  }

  multiplicative(ctx: C.MultiplicativeCstChildren): A.Expr {
    const operands = [one(ctx.lhs), ...(ctx.rhs ?? [])].map((n) => this.unary(n.children));
    return foldLeft(operands, ctx.MulOp ?? []);
  }

  unary(ctx: C.UnaryCstChildren): A.Expr {
    let result = this.primary(one(ctx.primary).children);
    // Signs apply innermost first; a unary plus changes nothing and leaves no node.
    for (const sign of [...(ctx.AddOp ?? [])].reverse()) {
      if (sign.image === "-") {
        result = { kind: "Negate", operand: result, span: cover(tokenSpan(sign), result.span) };
      }
    }
    return result;
  }

  primary(ctx: C.PrimaryCstChildren): A.Expr {
    if (ctx.NumberLiteral) {
      const t = one(ctx.NumberLiteral);
      return { kind: "Number", value: this.number(t), span: tokenSpan(t) };
    }
    if (ctx.parenExpr) return this.parenExpr(one(ctx.parenExpr).children);
    return this.nameOrCall(one(ctx.nameOrCall).children);
  }

  parenExpr(ctx: C.ParenExprCstChildren): A.Expr {
    // Parentheses leave no node, but the span includes them.
    return { ...this.expression(one(ctx.expression).children), span: spanOf(ctx) };
  }

  nameOrCall(ctx: C.NameOrCallCstChildren): A.Expr {
    const name = ident(one(ctx.Identifier));
    if (!ctx.LParen) {
      const primed = ctx.Prime !== undefined;
      return { kind: "Name", name: name.name, primed, span: spanOf(ctx) };
    }
    const args = (ctx.argument ?? []).map((a) => this.argument(a.children));
    return { kind: "Call", callee: name, args, span: spanOf(ctx) };
  }

  argument(ctx: C.ArgumentCstChildren): A.Argument {
    const name = ctx.argName ? ident(one(ctx.argName)) : null;
    return { name, value: this.expression(one(ctx.expression).children) };
  }

  private number(t: IToken): number {
    const value = Number(t.image);
    if (!Number.isFinite(value)) this.diagnostics.push(numberOutOfRange(t.image, tokenSpan(t)));
    return value;
  }
}

function foldLeft(operands: readonly A.Expr[], operators: readonly IToken[]): A.Expr {
  let result = one(operands);
  operators.forEach((opToken, i) => {
    const rhs = nth(operands, i + 1);
    const op = opToken.image as A.BinaryOperator;
    result = { kind: "Binary", op, lhs: result, rhs, span: cover(result.span, rhs.span) };
  });
  return result;
}
