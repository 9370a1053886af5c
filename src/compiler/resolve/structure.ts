// Checks the declarations every cell needs: one `cell` name, one input, vector states that each
// get exactly one next value, parameters of rank 0 to 2, and one output.
import type { Diagnostic } from "../../diagnostics.js";
import type { CellFile, DeclOf } from "../../dsl/ast.js";
import * as E from "../errors.js";
import { suggestion } from "./suggest.js";
import type { Scope } from "./symbols.js";

export interface CellStructure {
  readonly cellName: string;
  readonly input: DeclOf<"Input">;
  readonly states: readonly DeclOf<"State">[];
  readonly params: readonly DeclOf<"Param">[];
  readonly updates: ReadonlyMap<string, DeclOf<"Update">>;
  readonly output: DeclOf<"Output">;
}

function declsOf<K extends "Cell" | "Input" | "State" | "Param" | "Update" | "Output">(
  file: CellFile,
  kind: K,
): DeclOf<K>[] {
  return file.decls.filter((d): d is DeclOf<K> => d.kind === kind);
}

/** Reports a missing or repeated declaration; returns the first one, if any. */
function exactlyOne<D extends { span: CellFile["span"] }>(
  found: readonly D[],
  what: string,
  example: string,
  file: CellFile,
  diagnostics: Diagnostic[],
): D | null {
  const [first, ...rest] = found;
  if (!first) {
    const end = { start: file.span.end, end: file.span.end };
    diagnostics.push(E.missingDeclaration(`${what} (for example: ${example})`, end));
    return null;
  }
  for (const r of rest) diagnostics.push(E.duplicateDeclaration(what, r.span, first.span));
  return first;
}

export function checkStructure(
  file: CellFile,
  scope: Scope,
  diagnostics: Diagnostic[],
): { updates: ReadonlyMap<string, DeclOf<"Update">>; complete: CellStructure | null } {
  const cell = exactlyOne(
    declsOf(file, "Cell"),
    "cell declaration",
    "cell my_lstm",
    file,
    diagnostics,
  );
  const input = exactlyOne(
    declsOf(file, "Input"),
    "input declaration",
    "input x : [I]",
    file,
    diagnostics,
  );
  const output = exactlyOne(
    declsOf(file, "Output"),
    "output declaration",
    "output h'",
    file,
    diagnostics,
  );
  const states = declsOf(file, "State");
  const params = declsOf(file, "Param");

  if (input && input.shape.dims.length !== 1) {
    diagnostics.push(
      E.badDeclaration(
        `the input must be a vector (one size), not ${input.shape.dims.length}-dimensional`,
        input.shape.span,
      ),
    );
  }
  for (const s of states) {
    if (s.shape.dims.length !== 1) {
      diagnostics.push(
        E.badDeclaration(`state '${s.name.name}' must be a vector (one size)`, s.shape.span),
      );
    }
  }
  for (const p of params) {
    if (p.shape.dims.length > 2) {
      diagnostics.push(
        E.badDeclaration(
          `parameter '${p.name.name}' has ${p.shape.dims.length} dimensions; at most 2 are supported`,
          p.shape.span,
        ),
      );
    }
  }

  const stateNames = new Set(states.map((s) => s.name.name));
  const updates = new Map<string, DeclOf<"Update">>();
  for (const u of declsOf(file, "Update")) {
    const name = u.name.name;
    const first = updates.get(name);
    if (!scope.has(name)) {
      const hint = suggestion(name, () => stateNames, diagnostics);
      diagnostics.push(E.unknownName(name, u.name.span, hint));
    } else if (!stateNames.has(name))
      diagnostics.push(E.primeNeverAssigned(name, u.name.span, false));
    else if (first) diagnostics.push(E.redefinition(`${name}'`, u.name.span, first.name.span));
    else updates.set(name, u);
  }
  for (const s of states) {
    if (!updates.has(s.name.name)) diagnostics.push(E.stateWithoutNext(s.name.name, s.name.span));
  }

  const complete =
    cell && input && output
      ? { cellName: cell.name.name, input, states, params, updates, output }
      : null;
  return { updates, complete };
}
