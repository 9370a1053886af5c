// The compile-time limits, in one place (docs/language.md, "Limits"): far above any real cell, far
// below what would exhaust the stack, the memory or the patience of `cellc check`; each reported
// with a located diagnostic. In dsl/, which the parser and the compiler (dsl -> compiler) both see.

/**
 * Brackets and `?`s open at once (E104): the recursive-descent parser recurses once per level,
 * so this is checked on the tokens, before parsing.
 */
export const MAX_NESTING = 100;

/**
 * Levels of one expression (E104), counted as a tree: unary signs and chains of operators nest
 * too. The resolver applies the same limit with functions inlined, a call counting as deep as the
 * callee's body plus its arguments: a chain of 2,000 functions, each calling the last, is 2,000
 * levels deep. Lets and next values do not count (lowering takes long chains of them in order).
 */
export const MAX_EXPR_DEPTH = 1000;

/** Characters in one file (E106), checked before anything else reads it. */
export const MAX_SOURCE_LENGTH = 1_000_000;

/**
 * Tokens in one file (E106): bounds the work of every later phase, and so the size of any one
 * expression (a `concat` of 25,000 vectors) or list of names.
 */
export const MAX_TOKENS = 50_000;

/** Declarations in one file (E106): a `let`, an equation, a `size` line each count one. */
export const MAX_DECLARATIONS = 5_000;

/** Parts of a `split` and vectors of a `concat` (E223); an LSTM needs 4. */
export const MAX_PARTS = 1024;

/**
 * Operations lowering may take (E301): each number, name, operator and call it meets counts one,
 * and a function's body counts again at every call with new arguments. A cell within MAX_TOKENS
 * and without calls stays within it; functions that each call the last with two different
 * arguments would otherwise take time and memory exponential in their number.
 */
export const MAX_OPERATIONS = 50_000;
