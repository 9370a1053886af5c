// `let i, f, g, o = split(z, 4)` (or a function's `where i, f, g, o = split(z, 4)`) is the one place a call yields several values: the right side
// must be a split whose part count is a whole-number literal equal to the number of names, and at
// most MAX_PARTS.
import type { Diagnostic } from "../../diagnostics.js";
import type { DeclOf, ExprOf } from "../../dsl/ast.js";
import { MAX_PARTS } from "../../dsl/limits.js";
import * as E from "../errors.js";
import type { CallRef } from "./resolution.js";

export function checkSplits(
  lets: readonly DeclOf<"Let">[],
  /** What the declarations are called in messages: "a let", "a 'where' value". */
  what: string,
  calls: ReadonlyMap<ExprOf<"Call">, CallRef>,
  diagnostics: Diagnostic[],
): void {
  for (const d of lets) {
    if (d.names.length < 2) continue;
    const names = d.names.length;
    const ref = d.value.kind === "Call" ? calls.get(d.value) : undefined;
    const isSplit = ref?.callee.kind === "primitive" && ref.callee.prim.kind === "split";
    if (d.value.kind !== "Call" || (ref && !isSplit) || (!ref && d.value.callee.name !== "split")) {
      const message = `${what} with ${names} names needs 'split(x, ${names})' on the right`;
      diagnostics.push(E.splitMisuse(message, d.value.span));
      continue;
    }
    const parts = ref?.args[1];
    if (!parts) continue; // the call itself was reported
    const literal = "expr" in parts && parts.expr.kind === "Number" ? parts.expr.value : null;
    const where = "expr" in parts ? parts.expr.span : d.value.span;
    if (literal === null || !Number.isInteger(literal) || literal < 1) {
      diagnostics.push(
        E.splitMisuse("the number of parts in split(x, n) must be a whole-number literal", where),
      );
    } else if (Math.max(literal, names) > MAX_PARTS) {
      diagnostics.push(E.tooManyParts(`split(x, ${literal})`, where));
    } else if (literal !== names) {
      const message = `split(x, ${literal}) yields ${literal} values but ${names} names are bound`;
      diagnostics.push(E.splitMisuse(message, where));
    }
  }
}
