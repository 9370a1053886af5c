// Turns Chevrotain's CST into the AST of ast.ts; with to-ast-expr.ts and to-ast-cst.ts, the only
// code that reads the CST. It runs only on a CST without syntax errors. Declarations are visited
// here; what they contain, by ExprBuilder (to-ast-expr.ts), which this visitor extends.
import { type Diagnostic, cover } from "../diagnostics.js";
import type * as A from "./ast.js";
import type * as C from "./cst.js";
import { ident, one, spanOf, tokenSpan } from "./to-ast-cst.js";
import { ExprBuilder } from "./to-ast-expr.js";

class AstBuilder extends ExprBuilder implements C.ICellCstVisitor<void, unknown> {
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
    const locals = (ctx.whereBinding ?? []).map((b) => this.whereBinding(b.children));
    const name = ident(one(ctx.Identifier));
    return { kind: "Fn", name, params, body, locals, span: spanOf(ctx) };
  }

  whereBinding(ctx: C.WhereBindingCstChildren): A.LetDecl {
    const value = this.expression(one(ctx.expression).children);
    return { kind: "Let", names: ctx.Identifier.map(ident), value, span: spanOf(ctx) };
  }

  fnParam(ctx: C.FnParamCstChildren): A.FnParam {
    const fill = ctx.expression ? this.expression(one(ctx.expression).children) : null;
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
