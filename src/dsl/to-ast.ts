// The only module that reads Chevrotain's CST: turns it into the AST of ast.ts. It runs only on a
// CST without syntax errors, so every mandatory child is present.
import type { CstNode, IToken } from "chevrotain";
import { type Diagnostic, type Span, cover } from "../diagnostics.js";
import type * as A from "./ast.js";
import type * as C from "./cst.js";
import { numberOutOfRange } from "./errors.js";
import { cellParser } from "./parser.js";

type Children = Record<string, (IToken | CstNode)[] | undefined>;

function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function isToken(x: IToken | CstNode): x is IToken {
  return "image" in x;
}

function elementSpan(x: IToken | CstNode): Span {
  if (isToken(x)) return tokenSpan(x);
  const loc = x.location;
  if (!loc) throw new Error(`internal: CST node '${x.name}' has no location`);
  return { start: loc.startOffset, end: (loc.endOffset ?? loc.startOffset) + 1 };
}

/** The span of everything a rule matched, from its children. */
function spanOf(children: Children): Span {
  let result: Span | null = null;
  for (const list of Object.values(children)) {
    for (const child of list ?? []) {
      const s = elementSpan(child);
      result = result ? cover(result, s) : s;
    }
  }
  if (!result) throw new Error("internal: empty CST node");
  return result;
}

function one<T>(list: readonly T[] | undefined): T {
  const first = list?.[0];
  if (first === undefined) throw new Error("internal: missing CST child");
  return first;
}

function ident(t: IToken): A.Ident {
  return { name: t.image, span: tokenSpan(t) };
}

const BaseVisitor = cellParser.getBaseCstVisitorConstructor();

class AstBuilder extends BaseVisitor implements C.ICellCstVisitor<void, unknown> {
  readonly diagnostics: Diagnostic[] = [];

  constructor() {
    super();
    this.validateVisitor();
  }

  cellFile(ctx: C.CellFileCstChildren): A.Decl[] {
    return (ctx.declaration ?? []).map((d) => this.declaration(d.children));
  }

  declaration(ctx: C.DeclarationCstChildren): A.Decl {
    if (ctx.updateDecl) return this.updateDecl(one(ctx.updateDecl).children);
    if (ctx.cellDecl) return this.cellDecl(one(ctx.cellDecl).children);
    if (ctx.sizeDecl) return this.sizeDecl(one(ctx.sizeDecl).children);
    if (ctx.inputDecl) return this.inputDecl(one(ctx.inputDecl).children);
    if (ctx.stateDecl) return this.stateDecl(one(ctx.stateDecl).children);
    if (ctx.paramDecl) return this.paramDecl(one(ctx.paramDecl).children);
    if (ctx.slotDecl) return this.slotDecl(one(ctx.slotDecl).children);
    if (ctx.fnDecl) return this.fnDecl(one(ctx.fnDecl).children);
    if (ctx.letDecl) return this.letDecl(one(ctx.letDecl).children);
    return this.outputDecl(one(ctx.outputDecl).children);
  }

  updateDecl(ctx: C.UpdateDeclCstChildren): A.Decl {
    const value = this.expression(one(ctx.expression).children);
    // The name's span covers the prime, so a diagnostic about `h'` underlines all of it.
    const id = one(ctx.Identifier);
    const name = { name: id.image, span: cover(tokenSpan(id), tokenSpan(one(ctx.Prime))) };
    return { kind: "Update", name, value, span: spanOf(ctx) };
  }

  cellDecl(ctx: C.CellDeclCstChildren): A.Decl {
    return { kind: "Cell", name: ident(one(ctx.Identifier)), span: spanOf(ctx) };
  }

  sizeDecl(ctx: C.SizeDeclCstChildren): A.Decl {
    return { kind: "Size", names: ctx.Identifier.map(ident), span: spanOf(ctx) };
  }

  inputDecl(ctx: C.InputDeclCstChildren): A.Decl {
    const shape = this.shape(one(ctx.shape).children);
    return { kind: "Input", name: ident(one(ctx.Identifier)), shape, span: spanOf(ctx) };
  }

  stateDecl(ctx: C.StateDeclCstChildren): A.Decl {
    const shape = this.shape(one(ctx.shape).children);
    return { kind: "State", name: ident(one(ctx.Identifier)), shape, span: spanOf(ctx) };
  }

  paramDecl(ctx: C.ParamDeclCstChildren): A.Decl {
    const shape = this.shape(one(ctx.shape).children);
    const fill = ctx.signedNumber ? this.signedNumber(one(ctx.signedNumber).children) : null;
    const name = ident(one(ctx.Identifier));
    return { kind: "Param", name, shape, default: fill, span: spanOf(ctx) };
  }

  slotDecl(ctx: C.SlotDeclCstChildren): A.Decl {
    const binding = this.activationSpec(one(ctx.activationSpec).children);
    return { kind: "Slot", name: ident(one(ctx.Identifier)), binding, span: spanOf(ctx) };
  }

  fnDecl(ctx: C.FnDeclCstChildren): A.Decl {
    const params = (ctx.fnParam ?? []).map((p) => this.fnParam(p.children));
    const body = this.expression(one(ctx.expression).children);
    return { kind: "Fn", name: ident(one(ctx.Identifier)), params, body, span: spanOf(ctx) };
  }

  fnParam(ctx: C.FnParamCstChildren): A.FnParam {
    const fill = ctx.signedNumber ? this.signedNumber(one(ctx.signedNumber).children) : null;
    return { name: ident(one(ctx.Identifier)), default: fill };
  }

  letDecl(ctx: C.LetDeclCstChildren): A.Decl {
    const value = this.expression(one(ctx.expression).children);
    return { kind: "Let", names: ctx.Identifier.map(ident), value, span: spanOf(ctx) };
  }

  outputDecl(ctx: C.OutputDeclCstChildren): A.Decl {
    const value = this.expression(one(ctx.expression).children);
    return { kind: "Output", value, span: spanOf(ctx) };
  }

  // ----------------- shapes -----------------

  shape(ctx: C.ShapeCstChildren): A.ShapeExpr {
    const dims = (ctx.sizeExpr ?? []).map((s) => this.sizeExpr(s.children));
    return { dims, span: spanOf(ctx) };
  }

  sizeExpr(ctx: C.SizeExprCstChildren): A.SizeExpr {
    let result = this.sizeTerm(one(ctx.lhs).children);
    (ctx.rhs ?? []).forEach((rhs, i) => {
      const op = one(ctx.AddOp?.slice(i)).image === "+" ? "+" : "-";
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
    const args = (ctx.signedNumber ?? []).map((n) => this.signedNumber(n.children));
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
    const rhs = one(operands.slice(i + 1));
    const op = opToken.image as A.BinaryOperator;
    result = { kind: "Binary", op, lhs: result, rhs, span: cover(result.span, rhs.span) };
  });
  return result;
}

const builder = new AstBuilder();

export function toAst(
  cst: C.CellFileCstNode,
  textLength: number,
): { file: A.CellFile; diagnostics: Diagnostic[] } {
  builder.diagnostics.length = 0;
  const decls = builder.cellFile(cst.children);
  const file: A.CellFile = { decls, span: { start: 0, end: textLength } };
  return { file, diagnostics: [...builder.diagnostics] };
}

export function toActivationSpec(cst: C.ActivationSpecCstNode): {
  spec: A.ActivationSpec;
  diagnostics: Diagnostic[];
} {
  builder.diagnostics.length = 0;
  const spec = builder.activationSpec(cst.children);
  return { spec, diagnostics: [...builder.diagnostics] };
}
