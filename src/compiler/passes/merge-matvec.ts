// Merges matrix products that share their vector: Wi @ x, Wf @ x, Wg @ x, Wo @ x become one
// product of the stacked matrix [Wi; Wf; Wg; Wo] (built once, at load time) with x, whose
// slices replace the four. One pass over W and x instead of four: the gate blocks of an LSTM
// written gate by gate run like PyTorch's single [4H, I] matrix. Requires: verified IR.
// Guarantees: no two products with a load-time matrix share their vector. Idempotent.
import { type Size, addSizes, sizeConst } from "../../shared/size.js";
import type { ValueId } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";
import { computeStages } from "./stages.js";

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
        const stacked = b.emit("concat", matrices, {}, n.span);
        product = b.emit("matvec", [stacked, args[1]!], {}, n.span);
        merged.set(n.args[1], product);
      }
      const start = starts.get(n.id)!;
      return b.emit("slice", [product], { start, len: n.shape[0]! }, n.span, n.hint);
    });
    return sameIR(ir, out) ? ir : out;
  },
};
