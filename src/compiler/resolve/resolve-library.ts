// Parses and resolves the built-in activation library once, on first use.
import type { Diagnostic } from "../../diagnostics.js";
import type { DeclOf, ExprOf } from "../../dsl/ast.js";
import { parseCell } from "../../dsl/parse.js";
import { PRIMITIVES } from "./builtins.js";
import { LIBRARY_SOURCE } from "./library.js";
import type { CallRef, Symbol, ValueRef } from "./resolution.js";
import type { Dependency, ExprContext } from "./resolve-expr.js";
import { resolveFunction } from "./where-locals.js";
import { type Scope, declaredSymbols } from "./symbols.js";

export interface Library {
  readonly scope: Scope;
  readonly builtins: Scope;
  readonly values: ReadonlyMap<ExprOf<"Name">, ValueRef>;
  readonly calls: ReadonlyMap<ExprOf<"Call">, CallRef>;
  readonly fns: ReadonlySet<DeclOf<"Fn">>;
  /** Each function's `where` values in the order lowering computes them. */
  readonly locals: ReadonlyMap<DeclOf<"Fn">, readonly DeclOf<"Let">[]>;
}

let cached: Library | null = null;

export function library(): Library {
  if (cached) return cached;
  const parsed = parseCell(LIBRARY_SOURCE);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const decls = parsed.file?.decls ?? [];
  const builtins: Scope = new Map<string, Symbol>(
    [...PRIMITIVES].map(([name, prim]) => [name, { kind: "primitive", name, prim }]),
  );
  const scope = declaredSymbols(decls, diagnostics);
  const ctx: Omit<ExprContext, "fn" | "locals" | "deps"> = {
    scopes: [scope, builtins],
    diagnostics,
    values: new Map(),
    calls: new Map(),
    used: new Set(),
  };
  const fns = new Set<DeclOf<"Fn">>();
  const locals = new Map<DeclOf<"Fn">, readonly DeclOf<"Let">[]>();
  for (const d of decls) {
    if (d.kind !== "Fn") throw new Error(`internal: the library may only define functions`);
    fns.add(d);
    const context = (deps: Dependency[], scope: Scope): ExprContext => ({
      ...ctx,
      fn: d,
      locals: scope,
      deps,
    });
    locals.set(d, resolveFunction(d, context, diagnostics).order);
  }
  if (diagnostics.length > 0) {
    throw new Error(`internal: the built-in library does not compile: ${diagnostics[0]!.message}`);
  }
  cached = { scope, builtins, values: ctx.values, calls: ctx.calls, fns, locals };
  return cached;
}
