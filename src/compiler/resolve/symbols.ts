// Builds the file-level symbol table: one namespace for sizes, values, slots and functions, so a
// name means one thing everywhere in the file. Redefinitions are reported here.
import type { Diagnostic } from "../../diagnostics.js";
import type { Decl, DeclOf, Ident } from "../../dsl/ast.js";
import { KEYWORDS } from "../../dsl/tokens.js";
import { badArgument, keywordAsValue, redefinition } from "../errors.js";
import { constantValue } from "./constants.js";
import type { Symbol } from "./resolution.js";
import { symbolSpan } from "./resolution.js";

export type Scope = ReadonlyMap<string, Symbol>;

export function declaredSymbols(
  decls: readonly Decl[],
  diagnostics: Diagnostic[],
): Map<string, Symbol> {
  const scope = new Map<string, Symbol>();
  const define = (id: Ident, symbol: Symbol): void => {
    const isValue = symbol.kind !== "slot" && symbol.kind !== "fn" && symbol.kind !== "size";
    if (isValue && KEYWORDS.has(id.name)) diagnostics.push(keywordAsValue(id.name, id.span));
    const existing = scope.get(id.name);
    if (existing) diagnostics.push(redefinition(id.name, id.span, symbolSpan(existing)));
    else scope.set(id.name, symbol);
  };
  for (const d of decls) {
    switch (d.kind) {
      case "Size":
        for (const n of d.names) define(n, { kind: "size", name: n.name, span: n.span });
        break;
      case "Input":
        define(d.name, { kind: "input", decl: d });
        break;
      case "State":
        define(d.name, { kind: "state", decl: d });
        break;
      case "Param":
        define(d.name, { kind: "param", decl: d });
        break;
      case "Let":
        d.names.forEach((n, index) => define(n, { kind: "let", decl: d, index }));
        break;
      case "Slot":
        define(d.name, { kind: "slot", decl: d });
        break;
      case "Fn":
        define(d.name, { kind: "fn", decl: d });
        checkFnParams(d, diagnostics);
        break;
      case "Cell":
      case "Update":
      case "Output":
        break;
    }
  }
  return scope;
}

/** Parameters are distinct, are not keywords, defaults are constants and come last (as in Python). */
function checkFnParams(fn: DeclOf<"Fn">, diagnostics: Diagnostic[]): void {
  const seen = new Map<string, Ident>();
  let defaulted: string | null = null;
  for (const p of fn.params) {
    const first = seen.get(p.name.name);
    if (first) diagnostics.push(redefinition(p.name.name, p.name.span, first.span));
    else seen.set(p.name.name, p.name);
    if (KEYWORDS.has(p.name.name)) diagnostics.push(keywordAsValue(p.name.name, p.name.span));
    if (p.default) {
      constantValue(p.default, `the default of '${p.name.name}' in '${fn.name.name}'`, (d) =>
        diagnostics.push(d),
      );
      defaulted = p.name.name;
    } else if (defaulted !== null) {
      const message = `parameter '${p.name.name}' needs a default value, since '${defaulted}' before it has one`;
      diagnostics.push(badArgument(message, p.name.span));
    }
  }
}

/** Looks a name up through scopes, innermost first. */
export function lookup(scopes: readonly Scope[], name: string): Symbol | undefined {
  for (const s of scopes) {
    const found = s.get(name);
    if (found) return found;
  }
  return undefined;
}
