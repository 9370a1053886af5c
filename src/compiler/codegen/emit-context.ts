// What every part of the kernel emitter shares: the scheduled IR, where values live, names,
// helpers, the TypeScript annotations to add (none for JavaScript), and the source to cite.
import { LineMap, type SourceText } from "../../diagnostics.js";
import type { CellIR, Node } from "../ir/ir.js";
import type { HelperManager } from "./helpers.js";
import type { Home, Layout } from "./layout.js";
import { commentText } from "./literals.js";
import type { NameManager } from "./names.js";
import type { Schedule } from "./schedule.js";
import { isZero, sizeJs } from "./size-js.js";
import type { TsSyntax } from "./ts-syntax.js";
import type { CodeWriter } from "./writer.js";

export interface EmitContext {
  readonly ir: CellIR;
  readonly sched: Schedule;
  readonly layout: Layout;
  readonly names: NameManager;
  readonly helpers: HelperManager;
  readonly ts: TsSyntax;
  readonly source: SourceText;
  readonly lines: LineMap;
}

/** `a[i]`, with the non-null assertion strict TypeScript wants on typed-array reads. */
export function read(ctx: EmitContext, array: string, index: string): string {
  return `${array}[${index}]${ctx.ts.bang}`;
}

/** `base + offset + index`, leaving out what is zero. */
export function indexExpr(
  ctx: EmitContext,
  base: string | null,
  home: Home,
  index: string,
): string {
  if (home.kind !== "array") throw new Error("internal: indexing a scalar");
  // A per-row scalar has one element per row, whatever unit reads it.
  const element = home.rowScalar ? null : index;
  const offset = isZero(home.offset) ? null : sizeJs(home.offset, ctx.layout.sizes);
  const parts = [base, offset, element];
  return parts.filter((p) => p !== null).join(" + ") || "0";
}

/**
 * The name a module gives its source: the file's own name, never the path it was compiled from
 * (a module must not depend on, or reveal, the folders of the machine that made it).
 */
export function sourceFileName(source: SourceText): string {
  return commentText(source.name.split(/[\\/]/).pop() ?? source.name);
}

/** `// lstm.cell:26  c' = f * c + i * g` for every source line the nodes came from, in order. */
export function sourceComments(ctx: EmitContext, w: CodeWriter, nodes: readonly Node[]): void {
  const lines = new Set<number>();
  for (const n of nodes) if (n.span) lines.add(ctx.lines.position(n.span.start).line);
  const file = sourceFileName(ctx.source);
  for (const line of [...lines].sort((a, b) => a - b)) {
    w.comment(`${file}:${line}  ${commentText(ctx.lines.lineText(line))}`);
  }
}
