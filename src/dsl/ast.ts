// The syntax tree of one `.cell` file: discriminated unions on `kind`, a span on every node.
// Parentheses are not kept; `print.ts` puts back the ones precedence needs.
import type { Span } from "../diagnostics.js";

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

// ----------------- size expressions (in shapes) -----------------

export type SizeExpr =
  | { readonly kind: "SizeNumber"; readonly value: number; readonly span: Span }
  | { readonly kind: "SizeName"; readonly name: string; readonly span: Span }
  | {
      readonly kind: "SizeBinary";
      readonly op: "+" | "-" | "*";
      readonly lhs: SizeExpr;
      readonly rhs: SizeExpr;
      readonly span: Span;
    };

export interface ShapeExpr {
  readonly dims: readonly SizeExpr[];
  readonly span: Span;
}

// ----------------- expressions -----------------

export type BinaryOperator = "+" | "-" | "*" | "/" | "@" | "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Argument {
  readonly name: Ident | null;
  readonly value: Expr;
}

export type Expr =
  | { readonly kind: "Number"; readonly value: number; readonly span: Span }
  | { readonly kind: "Name"; readonly name: string; readonly primed: boolean; readonly span: Span }
  | {
      readonly kind: "Call";
      readonly callee: Ident;
      readonly args: readonly Argument[];
      readonly span: Span;
    }
  | { readonly kind: "Negate"; readonly operand: Expr; readonly span: Span }
  | {
      readonly kind: "Binary";
      readonly op: BinaryOperator;
      readonly lhs: Expr;
      readonly rhs: Expr;
      readonly span: Span;
    }
  | {
      readonly kind: "Conditional";
      readonly condition: Expr;
      readonly then: Expr;
      readonly otherwise: Expr;
      readonly span: Span;
    };

export type ExprKind = Expr["kind"];
export type ExprOf<K extends ExprKind> = Extract<Expr, { kind: K }>;

// ----------------- declarations -----------------

export interface NumberArg {
  readonly value: number;
  readonly span: Span;
}

/**
 * `hard_sigmoid(1/4, 0.5)`: an activation with its extra parameters, positionally; each must be a
 * constant expression (resolve checks).
 */
export interface ActivationSpec {
  readonly name: Ident;
  readonly args: readonly Expr[];
  readonly span: Span;
}

/** `alpha = 1/4`: a default must be a constant expression (resolve checks). */
export interface FnParam {
  readonly name: Ident;
  readonly default: Expr | null;
}

/** `let a, b = split(z, 2)` at file level, or `a, b = split(z, 2)` after a function's `where`. */
export interface LetDecl {
  readonly kind: "Let";
  readonly names: readonly Ident[];
  readonly value: Expr;
  readonly span: Span;
}

export type Decl =
  | { readonly kind: "Cell"; readonly name: Ident; readonly span: Span }
  | { readonly kind: "Size"; readonly names: readonly Ident[]; readonly span: Span }
  | { readonly kind: "Input"; readonly name: Ident; readonly shape: ShapeExpr; readonly span: Span }
  | { readonly kind: "State"; readonly name: Ident; readonly shape: ShapeExpr; readonly span: Span }
  | {
      readonly kind: "Param";
      readonly name: Ident;
      readonly shape: ShapeExpr;
      readonly default: NumberArg | null;
      readonly span: Span;
    }
  | {
      readonly kind: "Slot";
      readonly name: Ident;
      readonly binding: ActivationSpec;
      readonly span: Span;
    }
  | {
      readonly kind: "Fn";
      readonly name: Ident;
      readonly params: readonly FnParam[];
      readonly body: Expr;
      /** The values the body names after `where`, each as a let of the function's own. */
      readonly locals: readonly LetDecl[];
      readonly span: Span;
    }
  | LetDecl
  | { readonly kind: "Update"; readonly name: Ident; readonly value: Expr; readonly span: Span }
  | { readonly kind: "Output"; readonly value: Expr; readonly span: Span };

export type DeclKind = Decl["kind"];
export type DeclOf<K extends DeclKind> = Extract<Decl, { kind: K }>;

export interface CellFile {
  readonly decls: readonly Decl[];
  readonly span: Span;
}

export function unreachable(x: never): never {
  throw new Error(`internal: unhandled ${JSON.stringify(x)}`);
}
