// The earliest stage each node can run in: weight (params and constants only), sequence (the
// input but no state), or step. Shared by `hoist`, which records it, and by passes that regroup
// computations by stage.
import type { Node, Stage } from "../ir/ir.js";
import { STAGE_ORDER } from "../ir/ir.js";

function leafStage(n: Node): Stage | null {
  switch (n.op) {
    case "param":
    case "const":
    case "size":
      return "weight";
    case "input":
      return "sequence";
    case "state":
      return "step";
    default:
      return null;
  }
}

export const laterStage = (a: Stage, b: Stage): Stage => (STAGE_ORDER[a] >= STAGE_ORDER[b] ? a : b);

export function computeStages(nodes: readonly Node[]): Stage[] {
  const stages: Stage[] = [];
  for (const n of nodes) {
    stages.push(
      leafStage(n) ?? n.args.reduce<Stage>((s, a) => laterStage(s, stages[a]!), "weight"),
    );
  }
  return stages;
}
