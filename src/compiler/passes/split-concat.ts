// Splits a product over a concatenation whose parts run in different stages, as papers write an
// LSTM or a GRU (`W @ concat(h, x)`, one matrix applied to [h; x]):
//   W @ concat(h, x)  ->  W[:, :H] @ h + W[:, H:] @ x
// with the column blocks of W cut once, at load time. The part that depends on the input alone
// then joins the input projection before the time loop (group-terms, fuse-bias and hoist do the
// rest), so such a cell runs like one written with W_ih and W_hh. This reassociates the sum over
// the columns, as group-terms does. Only for load-time matrices, and only when the parts' stages
// differ (otherwise one product is better). Requires: verified IR. Guarantees: no product of a
// load-time matrix with a concat whose parts run in different stages. Idempotent.
import { addSizes, sizeConst } from "../../shared/size.js";
import type { ValueId } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";
import { computeStages } from "./stages.js";

export const splitConcat: Pass = {
  name: "split-concat",
  run(ir) {
    const stages = computeStages(ir.nodes);
    const out = rebuild(ir, (n, args, b, moved) => {
      if (n.op !== "matvec") return null;
      const vector = ir.nodes[n.args[1]]!;
      if (stages[n.args[0]] !== "weight" || vector.op !== "concat") return null;
      const partStages = new Set(vector.args.map((a) => stages[a]));
      if (partStages.size < 2) return null;
      let start = sizeConst(0);
      const products: ValueId[] = [];
      for (const part of vector.args) {
        const len = ir.nodes[part]!.shape[0]!;
        const block = b.emit("columns", [args[0]!], { start, len }, n.span);
        products.push(b.emit("matvec", [block, moved(part)], {}, n.span));
        start = addSizes(start, len);
      }
      return products.reduce((sum, p, i) =>
        b.emit("add", [sum, p], {}, n.span, i === products.length - 1 ? n.hint : undefined),
      );
    });
    return sameIR(ir, out) ? ir : out;
  },
};
