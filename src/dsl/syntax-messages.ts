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

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    if (expected.name === "EOF")
      return `expected ${DECLARATION_HINT}, found ${describeToken(actual)}`;
    return `expected ${describeTokenType(expected)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `expected ${DECLARATION_HINT}, found ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const found = describeToken(actual[0] ?? actual[actual.length - 1]!);
    if (ruleName === "declaration") return `expected ${DECLARATION_HINT}, found ${found}`;
    if (ruleName === "primary" || ruleName === "sizeAtom") {
      return `expected an expression, found ${found}`;
    }
    return `expected ${oneOf(firstTokens(expectedPathsPerAlt))}, found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual }) {
    const found = describeToken(actual[0]!);
    return `expected ${oneOf(firstTokens([expectedIterationPaths]))}, found ${found}`;
  },
};
