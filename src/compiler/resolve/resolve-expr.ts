// Resolves the names and calls of one expression: records what each refers to, what it depends on
// (for cycle checks) and what it uses (for unused-parameter warnings).
import type { Diagnostic } from "../../diagnostics.js";
import type { DeclOf, Expr, ExprOf } from "../../dsl/ast.js";
import { bindArguments } from "./call-args.js";
import { checkedConstant } from "./constants.js";
import type { ParamSpec } from "./builtins.js";
import { MAX_PARTS } from "../../dsl/limits.js";
import * as E from "../errors.js";
import type { CallRef, Callee, Symbol, ValueRef } from "./resolution.js";
import { describeSymbol } from "./resolution.js";
import { suggestion } from "./suggest.js";
import { type Scope, lookup } from "./symbols.js";

/** Something an expression needs computed first: a `let`, a state's next value, a function. */
export type Dependency =
  | { readonly kind: "let"; readonly decl: DeclOf<"Let"> }
  | { readonly kind: "next"; readonly name: string }
  | { readonly kind: "fn"; readonly decl: DeclOf<"Fn"> }
  | { readonly kind: "slot"; readonly name: string };

export interface ExprContext {
  readonly scopes: readonly Scope[];
  /** The function whose body this is, or null at file level. */
  readonly fn: DeclOf<"Fn"> | null;
  /** The values the function's `where` names (empty at file level). */
  readonly locals: Scope;
  readonly diagnostics: Diagnostic[];
  readonly values: Map<ExprOf<"Name">, ValueRef>;
  readonly calls: Map<ExprOf<"Call">, CallRef>;
  readonly used: Set<Symbol>;
  readonly deps: Dependency[];
}

/** Distinct parameter names, with defaults only after the parameters without one. */
export function wellFormedParams(fn: DeclOf<"Fn">): boolean {
  const names = fn.params.map((p) => p.name.name);
  const firstDefault = fn.params.findIndex((p) => p.default !== null);
  const defaultsLast =
    firstDefault < 0 || fn.params.slice(firstDefault).every((p) => p.default !== null);
  return new Set(names).size === names.length && defaultsLast;
}

export function fnParamSpecs(fn: DeclOf<"Fn">): ParamSpec[] {
  return fn.params.map((p) => ({
    name: p.name.name,
    default: p.default ? checkedConstant(p.default) : null,
  }));
}

const VALUE_KINDS: ReadonlySet<Symbol["kind"]> = new Set([
  "input",
  "state",
  "param",
  "let",
  "size",
]);

/** Names worth suggesting where a value (or, for calls, a function) was expected. */
function knownNames(ctx: ExprContext, callable: boolean): string[] {
  const wanted = (s: Symbol) => VALUE_KINDS.has(s.kind) !== callable && s.kind !== "size";
  const names = ctx.scopes.flatMap((scope) =>
    [...scope].filter(([, s]) => wanted(s)).map(([n]) => n),
  );
  if (!ctx.fn || callable) return names;
  return [...ctx.fn.params.map((p) => p.name.name), ...ctx.locals.keys(), ...names];
}

export function resolveExpr(e: Expr, ctx: ExprContext, allowSplit = false): void {
  switch (e.kind) {
    case "Number":
      return;
    case "Name":
      return resolveName(e, ctx);
    case "Call":
      return resolveCall(e, ctx, allowSplit);
    case "Negate":
      return resolveExpr(e.operand, ctx);
    case "Binary":
      resolveExpr(e.lhs, ctx);
      return resolveExpr(e.rhs, ctx);
    case "Conditional":
      resolveExpr(e.condition, ctx);
      resolveExpr(e.then, ctx);
      return resolveExpr(e.otherwise, ctx);
  }
}

function resolveName(e: ExprOf<"Name">, ctx: ExprContext): void {
  const paramIndex = ctx.fn?.params.findIndex((p) => p.name.name === e.name) ?? -1;
  if (paramIndex >= 0 && !e.primed) {
    ctx.values.set(e, { kind: "fnParam", index: paramIndex });
    return;
  }
  const local = e.primed ? undefined : ctx.locals.get(e.name);
  if (local?.kind === "let") {
    ctx.used.add(local);
    ctx.values.set(e, { kind: "local", decl: local.decl, index: local.index });
    ctx.deps.push({ kind: "let", decl: local.decl });
    return;
  }
  const symbol = lookup(ctx.scopes, e.name);
  if (!symbol) {
    const hint = suggestion(e.name, () => knownNames(ctx, false), ctx.diagnostics);
    ctx.diagnostics.push(E.unknownName(e.name, e.span, hint));
    return;
  }
  ctx.used.add(symbol);
  const isValue = VALUE_KINDS.has(symbol.kind);
  if (isValue && ctx.fn) {
    ctx.diagnostics.push(
      E.outsideFunction(e.primed ? `${e.name}'` : e.name, ctx.fn.name.name, e.span),
    );
    return;
  }
  if (e.primed) {
    if (symbol.kind !== "state") {
      ctx.diagnostics.push(E.primeNeverAssigned(e.name, e.span, false));
      return;
    }
    ctx.values.set(e, { kind: "next", name: e.name });
    ctx.deps.push({ kind: "next", name: e.name });
    return;
  }
  switch (symbol.kind) {
    case "input":
    case "state":
    case "param":
      ctx.values.set(e, { kind: symbol.kind, name: e.name });
      return;
    case "let":
      ctx.values.set(e, { kind: "let", decl: symbol.decl, index: symbol.index });
      ctx.deps.push({ kind: "let", decl: symbol.decl });
      return;
    case "size":
      ctx.values.set(e, { kind: "size", name: e.name });
      return;
    default:
      ctx.diagnostics.push(
        E.notAValue(e.name, `${describeSymbol(symbol)}; call it as ${e.name}(...)`, e.span),
      );
  }
}

function resolveCall(e: ExprOf<"Call">, ctx: ExprContext, allowSplit: boolean): void {
  const ref = bindCall(e, ctx, allowSplit);
  if (ref) ctx.calls.set(e, ref);
  // Arguments are resolved even when the call is wrong, so their own mistakes are reported too.
  for (const a of e.args) resolveExpr(a.value, ctx);
}

function bindCall(e: ExprOf<"Call">, ctx: ExprContext, allowSplit: boolean): CallRef | null {
  const name = e.callee.name;
  if (ctx.fn?.params.some((p) => p.name.name === name)) {
    ctx.diagnostics.push(
      E.notCallable(name, `a parameter of '${ctx.fn.name.name}'`, e.callee.span),
    );
    return null;
  }
  const local = ctx.fn ? ctx.locals.get(name) : undefined;
  if (ctx.fn && local) {
    ctx.used.add(local);
    const what = `a value named by 'where' in '${ctx.fn.name.name}'`;
    ctx.diagnostics.push(E.notCallable(name, what, e.callee.span));
    return null;
  }
  const symbol = lookup(ctx.scopes, name);
  if (!symbol) {
    const hint = suggestion(name, () => knownNames(ctx, true), ctx.diagnostics);
    ctx.diagnostics.push(E.unknownName(name, e.callee.span, hint));
    return null;
  }
  ctx.used.add(symbol);
  switch (symbol.kind) {
    case "fn": {
      ctx.deps.push({ kind: "fn", decl: symbol.decl });
      // A function whose parameter list is itself wrong (reported there) cannot bind calls.
      const diagnostics = wellFormedParams(symbol.decl) ? ctx.diagnostics : [];
      const args = bindArguments(
        `'${name}'`,
        fnParamSpecs(symbol.decl),
        e.args,
        e.span,
        diagnostics,
      );
      return args && { callee: { kind: "fn", decl: symbol.decl }, args };
    }
    case "slot":
      ctx.deps.push({ kind: "slot", name });
      if (e.args.length === 1 && e.args[0]!.name !== null) {
        const message = `slot '${name}' takes its argument by position, not by name`;
        ctx.diagnostics.push(E.badArgument(message, e.args[0]!.name.span));
        return null;
      }
      if (e.args.length !== 1) {
        ctx.diagnostics.push(
          E.wrongArgumentCount(`slot '${name}'`, "1 argument", e.args.length, e.span),
        );
        return null;
      }
      return { callee: { kind: "slot", name }, args: [{ expr: e.args[0]!.value }] };
    case "primitive":
      return bindPrimitive(e, symbol, ctx, allowSplit);
    default:
      ctx.diagnostics.push(E.notCallable(name, describeSymbol(symbol), e.callee.span));
      return null;
  }
}

function bindPrimitive(
  e: ExprOf<"Call">,
  symbol: Extract<Symbol, { kind: "primitive" }>,
  ctx: ExprContext,
  allowSplit: boolean,
): CallRef | null {
  const { prim } = symbol;
  const callee: Callee = { kind: "primitive", prim };
  if (prim.kind === "split" && !allowSplit) {
    const message = "split(...) must be bound to one name per part: 'let a, b, ... = split(x, n)'";
    ctx.diagnostics.push(E.splitMisuse(message, e.span));
    return null;
  }
  if (prim.kind === "concat") {
    const named = e.args.find((a) => a.name !== null);
    if (named?.name) {
      ctx.diagnostics.push(E.badArgument("'concat' takes no named arguments", named.name.span));
      return null;
    }
    if (e.args.length === 0) {
      ctx.diagnostics.push(E.wrongArgumentCount("'concat'", "at least 1 argument", 0, e.span));
      return null;
    }
    if (e.args.length > MAX_PARTS) {
      ctx.diagnostics.push(E.tooManyParts(`concat of ${e.args.length} vectors`, e.span));
      return null;
    }
    return { callee, args: e.args.map((a) => ({ expr: a.value })) };
  }
  const args = bindArguments(`'${symbol.name}'`, prim.params, e.args, e.span, ctx.diagnostics);
  return args && { callee, args };
}
