// Constant folding: an element-wise op whose arguments are all constants becomes a constant,
// computed with the interpreter's own arithmetic, so folding never disagrees with it.
// Requires: verified IR. Guarantees: no element-wise node has only constant arguments. Idempotent.
import { evaluateScalar } from "../ir/interpret.js";
import { isBinary, isUnary } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";

export const foldConstants: Pass = {
  name: "fold-constants",
  run(ir) {
    const out = rebuild(ir, (n, args, b) => {
      if (!(isUnary(n) || isBinary(n) || n.op === "select")) return null;
      const values = args.map((a) => b.node(a)).map((a) => (a.op === "const" ? a.value : null));
      if (values.some((v) => v === null)) return null;
      return b.constant(evaluateScalar(n.op, values as number[]), n.span);
    });
    return sameIR(ir, out) ? ir : out;
  },
};
