// Folds a bias into the matrix product it is added to: (W @ x) + b -> affine(W, x, b), a product
// whose sums start from b. The generated GEMM then writes each output once instead of writing
// the product and reading it back to add b. Only when b is known no later than the product: a
// state added to the input projection must not pull that projection into the time loop.
// Requires: verified IR. Guarantees: no `add` has as an argument a product that nothing else
// uses and a bias from the same or an earlier stage. Idempotent.
import { shapeEquals } from "../../shared/size.js";
import { STAGE_ORDER, type ValueId } from "../ir/ir.js";
import { computeStages } from "./stages.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";

export const fuseBias: Pass = {
  name: "fuse-bias",
  run(ir) {
    const uses = new Map<ValueId, number>();
    for (const n of ir.nodes) for (const a of n.args) uses.set(a, (uses.get(a) ?? 0) + 1);
    const roots = new Set([...ir.next.values(), ir.output]);
    const stages = computeStages(ir.nodes);
    const soleProduct = (id: ValueId, bias: ValueId) =>
      ir.nodes[id]!.op === "matvec" &&
      uses.get(id) === 1 &&
      !roots.has(id) &&
      STAGE_ORDER[stages[bias]!] <= STAGE_ORDER[stages[id]!];
    const out = rebuild(ir, (n, args, b) => {
      if (n.op !== "add") return null;
      const [x, y] = n.args;
      const which = soleProduct(x, y) ? 0 : soleProduct(y, x) ? 1 : -1;
      if (which < 0) return null;
      const product = b.node(args[which]!);
      const bias = args[1 - which]!;
      if (product.op !== "matvec" || !shapeEquals(b.node(bias).shape, product.shape)) return null;
      return b.emit("affine", [product.args[0], product.args[1], bias], {}, n.span, n.hint);
    });
    return sameIR(ir, out) ? ir : out;
  },
};
