// Checks a parsed cell before lowering: the declarations it must have, what every name refers to,
// slot bindings, cycles, and unused parameters. Shapes are checked later, while lowering.
import type { Diagnostic } from "../../diagnostics.js";
import type { CellFile, DeclOf, ExprOf } from "../../dsl/ast.js";
import type { Shape } from "../../shared/size.js";
import { type Definition, checkChainDepth } from "./chain-depth.js";
import { findCycles } from "./cycles.js";
import * as E from "../errors.js";
import type { CallRef, Resolution, Symbol, ValueRef } from "./resolution.js";
import { type Dependency, type ExprContext, resolveExpr } from "./resolve-expr.js";
import { library } from "./resolve-library.js";
import { type SlotOverride, resolveSlots } from "./resolve-slots.js";
import { checkSizeUse, resolveShape } from "./size-exprs.js";
import { declaredSymbols } from "./symbols.js";
import { checkStructure } from "./structure.js";
import { checkSplits } from "./split-lets.js";
import { resolveFunction } from "./where-locals.js";
import type { Scope } from "./symbols.js";

export type { SlotOverride } from "./resolve-slots.js";

export function resolve(
  file: CellFile,
  overrides: readonly SlotOverride[],
): { resolution: Resolution | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const lib = library();
  const scope = declaredSymbols(file.decls, diagnostics);
  const scopes = [scope, lib.scope, lib.builtins];
  const structure = checkStructure(file, scope, diagnostics);
  const shapes = new Map<string, Shape>();
  for (const d of file.decls) {
    if (d.kind !== "Input" && d.kind !== "State" && d.kind !== "Param") continue;
    const shape = resolveShape(d.shape, scope, diagnostics);
    if (shape) shapes.set(d.name.name, shape);
  }

  checkSizeUse(file, scope, diagnostics);
  const used = new Set<Symbol>();
  const values = new Map<ExprOf<"Name">, ValueRef>(lib.values);
  const calls = new Map<ExprOf<"Call">, CallRef>(lib.calls);
  const noLocals: Scope = new Map();
  const context = (
    fn: DeclOf<"Fn"> | null,
    deps: Dependency[],
    locals: Scope = noLocals,
  ): ExprContext => ({
    scopes,
    fn,
    locals,
    diagnostics,
    values,
    calls,
    used,
    deps,
  });

  const slotDecls = file.decls.filter((d): d is DeclOf<"Slot"> => d.kind === "Slot");
  const slots = resolveSlots(slotDecls, overrides, scopes, used, diagnostics);

  const graph: { key: string; label: string; deps: string[]; span: DeclOf<"Let">["span"] }[] = [];
  const localScopes: Scope[] = [];
  const localOrders = new Map<DeclOf<"Fn">, readonly DeclOf<"Let">[]>(lib.locals);
  const fnGraph: typeof graph = [];
  for (const d of file.decls) {
    const deps: Dependency[] = [];
    if (d.kind === "Let") {
      resolveExpr(d.value, context(null, deps), d.names.length > 1);
      graph.push({
        key: letKey(d),
        label: d.names.map((n) => n.name).join(", "),
        deps: deps.map(depKey),
        span: d.span,
      });
    } else if (d.kind === "Update") {
      resolveExpr(d.value, context(null, deps));
      graph.push({
        key: `next:${d.name.name}`,
        label: `${d.name.name}'`,
        deps: deps.map(depKey),
        span: d.span,
      });
    } else if (d.kind === "Output") {
      resolveExpr(d.value, context(null, deps));
    } else if (d.kind === "Fn") {
      const resolved = resolveFunction(d, (own, locals) => context(d, own, locals), diagnostics);
      localScopes.push(resolved.locals);
      localOrders.set(d, resolved.order);
      deps.push(...resolved.deps);
      for (const [l, own] of resolved.localDeps) {
        const label = l.names.map((n) => n.name).join(", ");
        graph.push({ key: letKey(l), label, deps: own.map(depKey), span: l.span });
      }
      fnGraph.push({
        key: `fn:${d.name.name}`,
        label: d.name.name,
        deps: deps.map(depKey),
        span: d.name.span,
      });
    }
  }
  const slotSpans = new Map(slotDecls.map((d) => [d.name.name, d.name.span]));
  for (const [name, target] of slots) {
    const deps = target.callee.kind === "fn" ? [`fn:${target.callee.decl.name.name}`] : [];
    fnGraph.push({ key: `slot:${name}`, label: name, deps, span: slotSpans.get(name)! });
  }
  const fileLets = file.decls.filter((d): d is DeclOf<"Let"> => d.kind === "Let");
  const fnLocals = file.decls.flatMap((d) => (d.kind === "Fn" ? d.locals : []));
  checkSplits(fileLets, "a let", calls, diagnostics);
  checkSplits(fnLocals, "a 'where' value", calls, diagnostics);
  for (const g of [graph, fnGraph]) {
    const spans = new Map(g.map((n) => [n.key, n.span]));
    const report = g === graph ? E.circularDefinition : E.recursiveFunction;
    for (const c of findCycles(g)) diagnostics.push(report(c.path, spans.get(c.at)!));
  }
  checkPrimes(values, structure.updates, diagnostics);
  for (const s of [scope, ...localScopes]) warnUnused(s, used, diagnostics);

  const failed = () => diagnostics.some((d) => d.severity === "error") || !structure.complete;
  if (failed()) return { resolution: null, diagnostics };
  const definitions = file.decls.filter(
    (d): d is Definition =>
      d.kind === "Let" || d.kind === "Update" || d.kind === "Output" || d.kind === "Fn",
  );
  const tables = { values, calls, slots, updates: structure.updates };
  const { eager } = checkChainDepth(definitions, tables, diagnostics);
  if (failed() || !structure.complete) return { resolution: null, diagnostics };
  const { cellName, input, states, params, updates, output } = structure.complete;
  const sizes = [...scope.values()].flatMap((s) => (s.kind === "size" ? [s.name] : []));
  const resolution: Resolution = {
    cellName,
    sizes,
    input,
    states,
    params,
    shapes,
    lets: fileLets,
    updates,
    output,
    slots,
    values,
    calls,
    eager,
    locals: localOrders,
  };
  return { resolution, diagnostics };
}

function letKey(d: DeclOf<"Let">): string {
  return `let:${d.names[0]!.name}@${d.span.start}`;
}

function depKey(d: Dependency): string {
  switch (d.kind) {
    case "let":
      return letKey(d.decl);
    case "next":
      return `next:${d.name}`;
    case "fn":
      return `fn:${d.decl.name.name}`;
    case "slot":
      return `slot:${d.name}`;
  }
}

/** A primed state must have an update somewhere in the file. */
function checkPrimes(
  values: ReadonlyMap<ExprOf<"Name">, ValueRef>,
  updates: ReadonlyMap<string, DeclOf<"Update">>,
  diagnostics: Diagnostic[],
): void {
  for (const [expr, ref] of values) {
    if (ref.kind === "next" && !updates.has(ref.name)) {
      diagnostics.push(E.primeNeverAssigned(ref.name, expr.span, true));
    }
  }
}

function warnUnused(
  scope: ReadonlyMap<string, Symbol>,
  used: ReadonlySet<Symbol>,
  diagnostics: Diagnostic[],
): void {
  for (const symbol of scope.values()) {
    if (used.has(symbol)) continue;
    if (symbol.kind === "param")
      diagnostics.push(E.unusedParam(symbol.decl.name.name, symbol.decl.name.span));
    if (symbol.kind === "let") {
      // A leading underscore says "unused on purpose": let _zi, zf, zg, zo = split(z, 4)
      const name = symbol.decl.names[symbol.index]!;
      if (!name.name.startsWith("_")) diagnostics.push(E.unusedLet(name.name, name.span));
    }
  }
}
