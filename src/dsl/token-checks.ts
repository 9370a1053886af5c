// Checks on the token stream, before parsing: where declarations start, and the limits that must
// hold before the recursive-descent parser runs (nesting) or is worth running (size). Linear, with
// no recursion, whatever the tokens.
import type { IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics.js";
import { nestedTooDeeply, tooLarge } from "./errors.js";
import { MAX_DECLARATIONS, MAX_NESTING, MAX_TOKENS } from "./limits.js";
import * as T from "./tokens.js";

/** Whether a declaration starts at token i: a keyword (not called, not primed), or `x' =`. */
export function startsDeclaration(tokens: readonly IToken[], i: number): boolean {
  const t = tokens[i];
  const next = tokens[i + 1]?.tokenType;
  if (!t) return false;
  if (T.KEYWORD_TOKENS.has(t.tokenType) && next !== T.Prime && next !== T.LParen) return true;
  return next === T.Prime && tokens[i + 2]?.tokenType === T.Equals;
}

/** Whether token i is the first on its line. */
export function startsLine(tokens: readonly IToken[], i: number): boolean {
  return (tokens[i - 1]?.endLine ?? 0) < (tokens[i]?.startLine ?? 0);
}

const at = (t: IToken) => ({ start: t.startOffset, end: t.startOffset + 1 });

// Brackets nest, and so does each `?` until its statement ends (`a ? b : c ? d : e` recurses).
export function findTooDeep(tokens: readonly IToken[]): Diagnostic | null {
  let depth = 0;
  let conditionals = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === T.LParen || t.tokenType === T.LBracket) depth++;
    else if (t.tokenType === T.RParen || t.tokenType === T.RBracket) depth = Math.max(0, depth - 1);
    else if (t.tokenType === T.Question) conditionals++;
    else if (startsDeclaration(tokens, i)) conditionals = 0;
    if (depth + conditionals > MAX_NESTING) return nestedTooDeeply(MAX_NESTING, at(t));
  }
  return null;
}

/** The first token past MAX_TOKENS, or the first declaration past MAX_DECLARATIONS. */
export function findTooLarge(tokens: readonly IToken[]): Diagnostic | null {
  const last = tokens[MAX_TOKENS];
  if (last) return tooLarge("the file is too large", `${MAX_TOKENS} tokens`, at(last));
  let declarations = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (!startsLine(tokens, i) || !startsDeclaration(tokens, i)) continue;
    if (++declarations > MAX_DECLARATIONS) {
      return tooLarge("too many declarations", `${MAX_DECLARATIONS}`, at(tokens[i]!));
    }
  }
  return null;
}
