// Lexical and syntax diagnostics (E1xx): one factory per code.
import type { Diagnostic, Span } from "../diagnostics.js";

const error = (code: string, message: string, span: Span | null): Diagnostic => ({
  code,
  severity: "error",
  message,
  span,
});

export const unexpectedCharacters = (text: string, span: Span): Diagnostic =>
  error("E101", `unexpected character${text.length > 1 ? "s" : ""} ${quote(text)}`, span);

export const syntaxError = (message: string, span: Span): Diagnostic =>
  error("E102", message, span);

export const numberOutOfRange = (text: string, span: Span): Diagnostic =>
  error("E103", `number '${text}' is too large to represent`, span);

/** `what` names a definition that is too deep with the functions it calls inlined. */
export const nestedTooDeeply = (limit: number, span: Span, what?: string): Diagnostic =>
  error(
    "E104",
    what === undefined
      ? `expression is nested too deeply (the limit is ${limit} levels)`
      : `${what} is nested too deeply with the functions it calls (the limit is ${limit} levels)`,
    span,
  );

export const notText = (span: Span): Diagnostic =>
  error("E105", "this is not a text file (invalid UTF-8 or a NUL byte here)", span);

/** A file past a size limit (limits.ts): `what` says which, `limit` how far it may go. */
export const tooLarge = (what: string, limit: string, span: Span): Diagnostic =>
  error("E106", `${what} (the limit is ${limit})`, span);

function quote(text: string): string {
  const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
  return `'${shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}'`;
}
