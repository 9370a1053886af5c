// Common-subexpression elimination: rebuilding through the hash-consing builder merges nodes with
// the same op, arguments and attributes. Requires: verified IR. Guarantees: no two nodes are
// structurally equal. Idempotent.
import type { Pass } from "./pass.js";
import { rebuild, sameIR } from "./rebuild.js";

export const cse: Pass = {
  name: "cse",
  run(ir) {
    const out = rebuild(ir);
    return sameIR(ir, out) ? ir : out;
  },
};
