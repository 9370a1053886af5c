// Row blocks over symbolic sizes, for the passes that cut vectors and matrices by rows: ordering
// sizes (for every non-negative value of the size variables), merging blocks into sorted disjoint
// runs, locating a block inside runs laid end to end, and stacking row blocks of matrices.
import type { Span } from "../../diagnostics.js";
import { type Size, addSizes, sizeConst, sizeEquals, subSizes } from "../../shared/size.js";
import type { IRBuilder } from "../ir/builder.js";
import type { ValueId } from "../ir/ir.js";

/** Rows [start, start + len). */
export interface Block {
  readonly start: Size;
  readonly len: Size;
}

export const blockEnd = (b: Block): Size => addSizes(b.start, b.len);

/** Whether a <= b whatever the sizes are (sizes are never negative): no coefficient of b - a is. */
export function sizeAtMost(a: Size, b: Size): boolean {
  const d = subSizes(b, a);
  return d.constant >= 0 && d.terms.every((t) => t.coeff >= 0);
}

const isZeroSize = (s: Size): boolean => sizeEquals(s, sizeConst(0));

/** Whether `blocks` are exactly rows [0, length). */
export function coversAll(blocks: readonly Block[], length: Size): boolean {
  return blocks.length === 1 && isZeroSize(blocks[0]!.start) && sizeEquals(blocks[0]!.len, length);
}

/**
 * The rows of `blocks` as sorted, disjoint, non-adjacent runs; null when two of the sizes
 * involved cannot be ordered symbolically (`H` and `I`), as the union then has no fixed shape.
 */
export function mergeBlocks(blocks: readonly Block[]): Block[] | null {
  const starts = blocks.map((b) => b.start);
  for (const a of starts)
    for (const b of starts) if (!sizeAtMost(a, b) && !sizeAtMost(b, a)) return null;
  const sorted = [...blocks].sort((a, b) =>
    sizeEquals(a.start, b.start) ? 0 : sizeAtMost(a.start, b.start) ? -1 : 1,
  );
  const runs: Block[] = [];
  for (const b of sorted) {
    const last = runs[runs.length - 1];
    if (last === undefined || !sizeAtMost(b.start, blockEnd(last))) {
      // Disjoint from the last run only if it provably starts after it ends.
      if (last !== undefined && !sizeAtMost(blockEnd(last), b.start)) return null;
      runs.push(b);
      continue;
    }
    // Overlapping or adjacent: the run grows to the later of the two ends.
    const [e1, e2] = [blockEnd(last), blockEnd(b)];
    if (!sizeAtMost(e1, e2) && !sizeAtMost(e2, e1)) return null;
    const end = sizeAtMost(e1, e2) ? e2 : e1;
    runs[runs.length - 1] = { start: last.start, len: subSizes(end, last.start) };
  }
  return runs;
}

/** Where block `b`, which lies inside one of `runs`, starts once the runs are laid end to end. */
export function positionIn(runs: readonly Block[], b: Block): Size | null {
  let before = sizeConst(0);
  for (const run of runs) {
    if (sizeAtMost(run.start, b.start) && sizeAtMost(blockEnd(b), blockEnd(run)))
      return addSizes(before, subSizes(b.start, run.start));
    before = addSizes(before, run.len);
  }
  return null;
}

/** Rows `block` of matrix `w`, as a node: W[0 +: all] -> W, W[a +: l][s +: m] -> W[a + s +: m]. */
export function rowBlock(b: IRBuilder, w: ValueId, block: Block, span: Span | null): ValueId {
  const n = b.node(w);
  if (isZeroSize(block.start) && sizeEquals(block.len, n.shape[0]!)) return w;
  if (n.op === "rows") {
    const start = addSizes(n.start, block.start);
    return rowBlock(b, n.args[0], { start, len: block.len }, span);
  }
  return b.emit("rows", [w], block, span);
}

/**
 * Matrices stacked by rows, in order, with consecutive row blocks of one matrix fused:
 * [W[a +: l]; W[a + l +: m]] -> W[a +: l + m] (so [W[0 +: H]; W[H +: 2*H]] of a [3*H, H] W is W).
 */
export function stackRows(b: IRBuilder, matrices: readonly ValueId[], span: Span | null): ValueId {
  const parts: ValueId[] = [];
  for (const m of matrices) {
    const last = parts.length > 0 ? b.node(parts[parts.length - 1]!) : null;
    const next = b.node(m);
    const fuse =
      last?.op === "rows" &&
      next.op === "rows" &&
      last.args[0] === next.args[0] &&
      sizeEquals(blockEnd(last), next.start);
    if (fuse) {
      const block = { start: last.start, len: addSizes(last.len, next.len) };
      const fused = rowBlock(b, last.args[0], block, span);
      // Named after the blocks it joins when they have names: `w_hr_w_hz`.
      if (last.hint !== undefined && next.hint !== undefined)
        b.nameValue(fused, `${last.hint}_${next.hint}`);
      parts[parts.length - 1] = fused;
    } else parts.push(m);
  }
  return parts.length === 1 ? parts[0]! : b.emit("concat", parts, {}, span);
}
