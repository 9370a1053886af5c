// Name, structure and shape diagnostics (E2xx), lowering's own (E3xx) and warnings (W2xx): one
// factory per code. Messages start lower-case, have no trailing period, quote names with '…'.
import type { Diagnostic, Span } from "../diagnostics.js";
import { MAX_OPERATIONS, MAX_PARTS } from "../dsl/limits.js";

const error = (code: string, message: string, span: Span | null): Diagnostic => ({
  code,
  severity: "error",
  message,
  span,
});
const warning = (code: string, message: string, span: Span | null): Diagnostic => ({
  code,
  severity: "warning",
  message,
  span,
});

export const unknownName = (name: string, span: Span, hint = ""): Diagnostic =>
  error("E201", `unknown name '${name}'${hint}`, span);

/** A name as messages show it: quoted, except a primed one (h'), which a quote would garble. */
const shown = (name: string): string => (name.endsWith("'") ? name : `'${name}'`);

export const redefinition = (name: string, span: Span, first: Span | null): Diagnostic => ({
  ...error("E202", `${shown(name)} is already defined`, span),
  ...(first ? { related: { span: first, message: `${shown(name)} was first defined here` } } : {}),
});

export const missingDeclaration = (what: string, span: Span | null): Diagnostic =>
  error("E203", `missing ${what}`, span);

// A primed name is shown bare (h'), since quoting it ('h'') would collide with the prime.
export const stateWithoutNext = (name: string, span: Span): Diagnostic =>
  error("E204", `state '${name}' has no next value (give it one with ${name}' = ...)`, span);

export const primeNeverAssigned = (name: string, span: Span, isState: boolean): Diagnostic =>
  error(
    "E205",
    isState
      ? `the next value ${name}' is never assigned`
      : `'${name}' is not a state, so ${name}' has no meaning`,
    span,
  );

export const unknownActivation = (name: string, span: Span, hint = ""): Diagnostic =>
  error("E206", `unknown activation '${name}'${hint}`, span);

export const notAnActivation = (name: string, what: string, span: Span): Diagnostic =>
  error("E206", `'${name}' is ${what}, which cannot be an activation`, span);

export const unknownSlot = (
  name: string,
  known: readonly string[],
  span: Span | null,
): Diagnostic =>
  error(
    "E207",
    `unknown activation slot '${name}'${known.length ? ` (this cell has ${known.map((k) => `'${k}'`).join(", ")})` : " (this cell has no slots)"}`,
    span,
  );

export const wrongArgumentCount = (
  what: string,
  expected: string,
  got: number,
  span: Span,
): Diagnostic =>
  error("E208", `${what} takes ${expected}, but ${got} ${got === 1 ? "was" : "were"} given`, span);

export const missingArguments = (
  what: string,
  names: readonly string[],
  arity: string,
  span: Span,
): Diagnostic =>
  error(
    "E208",
    `${what} is missing argument${names.length > 1 ? "s" : ""} ${names.map((n) => `'${n}'`).join(", ")} (it takes ${arity})`,
    span,
  );

/** `shape` is a vector's shape, or `the rows of [3*H, H]` for a matrix. */
export const splitUneven = (shape: string, parts: number, span: Span): Diagnostic =>
  error("E209", `cannot split ${shape} into ${parts} equal parts`, span);

export const shapeMismatch = (problem: string, span: Span): Diagnostic =>
  error("E210", problem, span);

export const notCallable = (name: string, what: string, span: Span): Diagnostic =>
  error("E211", `'${name}' is ${what}, not a function`, span);

export const notAValue = (name: string, what: string, span: Span): Diagnostic =>
  error("E212", `'${name}' is ${what}`, span);

export const circularDefinition = (path: readonly string[], span: Span): Diagnostic =>
  error("E213", `circular definition: ${path.join(" -> ")}`, span);

export const duplicateDeclaration = (what: string, span: Span, first: Span): Diagnostic => ({
  ...error("E214", `more than one ${what}`, span),
  related: { span: first, message: `the first ${what} is here` },
});

export const badSize = (message: string, span: Span): Diagnostic => error("E215", message, span);

export const badDeclaration = (message: string, span: Span): Diagnostic =>
  error("E216", message, span);

export const splitMisuse = (message: string, span: Span): Diagnostic =>
  error("E217", message, span);

export const recursiveFunction = (path: readonly string[], span: Span): Diagnostic =>
  error("E218", `recursive function: ${path.join(" -> ")} (functions are inlined)`, span);

export const badArgument = (message: string, span: Span): Diagnostic =>
  error("E219", message, span);

export const outsideFunction = (name: string, fn: string, span: Span): Diagnostic =>
  error("E220", `function '${fn}' cannot use '${name}': a function sees only its parameters`, span);

export const keywordAsValue = (name: string, span: Span): Diagnostic =>
  error(
    "E221",
    `'${name}' is a keyword: it can name a slot, a function or a size, but not a value`,
    span,
  );

export const sizeNotLearnable = (name: string, span: Span): Diagnostic =>
  error(
    "E222",
    `size '${name}' appears in no parameter's shape and not in the input's, so it cannot be learned from the weights`,
    span,
  );

/** `what` is a split or a concat past MAX_PARTS (dsl/limits.ts). */
export const tooManyParts = (what: string, span: Span): Diagnostic =>
  error("E223", `${what} has too many parts (the limit is ${MAX_PARTS})`, span);

/** A default or activation argument that is not constant arithmetic (resolve/constants.ts). */
export const notConstant = (what: string, found: string, span: Span): Diagnostic =>
  error(
    "E230",
    `${what} must be a number or arithmetic on numbers (+, -, *, /), not ${found}`,
    span,
  );

/** A slot's activation that returns another shape than its argument's (`fn zero(v) = 0`). */
export const activationChangesShape = (
  slot: string,
  activation: string,
  shapes: { readonly argument: string; readonly result: string },
  binding: Span,
  use: Span,
): Diagnostic => ({
  ...error(
    "E231",
    `activation '${activation}' bound to slot '${slot}' returns shape ${shapes.result} for an argument of shape ${shapes.argument} (an activation must keep the shape)`,
    binding,
  ),
  related: { span: use, message: `slot '${slot}' is applied to ${shapes.argument} here` },
});

/** Lowering (E3xx): the cell, functions inlined, past MAX_OPERATIONS (dsl/limits.ts). */
export const tooManyOperations = (span: Span): Diagnostic =>
  error(
    "E301",
    `the cell is too large with its functions inlined (the limit is ${MAX_OPERATIONS} operations)`,
    span,
  );

export const unusedParam = (name: string, span: Span): Diagnostic =>
  warning("W201", `parameter '${name}' is never used`, span);

export const unusedLet = (name: string, span: Span): Diagnostic =>
  warning("W202", `'${name}' is never used`, span);

export const unusedSize = (name: string, span: Span): Diagnostic =>
  warning("W203", `size '${name}' is never used`, span);
