// Hoisting: marks each node with the earliest stage it can run in. Weight-only values (a folded
// bias, a re-laid-out matrix) are computed once at load time; values that depend on the input but
// not on a state (the input projection W_ih @ x + b) are computed for all steps before the time
// loop, where they become one GEMM over T*B rows. Requires: verified IR. Guarantees: every node
// has a stage no earlier than its arguments'. Idempotent.
import type { CellIR, Node, Stage } from "../ir.js";
import { STAGE_ORDER } from "../ir.js";
import type { Pass } from "./pass.js";

function leafStage(n: Node): Stage | null {
  switch (n.op) {
    case "param":
    case "const":
      return "weight";
    case "input":
      return "sequence";
    case "state":
      return "step";
    default:
      return null;
  }
}

export const hoist: Pass = {
  name: "hoist",
  run(ir) {
    const stages: Stage[] = [];
    let changed = false;
    const nodes = ir.nodes.map((n) => {
      const stage =
        leafStage(n) ??
        n.args.reduce<Stage>(
          (s, a) => (STAGE_ORDER[stages[a]!] > STAGE_ORDER[s] ? stages[a]! : s),
          "weight",
        );
      stages.push(stage);
      if (n.stage === stage) return n;
      changed = true;
      return { ...n, stage } as Node;
    });
    return changed ? { ...ir, nodes } : ir;
  },
};
