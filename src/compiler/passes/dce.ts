// Dead-code elimination: keeps only the nodes that the state updates and the output depend on,
// renumbered densely in their original order. Requires: verified IR. Guarantees: verified IR with
// no unreachable node. Idempotent.
import type { CellIR, Node, ValueId } from "../ir/ir.js";
import { rootsOf } from "../ir/ir.js";
import type { Pass } from "./pass.js";

function liveNodes(ir: CellIR): boolean[] {
  const live = new Array<boolean>(ir.nodes.length).fill(false);
  const stack = rootsOf(ir);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (live[id]) continue;
    live[id] = true;
    stack.push(...ir.nodes[id]!.args);
  }
  return live;
}

/** Keeps the nodes marked live, renumbering ids and arguments; order is preserved. */
export function compact(ir: CellIR, live: readonly boolean[]): CellIR {
  const newId = new Map<ValueId, ValueId>();
  const nodes: Node[] = [];
  ir.nodes.forEach((n, id) => {
    if (!live[id]) return;
    newId.set(id, nodes.length);
    const args = n.args.map((a) => newId.get(a)!);
    nodes.push({ ...n, id: nodes.length, args } as Node);
  });
  const next = new Map([...ir.next].map(([name, id]) => [name, newId.get(id)!]));
  return { ...ir, nodes, next, output: newId.get(ir.output)! };
}

export const dce: Pass = {
  name: "dce",
  run(ir) {
    const live = liveNodes(ir);
    return live.every(Boolean) ? ir : compact(ir, live);
  },
};
