// Hoisting: marks each node with the earliest stage it can run in. Weight-only values (a folded
// bias, a re-laid-out matrix) are computed once at load time; values that depend on the input but
// not on a state (the input projection W_ih @ x + b) are computed for all steps before the time
// loop, where they become one GEMM over T*B rows. Requires: verified IR. Guarantees: every node
// has a stage no earlier than its arguments'. Idempotent. Runs last: rewriting passes drop stages.
import type { Node } from "../ir/ir.js";
import type { Pass } from "./pass.js";
import { computeStages } from "./stages.js";

export const hoist: Pass = {
  name: "hoist",
  run(ir) {
    const stages = computeStages(ir.nodes);
    if (ir.nodes.every((n, i) => n.stage === stages[i])) return ir;
    return { ...ir, nodes: ir.nodes.map((n, i) => ({ ...n, stage: stages[i]! }) as Node) };
  },
};
