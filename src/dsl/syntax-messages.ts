// Chevrotain's default messages name token types ("--> RParen <--"); these say what a reader of
// the `.cell` file would call them: "expected ')', found 'let'".
import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  Identifier: "a name",
  NumberLiteral: "a number",
  AddOp: "'+' or '-'",
  MulOp: "'*', '/' or '@'",
  CompareOp: "a comparison",
  Plus: "'+'",
  Minus: "'-'",
  Star: "'*'",
  Slash: "'/'",
  At: "'@'",
  LessEqual: "'<='",
  GreaterEqual: "'>='",
  EqualEqual: "'=='",
  NotEqual: "'!='",
  Less: "'<'",
  Greater: "'>'",
  Equals: "'='",
  Prime: "a prime (')",
  Question: "'?'",
  Colon: "':'",
  Comma: "','",
  LParen: "'('",
  RParen: "')'",
  LBracket: "'['",
  RBracket: "']'",
  EOF: "the end of the file",
};

export function describeTokenType(t: TokenType): string {
  return DESCRIPTIONS[t.name] ?? `'${t.name.toLowerCase()}'`;
}

export function describeToken(t: IToken): string {
  if (t.tokenType.name === "EOF") return "the end of the file";
  const image = t.image.length > 20 ? `${t.image.slice(0, 20)}…` : t.image;
  return `'${image}'`;
}

/** Lists alternatives as "a, b or c", without repeats, in the grammar's order. */
function oneOf(descriptions: readonly string[]): string {
  const unique = [...new Set(descriptions)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

const DECLARATION_HINT =
  "a declaration (cell, size, input, state, param, slot, fn, let, output, or NAME' = ...)";

function firstTokens(paths: readonly (readonly (readonly TokenType[])[])[]): string[] {
  const out: string[] = [];
  for (const alt of paths)
    for (const path of alt) if (path[0]) out.push(describeTokenType(path[0]));
  return out;
}

const LIST_RULES: ReadonlySet<string> = new Set([
  "shape",
  "fnDecl",
  "activationSpec",
  "nameOrCall",
]);

const WHERE_OUTSIDE_FN =
  "'where' names values inside a function: fn NAME(...) = EXPR where NAME = EXPR; at file level, use let";

const CHAINED_COMPARISON =
  "comparisons do not chain: combine them with parentheses, as in (a < b) * (b < c)";

const isCategory = (t: IToken, category: string): boolean =>
  t.tokenType.CATEGORIES?.some((c) => c.name === category) ?? false;

/** What the statement level says when the next token cannot start a declaration. */
function notADeclaration(t: IToken): string {
  if (isCategory(t, "CompareOp")) return CHAINED_COMPARISON;
  return `expected ${DECLARATION_HINT}, found ${describeToken(t)}`;
}

/** `let = 3`: a declaration keyword followed by something other than its name. */
function badDeclarationStart(keyword: IToken, next: IToken): string {
  const what = keyword.image === "output" ? "an expression" : "a name";
  return `'${keyword.image}' must be followed by ${what}, found ${describeToken(next)}`;
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, ruleName }) {
    if (expected.name === "EOF") return notADeclaration(actual);
    // Inside a comma-separated list, a missing comma is as likely as a missing bracket.
    const closesList =
      LIST_RULES.has(ruleName) && (expected.name === "RParen" || expected.name === "RBracket");
    if (closesList)
      return `expected ',' or ${describeTokenType(expected)}, found ${describeToken(actual)}`;
    return `expected ${describeTokenType(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return notADeclaration(firstRedundant);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const first = actual[0] ?? actual[actual.length - 1]!;
    const found = describeToken(first);
    if (ruleName === "declaration") {
      if (first.tokenType.name === "Where") return WHERE_OUTSIDE_FN;
      const second = actual[1];
      if (isCategory(first, "Identifier") && second) return badDeclarationStart(first, second);
      return notADeclaration(first);
    }
    if (ruleName === "primary" || ruleName === "sizeAtom") {
      // A bare keyword here is usually the next declaration after a dangling operator.
      const keyword = isCategory(first, "Identifier") ? "the keyword " : "";
      return `expected ${ruleName === "primary" ? "an expression" : "a size"}, found ${keyword}${found}`;
    }
    return `expected ${oneOf(firstTokens(expectedPathsPerAlt))}, found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const found = describeToken(actual[0]!);
    return `expected ${oneOf(firstTokens([expectedIterationPaths]))}, found ${found}`;
  },
};
