// What every part of the kernel emitter shares: the scheduled IR, where values live, names,
// helpers, and whether to add TypeScript annotations.
import { LineMap, type SourceText } from "../../diagnostics.js";
import type { CellIR, Node } from "../ir/ir.js";
import type { HelperManager } from "./helpers.js";
import type { Home, Layout } from "./layout.js";
import { commentText } from "./literals.js";
import type { NameManager } from "./names.js";
import type { Schedule } from "./schedule.js";
import { isZero, sizeJs } from "./size-js.js";
import type { CodeWriter } from "./writer.js";

export interface EmitContext {
  readonly ir: CellIR;
  readonly sched: Schedule;
  readonly layout: Layout;
  readonly names: NameManager;
  readonly helpers: HelperManager;
  readonly typed: boolean;
  readonly source: SourceText;
}

/** `a[i]`, with the non-null assertion strict TypeScript wants on typed-array reads. */
export function read(ctx: EmitContext, array: string, index: string): string {
  return `${array}[${index}]${ctx.typed ? "!" : ""}`;
}

/** `base + offset + index`, leaving out what is zero. */
export function indexExpr(
  ctx: EmitContext,
  base: string | null,
  home: Home,
  index: string,
): string {
  if (home.kind !== "array") throw new Error("internal: indexing a scalar");
  const parts = [base, isZero(home.offset) ? null : sizeJs(home.offset, ctx.layout.sizes), index];
  return parts.filter((p) => p !== null).join(" + ");
}

/** `// cells/lstm.cell:21  let i = gate(zi)` for each source line the nodes came from. */
export function sourceComments(ctx: EmitContext, w: CodeWriter, nodes: readonly Node[]): void {
  const map = new LineMap(ctx.source.text);
  const lines = new Set<number>();
  for (const n of nodes) if (n.span) lines.add(map.position(n.span.start).line);
  const sorted = [...lines].sort((a, b) => a - b);
  for (const line of sorted.slice(0, 4)) {
    w.comment(`${commentText(ctx.source.name)}:${line}  ${commentText(map.lineText(line))}`);
  }
  if (sorted.length > 4) w.comment(`... and ${sorted.length - 4} more source lines`);
}
