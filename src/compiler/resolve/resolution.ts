// What name resolution learns about a file, keyed by AST node identity: lowering reads these
// tables instead of looking names up again.
import type { SourceText, Span } from "../../diagnostics.js";
import type { DeclOf, Expr, ExprOf } from "../../dsl/ast.js";
import type { Shape } from "../../shared/size.js";
import type { Primitive } from "./builtins.js";

export type Symbol =
  | { readonly kind: "size"; readonly name: string; readonly span: Span }
  | { readonly kind: "input"; readonly decl: DeclOf<"Input"> }
  | { readonly kind: "state"; readonly decl: DeclOf<"State"> }
  | { readonly kind: "param"; readonly decl: DeclOf<"Param"> }
  | { readonly kind: "let"; readonly decl: DeclOf<"Let">; readonly index: number }
  | { readonly kind: "slot"; readonly decl: DeclOf<"Slot"> }
  | { readonly kind: "fn"; readonly decl: DeclOf<"Fn"> }
  | { readonly kind: "primitive"; readonly name: string; readonly prim: Primitive };

export type ValueRef =
  | { readonly kind: "input" | "param" | "state"; readonly name: string }
  /** A primed state: this step's new value. */
  | { readonly kind: "next"; readonly name: string }
  | { readonly kind: "let"; readonly decl: DeclOf<"Let">; readonly index: number }
  | { readonly kind: "fnParam"; readonly index: number }
  /** A value a function's `where` names, computed once per call. */
  | { readonly kind: "local"; readonly decl: DeclOf<"Let">; readonly index: number }
  /** A size used as a number: `sum(v) / H`. */
  | { readonly kind: "size"; readonly name: string };

export type Callee =
  | { readonly kind: "fn"; readonly decl: DeclOf<"Fn"> }
  | { readonly kind: "primitive"; readonly prim: Primitive }
  | { readonly kind: "slot"; readonly name: string };

/** An argument as the callee sees it: an expression from the call, or a parameter's default. */
export type BoundArg = { readonly expr: Expr } | { readonly value: number };

export interface CallRef {
  readonly callee: Callee;
  readonly args: readonly BoundArg[];
}

/** What a slot is bound to: a function (never another slot) and the values of its extra parameters. */
export interface SlotTarget {
  readonly slot: string;
  readonly activation: string;
  readonly callee: Exclude<Callee, { kind: "slot" }>;
  readonly extra: readonly number[];
  /** The binding's text: in the file (`slot gate = zero`), or in an override's own source. */
  readonly binding: { readonly span: Span; readonly source?: SourceText };
}

export interface Resolution {
  readonly cellName: string;
  readonly sizes: readonly string[];
  readonly input: DeclOf<"Input">;
  readonly states: readonly DeclOf<"State">[];
  readonly params: readonly DeclOf<"Param">[];
  readonly shapes: ReadonlyMap<string, Shape>;
  readonly lets: readonly DeclOf<"Let">[];
  readonly updates: ReadonlyMap<string, DeclOf<"Update">>;
  readonly output: DeclOf<"Output">;
  readonly slots: ReadonlyMap<string, SlotTarget>;
  readonly values: ReadonlyMap<ExprOf<"Name">, ValueRef>;
  readonly calls: ReadonlyMap<ExprOf<"Call">, CallRef>;
  /**
   * Lets and next values to lower first, in dependency order: empty unless following them on
   * demand, where used, would nest too deeply (a long chain of lets).
   */
  readonly eager: readonly (DeclOf<"Let"> | DeclOf<"Update">)[];
  /** Each function's `where` values in dependency order: lowering computes them in this order. */
  readonly locals: ReadonlyMap<DeclOf<"Fn">, readonly DeclOf<"Let">[]>;
}

export function describeSymbol(s: Symbol): string {
  switch (s.kind) {
    case "size":
      return "a size";
    case "input":
      return "the input";
    case "state":
      return "a state";
    case "param":
      return "a weight parameter";
    case "let":
      return "a value from 'let'";
    case "slot":
      return "an activation slot";
    case "fn":
      return "a function";
    case "primitive":
      return "a built-in function";
  }
}

export function symbolSpan(s: Symbol): Span | null {
  switch (s.kind) {
    case "size":
      return s.span;
    case "let":
      return s.decl.names[s.index]?.span ?? s.decl.span;
    case "primitive":
      return null;
    default:
      return s.decl.name.span;
  }
}
