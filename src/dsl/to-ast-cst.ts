// Reading Chevrotain's CST for the to-ast visitor (to-ast.ts, to-ast-expr.ts), the only readers:
// spans of tokens and rules, and the one child a rule must have. A missing one is an internal
// error, since the visitor runs only on a CST without syntax errors.
import type { CstNode, IToken } from "chevrotain";
import { type Span, cover } from "../diagnostics.js";
import type * as A from "./ast.js";

type Children = Record<string, (IToken | CstNode)[] | undefined>;

export function tokenSpan(t: IToken): Span {
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

function isToken(x: IToken | CstNode): x is IToken {
  return "image" in x;
}

function elementSpan(x: IToken | CstNode): Span {
  if (isToken(x)) return tokenSpan(x);
  const loc = x.location;
  if (!loc) throw new Error(`internal: CST node '${x.name}' has no location`);
  return { start: loc.startOffset, end: (loc.endOffset ?? loc.startOffset) + 1 };
}

/** The span of everything a rule matched, from its children. */
export function spanOf(children: Children): Span {
  let result: Span | null = null;
  for (const list of Object.values(children)) {
    for (const child of list ?? []) {
      const s = elementSpan(child);
      result = result ? cover(result, s) : s;
    }
  }
  if (!result) throw new Error("internal: empty CST node");
  return result;
}

export function one<T>(list: readonly T[] | undefined): T {
  return nth(list, 0);
}

/** The i-th child of a list a rule must have (an index, not a slice: long lists stay linear). */
export function nth<T>(list: readonly T[] | undefined, i: number): T {
  const child = list?.[i];
  if (child === undefined) throw new Error("internal: missing CST child");
  return child;
}

export function ident(t: IToken): A.Ident {
  return { name: t.image, span: tokenSpan(t) };
}
