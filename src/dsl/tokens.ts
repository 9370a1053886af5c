// The lexer's tokens. Order matters: keywords precede Identifier (guarded by longer_alt), and
// longer operators precede their prefixes (`<=` before `<`). Keywords are soft: each is also in
// the Identifier category, so `cell` can name a slot and `input` a parameter.
import type { TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { createToken, Lexer } = chevrotain;

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });

/** The soft keywords, spelled once: tokens, their named constants and both sets derive from it. */
const WORDS = [
  "cell",
  "size",
  "input",
  "state",
  "param",
  "slot",
  "fn",
  "let",
  "where",
  "output",
] as const;

/** A keyword token's name is its word capitalised (`cell` -> `Cell`), as cst.d.ts spells it. */
type KeywordName = Capitalize<(typeof WORDS)[number]>;

function keyword(word: string): TokenType {
  const name = word[0]!.toUpperCase() + word.slice(1);
  return createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: Identifier,
  });
}

/** The keyword tokens in the order of WORDS, which is the order the lexer tries them in. */
const keywordTokens: readonly TokenType[] = WORDS.map(keyword);

/** Declaration keywords: soft, so `cell` can name a slot, but only callables may use them. */
export const KEYWORDS: ReadonlySet<string> = new Set(WORDS);
export const KEYWORD_TOKENS: ReadonlySet<TokenType> = new Set(keywordTokens);

// The parser names these. fromEntries loses the key type, but `keyword` made one token per word;
// a name that is not a capitalised word of WORDS fails to type-check here.
const byName = Object.fromEntries(keywordTokens.map((t) => [t.name, t]));
export const { Cell, Size, Input, State, Param, Slot, Fn, Let, Where, Output } = byName as Record<
  KeywordName,
  TokenType
>;

// Digits with an optional fraction and exponent; a leading sign is unary minus, not part of it.
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/,
});

export const AddOp = createToken({ name: "AddOp", pattern: Lexer.NA });
export const Plus = createToken({ name: "Plus", pattern: /\+/, categories: AddOp });
export const Minus = createToken({ name: "Minus", pattern: /-/, categories: AddOp });

export const MulOp = createToken({ name: "MulOp", pattern: Lexer.NA });
export const Star = createToken({ name: "Star", pattern: /\*/, categories: MulOp });
export const Slash = createToken({ name: "Slash", pattern: /\//, categories: MulOp });
export const At = createToken({ name: "At", pattern: /@/, categories: MulOp });

export const CompareOp = createToken({ name: "CompareOp", pattern: Lexer.NA });
export const LessEqual = createToken({ name: "LessEqual", pattern: /<=/, categories: CompareOp });
export const GreaterEqual = createToken({
  name: "GreaterEqual",
  pattern: />=/,
  categories: CompareOp,
});
export const EqualEqual = createToken({ name: "EqualEqual", pattern: /==/, categories: CompareOp });
export const NotEqual = createToken({ name: "NotEqual", pattern: /!=/, categories: CompareOp });
export const Less = createToken({ name: "Less", pattern: /</, categories: CompareOp });
export const Greater = createToken({ name: "Greater", pattern: />/, categories: CompareOp });

export const Equals = createToken({ name: "Equals", pattern: /=/ });
export const Prime = createToken({ name: "Prime", pattern: /'/ });
export const Question = createToken({ name: "Question", pattern: /\?/ });
export const Colon = createToken({ name: "Colon", pattern: /:/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /]/ });

export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: Lexer.SKIPPED });
export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n]+/,
  group: Lexer.SKIPPED,
});

export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  Comment,
  ...keywordTokens,
  Identifier,
  NumberLiteral,
  AddOp,
  Plus,
  Minus,
  MulOp,
  Star,
  Slash,
  At,
  CompareOp,
  LessEqual,
  GreaterEqual,
  EqualEqual,
  NotEqual,
  Less,
  Greater,
  Equals,
  Prime,
  Question,
  Colon,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
];

export const cellLexer = new Lexer([...allTokens], {
  ensureOptimizations: true,
  positionTracking: "full",
});
