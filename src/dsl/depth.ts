// Measures expression depth without recursion, so that a pathological file is rejected before any
// recursive walk (lowering, printing) could exhaust the stack.
import type { Span } from "../diagnostics.js";
import type { CellFile, Expr } from "./ast.js";

function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case "Number":
    case "Name":
      return [];
    case "Call":
      return e.args.map((a) => a.value);
    case "Negate":
      return [e.operand];
    case "Binary":
      return [e.lhs, e.rhs];
    case "Conditional":
      return [e.condition, e.then, e.otherwise];
  }
}

function roots(file: CellFile): Expr[] {
  const out: Expr[] = [];
  for (const d of file.decls) {
    if (d.kind === "Fn") out.push(...d.params.flatMap((p) => p.default ?? []), d.body);
    else if (d.kind === "Let" || d.kind === "Update" || d.kind === "Output") out.push(d.value);
    else if (d.kind === "Slot") out.push(...d.binding.args);
  }
  return out;
}

/** Where the first expression deeper than `limit` starts (its whole statement's value), or null. */
export function exprDepthExceeds(file: CellFile, limit: number): Span | null {
  return firstTooDeep(roots(file), limit);
}

/** Where the first of `roots` deeper than `limit` starts, or null. */
export function firstTooDeep(roots: readonly Expr[], limit: number): Span | null {
  for (const root of roots) {
    const stack: [Expr, number][] = [[root, 1]];
    while (stack.length > 0) {
      const [e, depth] = stack.pop()!;
      if (depth > limit) return { start: root.span.start, end: root.span.start + 1 };
      for (const c of children(e)) stack.push([c, depth + 1]);
    }
  }
  return null;
}
