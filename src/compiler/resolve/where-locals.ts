// The values a function's `where` names: a scope of their own inside the function (a name is
// defined once, and not as one of the parameters), any order of definition, and the order
// lowering computes them in (each after the values it uses), found without recursion.
import type { Diagnostic } from "../../diagnostics.js";
import type { DeclOf, Ident } from "../../dsl/ast.js";
import { KEYWORDS } from "../../dsl/tokens.js";
import { keywordAsValue, redefinition } from "../errors.js";
import type { Symbol } from "./resolution.js";
import { type Dependency, type ExprContext, resolveExpr } from "./resolve-expr.js";
import type { Scope } from "./symbols.js";

export interface ResolvedFunction {
  /** The `where` values by name. */
  readonly locals: Scope;
  /** The `where` values in the order lowering computes them. */
  readonly order: readonly DeclOf<"Let">[];
  /** What the body and every `where` value use. */
  readonly deps: readonly Dependency[];
  /** What each `where` value uses (for cycle reports). */
  readonly localDeps: ReadonlyMap<DeclOf<"Let">, readonly Dependency[]>;
}

/** Resolves a function's body and its `where` values; `context` makes an expression's context. */
export function resolveFunction(
  fn: DeclOf<"Fn">,
  context: (deps: Dependency[], locals: Scope) => ExprContext,
  diagnostics: Diagnostic[],
): ResolvedFunction {
  const locals = localSymbols(fn, diagnostics);
  const deps: Dependency[] = [];
  resolveExpr(fn.body, context(deps, locals));
  const localDeps = new Map<DeclOf<"Let">, Dependency[]>();
  for (const l of fn.locals) {
    const own: Dependency[] = [];
    resolveExpr(l.value, context(own, locals), l.names.length > 1);
    deps.push(...own);
    localDeps.set(l, own);
  }
  const own = new Set(fn.locals);
  const localsUsed = (l: DeclOf<"Let">): DeclOf<"Let">[] =>
    (localDeps.get(l) ?? []).flatMap((x) => (x.kind === "let" && own.has(x.decl) ? [x.decl] : []));
  return { locals, order: dependencyOrder(fn.locals, localsUsed), deps, localDeps };
}

/** The `where` values of `fn` by name; names clashing with a parameter or each other reported. */
export function localSymbols(fn: DeclOf<"Fn">, diagnostics: Diagnostic[]): Map<string, Symbol> {
  const scope = new Map<string, Symbol>();
  const params = new Map(fn.params.map((p) => [p.name.name, p.name]));
  for (const decl of fn.locals) {
    decl.names.forEach((id: Ident, index) => {
      if (KEYWORDS.has(id.name)) diagnostics.push(keywordAsValue(id.name, id.span));
      const param = params.get(id.name);
      const existing = scope.get(id.name);
      if (param) diagnostics.push(redefinition(id.name, id.span, param.span));
      else if (existing?.kind === "let")
        diagnostics.push(redefinition(id.name, id.span, existing.decl.names[existing.index]!.span));
      else scope.set(id.name, { kind: "let", decl, index });
    });
  }
  return scope;
}

/**
 * `decls` ordered so that each comes after those it uses (`uses` gives them, among `decls`);
 * run only without cycles. A depth-first search with an explicit stack.
 */
export function dependencyOrder<T>(decls: readonly T[], uses: (decl: T) => readonly T[]): T[] {
  const order: T[] = [];
  const state = new Map<T, "open" | "done">();
  for (const root of decls) {
    const stack = [root];
    while (stack.length > 0) {
      const d = stack[stack.length - 1]!;
      if (state.get(d) === "done") {
        stack.pop();
        continue;
      }
      if (state.get(d) !== "open") {
        state.set(d, "open");
        const pending = uses(d).filter((u) => !state.has(u));
        if (pending.length > 0) {
          stack.push(...pending);
          continue;
        }
      }
      state.set(d, "done");
      order.push(d);
      stack.pop();
    }
  }
  return order;
}
