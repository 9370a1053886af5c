// How deep lowering recurses into each definition, found without recursion across definitions:
// a call is as deep as the callee's body (E104 past MAX_EXPR_DEPTH, at the first definition too
// deep); a chain of lets followed on demand too deep is lowered in dependency order instead.
import type { Diagnostic, Span } from "../../diagnostics.js";
import type { DeclOf, Expr, ExprOf } from "../../dsl/ast.js";
import { nestedTooDeeply } from "../../dsl/errors.js";
import { MAX_EXPR_DEPTH } from "../../dsl/limits.js";
import type { Resolution } from "./resolution.js";

/**
 * How deep lowering may follow lets and next values on demand: a level through a let costs it
 * three stack frames, one within an expression one. Past this, it takes them in dependency order.
 */
const MAX_ON_DEMAND = 250;

export type Definition = DeclOf<"Let"> | DeclOf<"Update"> | DeclOf<"Output"> | DeclOf<"Fn">;

/** A let or a next value: what lowering may take ahead of its use. */
export type Eager = DeclOf<"Let"> | DeclOf<"Update">;

type Tables = Pick<Resolution, "values" | "calls" | "slots" | "updates">;

/**
 * `inlined`: levels with functions inlined and every name a leaf (what one definition costs).
 * `onDemand`: the same with lets and next values followed where used, one level per use.
 */
interface Depth {
  readonly inlined: number;
  readonly onDemand: number;
}

const LEAF: Depth = { inlined: 1, onDemand: 1 };

/** What lowering a definition lowers: a function's body and its `where` values, side by side. */
const exprsOf = (d: Definition): readonly Expr[] =>
  d.kind === "Fn" ? [d.body, ...d.locals.map((l) => l.value)] : [d.value];

/** The function a call inlines (itself or through a slot), if any. */
function callee(e: ExprOf<"Call">, t: Tables): DeclOf<"Fn"> | null {
  const ref = t.calls.get(e)?.callee;
  const target = ref?.kind === "slot" ? t.slots.get(ref.name)?.callee : ref;
  return target?.kind === "fn" ? target.decl : null;
}

/** The definition a name stands for, if it is a let or a next value. */
function named(e: ExprOf<"Name">, t: Tables): Eager | null {
  const ref = t.values.get(e);
  if (ref?.kind === "let") return ref.decl;
  if (ref?.kind === "next") return t.updates.get(ref.name) ?? null;
  return null;
}

/** The definitions expressions use directly (walked with a stack). */
function usesOf(roots: readonly Expr[], t: Tables): Definition[] {
  const out: Definition[] = [];
  const stack = [...roots];
  for (let e = stack.pop(); e !== undefined; e = stack.pop()) {
    if (e.kind === "Name") {
      const d = named(e, t);
      if (d) out.push(d);
    } else if (e.kind === "Call") {
      const fn = callee(e, t);
      if (fn) out.push(fn);
      for (const a of e.args) stack.push(a.value);
    } else if (e.kind === "Negate") stack.push(e.operand);
    else if (e.kind === "Binary") stack.push(e.lhs, e.rhs);
    else if (e.kind === "Conditional") stack.push(e.condition, e.then, e.otherwise);
  }
  return out;
}

/** One expression's depth, given its uses' (recursive only within it: parsing bounded that). */
function depthOf(e: Expr, t: Tables, known: (d: Definition) => Depth): Depth {
  const deeper = (parts: readonly Expr[], extra: Depth = LEAF): Depth => {
    const { inlined, onDemand } = deepestOf(parts, t, known);
    return { inlined: extra.inlined + inlined, onDemand: extra.onDemand + onDemand };
  };
  switch (e.kind) {
    case "Number":
      return LEAF;
    case "Name": {
      const d = named(e, t);
      return d ? { inlined: 1, onDemand: 1 + known(d).onDemand } : LEAF;
    }
    case "Negate":
      return deeper([e.operand]);
    case "Binary":
      return deeper([e.lhs, e.rhs]);
    case "Conditional":
      return deeper([e.condition, e.then, e.otherwise]);
    case "Call": {
      // Arguments take the place of parameters somewhere in the body: at worst, at its bottom.
      const fn = callee(e, t);
      return deeper(
        e.args.map((a) => a.value),
        fn ? known(fn) : LEAF,
      );
    }
  }
}

/** The deepest of expressions lowered one after the other (a function's `where` values). */
function deepestOf(exprs: readonly Expr[], t: Tables, known: (d: Definition) => Depth): Depth {
  let inlined = 0;
  let onDemand = 0;
  for (const e of exprs) {
    const d = depthOf(e, t, known);
    inlined = Math.max(inlined, d.inlined);
    onDemand = Math.max(onDemand, d.onDemand);
  }
  return { inlined, onDemand };
}

export interface ChainDepth {
  /** The lets and next values in dependency order, if lowering them on demand nests too deeply. */
  readonly eager: readonly Eager[];
}

/**
 * Computes every definition's depth, its uses first, with an explicit stack; reports E104 at each
 * definition too deep whose uses are not. Run only on a file without errors (no cycles).
 */
export function checkChainDepth(
  definitions: readonly Definition[],
  t: Tables,
  diagnostics: Diagnostic[],
): ChainDepth {
  const depths = new Map<Definition, Depth>();
  const uses = new Map<Definition, Definition[]>();
  const usesOfDef = (d: Definition): Definition[] => {
    let u = uses.get(d);
    if (!u) uses.set(d, (u = usesOf(exprsOf(d), t)));
    return u;
  };
  const known = (d: Definition): Depth => depths.get(d) ?? LEAF;
  const order: Eager[] = [];
  const open = new Set<Definition>();
  for (const root of definitions) {
    const stack = [root];
    while (stack.length > 0) {
      const d = stack[stack.length - 1]!;
      if (depths.has(d)) {
        stack.pop();
        continue;
      }
      if (!open.has(d)) {
        open.add(d);
        const pending = usesOfDef(d).filter((u) => !depths.has(u) && !open.has(u));
        if (pending.length > 0) {
          stack.push(...pending);
          continue;
        }
      }
      depths.set(d, deepestOf(exprsOf(d), t, known));
      if (d.kind === "Let" || d.kind === "Update") order.push(d);
      open.delete(d);
      stack.pop();
    }
  }
  let deepest = 0;
  for (const d of definitions) {
    const { inlined, onDemand } = known(d);
    deepest = Math.max(deepest, onDemand);
    const usesTooDeep = usesOfDef(d).some((u) => known(u).inlined > MAX_EXPR_DEPTH);
    if (inlined > MAX_EXPR_DEPTH && !usesTooDeep) diagnostics.push(tooDeep(d));
  }
  return { eager: deepest > MAX_ON_DEMAND ? order : [] };
}

function tooDeep(d: Definition): Diagnostic {
  const [span, what]: [Span, string] =
    d.kind === "Let"
      ? [d.names[0]!.span, `'${d.names[0]!.name}'`]
      : d.kind === "Update"
        ? [d.name.span, `${d.name.name}'`]
        : d.kind === "Fn"
          ? [d.name.span, `function '${d.name.name}'`]
          : [d.value.span, "the output"];
  return nestedTooDeeply(MAX_EXPR_DEPTH, span, what);
}
