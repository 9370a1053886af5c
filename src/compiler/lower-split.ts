// `let a, b = split(z, 2)` (or a function's `where a, b = split(z, 2)`) once its operand is
// lowered: equal consecutive slices of a vector, or equal row blocks of a matrix (the gate blocks
// of a stacked weight). Resolve checked the form; the shapes are checked here.
import type { Diagnostic, Span } from "../diagnostics.js";
import type { Ident } from "../dsl/ast.js";
import { divideSize, formatSymbolicShape, scaleSize } from "../shared/size.js";
import * as E from "./errors.js";
import type { IRBuilder } from "./ir/builder.js";
import type { ValueId } from "./ir/ir.js";
import type { Value } from "./lower.js";

/**
 * One value per name, or poison for all (reported at `span`). Inside the library (`callSite`
 * set) the parts point at the user's call and take no names.
 */
export function splitValue(
  builder: IRBuilder,
  diagnostics: Diagnostic[],
  x: ValueId,
  names: readonly Ident[],
  span: Span,
  callSite: Span | null,
): Value[] {
  const parts = names.length;
  const poison = names.map(() => null);
  const shape = builder.node(x).shape;
  const shown = formatSymbolicShape(shape);
  if (shape.length !== 1 && shape.length !== 2) {
    const message = `only vectors and matrices (by rows) can be split, not ${shown}`;
    diagnostics.push(E.shapeMismatch(message, span));
    return poison;
  }
  const len = divideSize(shape[0]!, parts);
  if (!len) {
    const what = shape.length === 1 ? shown : `the rows of ${shown}`;
    diagnostics.push(E.splitUneven(what, parts, span));
    return poison;
  }
  const op = shape.length === 1 ? "slice" : "rows";
  const hint = (name: string) => (callSite === null ? name : undefined);
  return names.map((n, k) =>
    builder.emit(op, [x], { start: scaleSize(len, k), len }, callSite ?? n.span, hint(n.name)),
  );
}
