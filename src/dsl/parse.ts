// The single boundary where Chevrotain's lexing and parsing errors become Diagnostics. After a
// syntax error the parse resumes at the next plausible declaration, so one run reports them all.
import type { IToken, TokenType } from "chevrotain";
import {
  type Diagnostic,
  DiagnosticBag,
  LineMap,
  type SourceText,
  type Span,
} from "../diagnostics.js";
import type { ActivationSpec, CellFile, Decl } from "./ast.js";
import { exprDepthExceeds, firstTooDeep } from "./depth.js";
import type { ActivationSpecCstNode, CellFileCstNode } from "./cst.js";
import { nestedTooDeeply, notText, syntaxError, tooLarge, unexpectedCharacters } from "./errors.js";
import { MAX_EXPR_DEPTH, MAX_NESTING, MAX_SOURCE_LENGTH } from "./limits.js";
import { cellParser } from "./parser.js";
import { findTooDeep, findTooLarge, startsDeclaration, startsLine } from "./token-checks.js";
import * as T from "./tokens.js";
import { toActivationSpec, toAst } from "./to-ast.js";

const MAX_REPORTED = 50;

export interface ParseResult {
  readonly file: CellFile | null;
  readonly diagnostics: readonly Diagnostic[];
}

export function parseCell(text: string): ParseResult {
  if (text.length > MAX_SOURCE_LENGTH) {
    const past = { start: MAX_SOURCE_LENGTH, end: MAX_SOURCE_LENGTH + 1 };
    const limit = `${MAX_SOURCE_LENGTH} characters`;
    return { file: null, diagnostics: [tooLarge("the file is too large", limit, past)] };
  }
  // A binary file would otherwise produce a wall of lexical errors; one clear diagnostic is better.
  const binary = text.search(/[\u0000\ufffd]/);
  if (binary >= 0)
    return { file: null, diagnostics: [notText({ start: binary, end: binary + 1 })] };
  const lexed = lex(text);
  const bag = new DiagnosticBag();
  bag.addAll(lexed.diagnostics);
  const refused = findTooDeep(lexed.tokens) ?? findTooLarge(lexed.tokens);
  if (refused) return { file: null, diagnostics: [...bag.all, refused] };

  const decls: Decl[] = [];
  let tokens = lexed.tokens;
  const muted = new Muted(lexed, text);
  while (tokens.length > 0 && bag.size < MAX_REPORTED) {
    cellParser.input = tokens;
    // Without recovery, a failed parse returns no tree at all.
    const cst = guardStack(() => cellParser.cellFile(), text) as
      CellFileCstNode | Diagnostic | undefined;
    if (cst && "code" in cst) return { file: null, diagnostics: [...bag.all, cst] };
    // Without in-rule recovery the parse stops at the first error; the loop resumes at the next
    // line that starts a declaration, so each broken statement is reported once, with no cascade.
    const error = cellParser.errors[0];
    if (error && muted.admits(error.token)) {
      const message = missingOperator(tokens, error.token) ?? error.message;
      bag.add(syntaxError(message, tokenSpan(error.token, text)));
    }
    if (!bag.hasErrors && cst) {
      const ast = toAst(cst, text.length);
      decls.push(...ast.file.decls);
      bag.addAll(ast.diagnostics);
    }
    tokens = error ? resumeAt(tokens, error.token) : [];
  }
  if (bag.hasErrors) return { file: null, diagnostics: bag.all };
  const file: CellFile = { decls, span: { start: 0, end: text.length } };
  const tooDeep = exprDepthExceeds(file, MAX_EXPR_DEPTH);
  if (tooDeep) return { file: null, diagnostics: [nestedTooDeeply(MAX_EXPR_DEPTH, tooDeep)] };
  return { file, diagnostics: bag.all };
}

/** Parses an activation binding such as `hard_sigmoid(0.25, 0.5)` given on the command line. */
export function parseActivationSpec(source: SourceText): {
  spec: ActivationSpec | null;
  diagnostics: readonly Diagnostic[];
} {
  const lexed = lex(source.text);
  // Arguments are expressions: the file's limits on nesting and size hold here too.
  const refused = findTooDeep(lexed.tokens) ?? findTooLarge(lexed.tokens);
  if (refused) return { spec: null, diagnostics: [{ ...refused, source }] };
  cellParser.input = lexed.tokens;
  const cst = cellParser.activationSpec() as ActivationSpecCstNode | undefined;
  const syntax = cellParser.errors.slice(0, 1).map((e) => {
    const found = e.token.tokenType.name === "EOF" ? "the end of the text" : `'${e.token.image}'`;
    const message =
      e.name === "NotAllInputParsedException"
        ? `expected ${cst?.children.LParen ? "" : "'(' or "}the end of the text, found ${found}`
        : e.message.replace("the end of the file", "the end of the text");
    return syntaxError(message, tokenSpan(e.token, source.text));
  });
  const diagnostics = [...lexed.diagnostics, ...syntax].map((d) => ({ ...d, source }));
  if (diagnostics.length > 0 || !cst) return { spec: null, diagnostics };
  const built = toActivationSpec(cst);
  const tooDeep = firstTooDeep(built.spec.args, MAX_EXPR_DEPTH);
  if (tooDeep) {
    return { spec: null, diagnostics: [{ ...nestedTooDeeply(MAX_EXPR_DEPTH, tooDeep), source }] };
  }
  return { spec: built.spec, diagnostics: built.diagnostics.map((d) => ({ ...d, source })) };
}

/**
 * `W x` or `h h`: an operand right after a complete expression on the same line is a missing
 * operator (a new declaration would start a new line).
 */
function missingOperator(tokens: readonly IToken[], at: IToken): string | null {
  const i = tokens.indexOf(at);
  const previous = tokens[i - 1];
  if (i <= 0 || !previous || previous.endLine !== at.startLine) return null;
  const isName = at.tokenType === T.Identifier || T.KEYWORD_TOKENS.has(at.tokenType);
  const operand = isName || at.tokenType === T.NumberLiteral || at.tokenType === T.LParen;
  const ends = [T.Identifier, T.NumberLiteral, T.RParen, T.Prime].includes(previous.tokenType);
  if (!operand || !(ends || T.KEYWORD_TOKENS.has(previous.tokenType))) return null;
  if (startsDeclaration(tokens, i))
    return `'${at.image}' starts a declaration, which must begin a new line`;
  return `expected an operator between '${previous.image}' and '${at.image}'`;
}

interface Lexed {
  readonly tokens: IToken[];
  readonly diagnostics: Diagnostic[];
}

function lex(text: string): Lexed {
  const result = T.cellLexer.tokenize(text);
  const diagnostics = result.errors.slice(0, MAX_REPORTED).map((e) => {
    const s = { start: e.offset, end: e.offset + e.length };
    return unexpectedCharacters(text.slice(s.start, s.end), s);
  });
  return { tokens: result.tokens, diagnostics };
}

/**
 * Keeps cascades out of the report: no syntax error on a line with a bad character, or on the
 * token right after one, which the lexical error already explains.
 */
class Muted {
  private readonly offsets = new Set<number>();
  private readonly lines = new Set<number>();

  constructor(lexed: Lexed, text: string) {
    const map = new LineMap(text);
    for (const d of lexed.diagnostics) {
      this.lines.add(map.position(d.span!.start).line);
      const next = lexed.tokens.find((t) => t.startOffset >= d.span!.end);
      if (next) this.offsets.add(next.startOffset);
    }
  }

  admits(t: IToken): boolean {
    const line = Number.isNaN(t.startOffset) ? -1 : (t.startLine ?? -1);
    return !this.offsets.has(t.startOffset) && !this.lines.has(line);
  }
}

function tokenSpan(t: IToken, text: string): Span {
  if (Number.isNaN(t.startOffset) || t.tokenType.name === "EOF") {
    return { start: text.length, end: text.length };
  }
  return { start: t.startOffset, end: (t.endOffset ?? t.startOffset) + 1 };
}

// A last guard: should some input still exhaust the stack, it becomes a diagnostic, not a crash.
function guardStack<R>(run: () => R, text: string): R | Diagnostic {
  try {
    return run();
  } catch (e) {
    if (e instanceof RangeError) {
      return nestedTooDeeply(MAX_NESTING, { start: 0, end: Math.min(1, text.length) });
    }
    throw e;
  }
}

/**
 * The tokens from the first declaration at or after `stop` that begins a line, or none.
 * Requiring the start of a line keeps the rest of a broken statement from producing a cascade.
 */
function resumeAt(tokens: readonly IToken[], stop: IToken): IToken[] {
  if (stop.tokenType.name === "EOF" || Number.isNaN(stop.startOffset)) return [];
  const at = tokens.findIndex((t) => t.startOffset >= stop.startOffset);
  if (at < 0) return [];
  // The failing token may itself start the next declaration; if it started this chunk, move on.
  for (let i = at === 0 ? 1 : at; i < tokens.length; i++) {
    if (startsLine(tokens, i) && startsDeclaration(tokens, i)) return tokens.slice(i);
  }
  return [];
}
