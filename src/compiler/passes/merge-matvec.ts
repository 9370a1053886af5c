// Merges matrix products that share their vector: Wi @ x, Wf @ x, Wg @ x, Wo @ x become one
// product of the stacked matrix [Wi; Wf; Wg; Wo] (built once, at load time) with x, whose
// slices replace the four. One pass over W and x instead of four: the gate blocks of an LSTM
// written gate by gate run like PyTorch's single [4H, I] matrix. Row blocks of one matrix are
// stacked in row order and fused, [W[0 +: H]; W[H +: H]] -> W[0 +: 2*H], so the rows of a split
// weight (`let w_r, w_z, w_n = split(weight_hh, 3)`) stay one block of it. Requires: verified IR.
// Guarantees: no two products with a load-time matrix share their vector. Idempotent.
import { type Size, addSizes, sizeConst, sizeEquals } from "../../shared/size.js";
import type { CellIR, ValueId } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";
import { sizeAtMost, stackRows } from "./row-blocks.js";
import { computeStages } from "./stages.js";

/**
 * The products of a group in stacking order: in the order first met, except that products over
 * row blocks of one matrix come together, by first row (when the starts can be ordered).
 */
function stackingOrder(ir: CellIR, group: readonly ValueId[]): ValueId[] {
  const matrixOf = (m: ValueId) => ir.nodes[ir.nodes[m]!.args[0]!]!;
  const sourceOf = (m: ValueId) => {
    const w = matrixOf(m);
    return w.op === "rows" ? w.args[0] : w.id;
  };
  const bySource = new Map<ValueId, ValueId[]>();
  for (const m of group) bySource.set(sourceOf(m), [...(bySource.get(sourceOf(m)) ?? []), m]);
  const startOf = (m: ValueId) => {
    const w = matrixOf(m);
    return w.op === "rows" ? w.start : sizeConst(0);
  };
  return [...bySource.values()].flatMap((ms) => {
    const starts = ms.map(startOf);
    if (!starts.every((a) => starts.every((b) => sizeAtMost(a, b) || sizeAtMost(b, a)))) return ms;
    return [...ms].sort((a, b) => {
      const [sa, sb] = [startOf(a), startOf(b)];
      return sizeEquals(sa, sb) ? 0 : sizeAtMost(sa, sb) ? -1 : 1;
    });
  });
}

export const mergeMatvec: Pass = {
  name: "merge-matvec",
  run(ir) {
    const stages = computeStages(ir.nodes);
    const groups = new Map<ValueId, ValueId[]>();
    for (const n of ir.nodes) {
      if (n.op !== "matvec" || stages[n.args[0]] !== "weight") continue;
      const group = groups.get(n.args[1]);
      if (group) group.push(n.id);
      else groups.set(n.args[1], [n.id]);
    }
    for (const [x, group] of groups) groups.set(x, stackingOrder(ir, group));
    // Each product's rows start after the rows of the products before it in its group.
    const starts = new Map<ValueId, Size>();
    for (const group of groups.values()) {
      let start = sizeConst(0);
      for (const m of group) {
        starts.set(m, start);
        start = addSizes(start, ir.nodes[m]!.shape[0]!);
      }
    }
    const merged = new Map<ValueId, ValueId>(); // vector -> the merged product
    const out = rebuild(ir, (n, args, b, moved) => {
      if (n.op !== "matvec") return null;
      const group = groups.get(n.args[1]);
      if (!group || group.length < 2) return null;
      let product = merged.get(n.args[1]);
      if (product === undefined) {
        const matrices = group.map((m) => moved(ir.nodes[m]!.args[0]!));
        const stacked = stackRows(b, matrices, n.span);
        product = b.emit("matvec", [stacked, args[1]!], {}, n.span);
        merged.set(n.args[1], product);
      }
      const start = starts.get(n.id)!;
      return b.emit("slice", [product], { start, len: n.shape[0]! }, n.span, n.hint);
    });
    return sameIR(ir, out) ? ir : out;
  },
};
